#include "server/sip/media/SpeechService.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <optional>
#include <stdexcept>

#include "server/sip/media/LeadTrimmer.hpp"
#include "server/sip/media/PhraseSplitter.hpp"
#include "server/sip/media/SpeechSynthesizer.hpp"

namespace sb::sip::media {

struct SpeechService::Job {
    Key key;
    std::string voice;
    std::vector<std::string> phrases;
    std::size_t next = 0;
    std::string skipped;  // why a phrase gave no audio (reported if none did)
    std::shared_ptr<SpeechStream> stream;
};

namespace {
std::size_t bytesOf(const SpeechStream& clip) {
    return clip.size() * sizeof(std::int16_t);
}
}  // namespace

SpeechService::SpeechService(Config config, const Engine& engine)
    : config_(config),
      engine_(engine ? engine : Engine(&SpeechSynthesizer::stream)),
      pool_(std::make_unique<boost::asio::thread_pool>(config.workers == 0 ? 1 : config.workers)) {
    // Issue 9: the first caller must not pay for loading flite's voices and lexicon.
    if (!engine && config.warmUp) post([] { SpeechSynthesizer::warmUp(); });
}

SpeechService::~SpeechService() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;  // the synthesis in progress stops at its next chunk
    }
    pool_->stop();
    pool_->join();
    // Requests still queued never ran: their readers hear the end rather than wait forever.
    std::map<Key, std::weak_ptr<SpeechStream>> left;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        left.swap(pending_);
    }
    for (auto& entry : left)
        if (auto stream = entry.second.lock())
            stream->finish("text to speech stopped: the server is shutting down");
}

std::unique_ptr<SpeechStream::Reader> SpeechService::speak(const std::string& text,
                                                           const std::string& voice) {
    // The voice name has no NUL: "voice\0text" cannot collide between two requests.
    Key key = voice + '\0' + text;
    std::shared_ptr<SpeechStream> stream;
    std::unique_ptr<SpeechStream::Reader> reader;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        auto hit = cache_.find(key);
        if (hit != cache_.end()) {
            lru_.splice(lru_.begin(), lru_, hit->second);
            ++stats_.hits;
            return std::make_unique<SpeechStream::Reader>(hit->second->second);
        }
        ++stats_.misses;
        auto running = pending_.find(key);
        if (running != pending_.end())
            if (auto shared = running->second.lock())
                if ((reader = SpeechStream::Reader::join(shared)))
                    return reader;  // already being synthesized
        stream = std::make_shared<SpeechStream>();
        reader = std::make_unique<SpeechStream::Reader>(stream);
        pending_[key] = stream;
    }
    auto job = std::make_shared<Job>();
    job->key = std::move(key);
    job->voice = voice;
    if (config_.phrases)
        job->phrases = PhraseSplitter::split(text);
    else if (!text.empty())
        job->phrases.push_back(text);
    job->stream = stream;
    boost::asio::post(*pool_, [this, job] { step(job); });
    return reader;
}

void SpeechService::synthesize(const std::string& text, const std::string& voice,
                               const Done& done) {
    std::shared_ptr<SpeechStream::Reader> reader = speak(text, voice);
    auto stream = reader->shared();
    // The reader lives in the callback (kept by the stream until it finishes): the synthesis
    // stays wanted until then.
    stream->onFinish([reader, done](const std::shared_ptr<SpeechStream>& s) {
        if (s->state() == SpeechStream::State::Complete)
            done(s, {});
        else
            done(nullptr, s->error());
    });
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

void SpeechService::step(const std::shared_ptr<Job>& job) {
    const auto& stream = job->stream;
    // Only the sentence's start is cut (the first phrase that gives audio): the pauses between
    // its phrases are the speech's own. The stream, and so the cache, gets the trimmed audio.
    std::optional<LeadTrimmer> trim;
    if (config_.trimLead && stream->size() == 0) trim.emplace();
    std::vector<std::int16_t> kept;
    Sink sink = [this, &stream, &trim, &kept](const std::int16_t* samples, std::size_t count) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (stopping_) return false;
        }
        if (!trim || trim->passing()) return stream->append(samples, count);
        kept.clear();
        trim->push(samples, count, kept);
        // Held back while quiet: a reader that left must still stop the synthesis.
        if (kept.empty()) return !stream->abandoned();
        return stream->append(kept.data(), kept.size());
    };
    if (job->next >= job->phrases.size())  // an empty text
        return end(*job, false, "text to speech produced no audio");
    auto flush = [&] {  // a phrase that stayed quiet is kept whole
        kept.clear();
        if (trim) trim->finish(kept);
        return kept.empty() || stream->append(kept.data(), kept.size());
    };
    try {
        if (!engine_(job->phrases[job->next++], job->voice, sink) || !flush())
            return end(*job, false, "text to speech cancelled");
    } catch (const std::invalid_argument& e) {  // an unknown voice: no phrase will do better
        return end(*job, false, e.what());
    } catch (const std::exception& e) {
        job->skipped = e.what();  // e.g. a phrase of punctuation only: the others still speak
        if (!flush()) return end(*job, false, "text to speech cancelled");
    } catch (...) {
        job->skipped = "text to speech failed";
        if (!flush()) return end(*job, false, "text to speech cancelled");
    }
    if (job->next < job->phrases.size()) {
        boost::asio::post(*pool_, [this, job] { step(job); });
        return;
    }
    if (stream->size() == 0)
        return end(*job, false,
                   job->skipped.empty() ? "text to speech produced no audio" : job->skipped);
    end(*job, true, {});
}

void SpeechService::end(const Job& job, bool whole, const std::string& error) {
    const auto& stream = job.stream;
    {
        // Under the lock: a request for the same sentence either joined before (and was
        // heard) or finds it gone and starts anew.
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = pending_.find(job.key);
        if (it != pending_.end() && it->second.lock() == stream) pending_.erase(it);
        if (whole)
            remember(job.key, stream);
        else if (stream->abandoned())
            ++stats_.cancelled;
        else
            ++stats_.failures;
    }
    stream->finish(error);
}

// Called with mutex_ held; `clip` is complete (nothing appends to it any more).
void SpeechService::remember(const Key& key, const std::shared_ptr<SpeechStream>& clip) {
    auto size = bytesOf(*clip);
    if (size > config_.cacheBytes || cache_.count(key)) return;
    while (!lru_.empty() && stats_.cachedBytes + size > config_.cacheBytes) {
        stats_.cachedBytes -= bytesOf(*lru_.back().second);
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
