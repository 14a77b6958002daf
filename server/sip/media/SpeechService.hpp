#pragma once
// SpeakSentence's audio: synthesis on a small pool of worker threads (flite is CPU-bound and
// must not delay the io threads that carry RTP), and a cache of finished clips per
// (voice, sentence), bounded in bytes and evicted least recently used, so that a prompt an IVR
// repeats starts at once. Requests for a sentence already being synthesized wait for that one.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace boost::asio {
class thread_pool;
}

namespace sb::sip::media {

class SpeechService {
  public:
    struct Config {
        std::size_t workers = 2;
        std::size_t cacheBytes = 32 * 1024 * 1024;  // 0: no cache
    };
    struct Stats {
        std::uint64_t hits = 0, misses = 0, failures = 0;
        std::size_t cachedBytes = 0, cachedClips = 0;
    };
    using Clip = std::shared_ptr<const std::vector<std::int16_t>>;
    // `clip` is null when synthesis failed (`error` says why). Called once, on a worker thread, or
    // inside synthesize() when the clip is cached.
    using Done = std::function<void(Clip clip, std::string error)>;
    // How text becomes 8 kHz samples; SpeechSynthesizer::synthesize unless a test replaces it.
    using Engine = std::function<std::vector<std::int16_t>(const std::string& text, const std::string& voice)>;

    explicit SpeechService(Config config, Engine engine = {});
    ~SpeechService();  // waits for the synthesis in progress; queued requests are dropped
    SpeechService(const SpeechService&) = delete;
    SpeechService& operator=(const SpeechService&) = delete;

    void synthesize(const std::string& text, const std::string& voice, Done done);
    // Runs other CPU-bound media work (decoding and resampling a PlayAudio file) on the workers.
    void post(std::function<void()> task);
    Stats stats() const;

  private:
    using Key = std::string;
    void run(const Key& key, const std::string& text, const std::string& voice);
    void remember(const Key& key, const Clip& clip);

    Config config_;
    Engine engine_;
    mutable std::mutex mutex_;
    std::map<Key, std::vector<Done>> pending_;
    std::list<std::pair<Key, Clip>> lru_;  // most recent first
    std::map<Key, std::list<std::pair<Key, Clip>>::iterator> cache_;
    Stats stats_;
    std::unique_ptr<boost::asio::thread_pool> pool_;
};

}  // namespace sb::sip::media
