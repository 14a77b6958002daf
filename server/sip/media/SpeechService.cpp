#include "server/sip/media/SpeechService.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "server/sip/media/SpeechSynthesizer.hpp"

namespace sb::sip::media {

namespace {
std::size_t bytesOf(const SpeechService::Clip& clip) { return clip->size() * sizeof(std::int16_t); }
}  // namespace

SpeechService::SpeechService(Config config, Engine engine)
    : config_(config),
      engine_(engine ? std::move(engine) : Engine(&SpeechSynthesizer::synthesize)),
      pool_(std::make_unique<boost::asio::thread_pool>(config.workers == 0 ? 1 : config.workers)) {}

SpeechService::~SpeechService() {
    pool_->stop();
    pool_->join();
}

void SpeechService::synthesize(const std::string& text, const std::string& voice, Done done) {
    // The voice name has no NUL: "voice\0text" cannot collide between two requests.
    Key key = voice + '\0' + text;
    {
        std::unique_lock<std::mutex> lock(mutex_);
        auto hit = cache_.find(key);
        if (hit != cache_.end()) {
            lru_.splice(lru_.begin(), lru_, hit->second);
            ++stats_.hits;
            auto clip = hit->second->second;
            lock.unlock();
            return done(clip, {});
        }
        ++stats_.misses;
        auto& waiting = pending_[key];
        waiting.push_back(std::move(done));
        if (waiting.size() > 1) return;  // already being synthesized
    }
    boost::asio::post(*pool_, [this, key, text, voice] { run(key, text, voice); });
}

void SpeechService::post(std::function<void()> task) {
    boost::asio::post(*pool_, [task = std::move(task)] {
        try {
            task();
        } catch (...) {
            // Never end a worker thread (and with it the process).
        }
    });
}

void SpeechService::run(const Key& key, const std::string& text, const std::string& voice) {
    Clip clip;
    std::string error;
    try {
        clip = std::make_shared<const std::vector<std::int16_t>>(engine_(text, voice));
    } catch (const std::exception& e) {
        error = e.what();
    } catch (...) {
        error = "text to speech failed";
    }
    std::vector<Done> waiting;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = pending_.find(key);
        if (it != pending_.end()) {
            waiting = std::move(it->second);
            pending_.erase(it);
        }
        if (clip) remember(key, clip);
        else ++stats_.failures;
    }
    for (auto& done : waiting) {
        try {
            done(clip, error);
        } catch (...) {
            // A completion must not end the worker thread (and with it the process).
        }
    }
}

// Called with mutex_ held.
void SpeechService::remember(const Key& key, const Clip& clip) {
    auto size = bytesOf(clip);
    if (size > config_.cacheBytes || cache_.count(key)) return;
    while (!lru_.empty() && stats_.cachedBytes + size > config_.cacheBytes) {
        stats_.cachedBytes -= bytesOf(lru_.back().second);
        cache_.erase(lru_.back().first);
        lru_.pop_back();
    }
    lru_.emplace_front(key, clip);
    cache_[key] = lru_.begin();
    stats_.cachedBytes += size;
    stats_.cachedClips = cache_.size();
}

SpeechService::Stats SpeechService::stats() const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto s = stats_;
    s.cachedClips = cache_.size();
    return s;
}

}  // namespace sb::sip::media
