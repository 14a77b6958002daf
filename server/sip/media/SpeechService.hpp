#pragma once
// SpeakSentence's audio: synthesis on a small pool of worker threads (flite is CPU-bound and
// must not delay the io threads that carry RTP), streamed: the caller gets a SpeechStream at
// once and plays it as it grows, so the first syllable waits only for the first phrase (issue 9:
// TTS start under 150 ms). Finished sentences are cached per (voice, sentence), bounded in bytes
// and evicted least recently used, so that a prompt an IVR repeats is complete at once. Requests
// for a sentence already being synthesized share that stream.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/sip/media/SpeechStream.hpp"

namespace boost::asio {
class thread_pool;
}

namespace sb::sip::media {

class SpeechService {
  public:
    struct Config {
        std::size_t workers = 2;
        std::size_t cacheBytes = std::size_t{32} * 1024 * 1024;  // 0: no cache
        bool warmUp = true;  // the real engine only: warm flite's voices on a worker at once
        bool phrases =
            true;  // false: the whole text goes to the engine at once (the bench's baseline)
        // flite begins each utterance with ~230 ms of near silence: the sentence's first phrase
        // keeps only 20 ms of it (LeadTrimmer), so the first word is heard at once (issue 9).
        // Off for engines whose test audio is all quiet and must stream as it comes.
        bool trimLead = true;
    };
    struct Stats {
        std::uint64_t hits = 0, misses = 0, failures = 0, cancelled = 0;
        std::size_t cachedBytes = 0, cachedClips = 0;
    };
    using Clip = std::shared_ptr<const SpeechStream>;
    // `clip` (complete) is null when synthesis failed (`error` says why). Called once, on a
    // worker thread, or inside synthesize() when the clip is cached.
    using Done = std::function<void(Clip clip, std::string error)>;
    // Sends 8 kHz samples on as they are made; false: nobody wants more, stop.
    using Sink = std::function<bool(const std::int16_t* samples, std::size_t count)>;
    // How text (one phrase of the sentence, PhraseSplitter) becomes speech;
    // SpeechSynthesizer::stream unless a test replaces it. Throws on failure; returns false when
    // the sink stopped it.
    using Engine =
        std::function<bool(const std::string& text, const std::string& voice, const Sink& sink)>;

    explicit SpeechService(Config config, const Engine& engine = {});
    ~SpeechService();  // stops the synthesis in progress; streams not finished fail
    SpeechService(const SpeechService&) = delete;
    SpeechService& operator=(const SpeechService&) = delete;

    // Never blocks: the returned reader's stream is complete when the sentence is cached, else it
    // grows on a worker. Letting the reader go before the end cancels the synthesis when no
    // other request shares it (the cache then does not get the sentence).
    std::unique_ptr<SpeechStream::Reader> speak(const std::string& text, const std::string& voice);
    // The whole clip, when complete (benches, tests, callers that cannot stream).
    void synthesize(const std::string& text, const std::string& voice, const Done& done);
    // Runs other CPU-bound media work (decoding and resampling a PlayAudio file) on the workers.
    void post(std::function<void()> task);
    Stats stats() const;

  private:
    using Key = std::string;
    struct Job;
    // One phrase of a job, then the job goes to the back of the queue: a sentence asked for
    // while the workers are busy waits for one phrase, not for whole sentences (issue 9).
    void step(const std::shared_ptr<Job>& job);
    void end(const Job& job, bool whole, const std::string& error);
    void remember(const Key& key, const std::shared_ptr<SpeechStream>& clip);

    Config config_;
    Engine engine_;
    mutable std::mutex mutex_;
    bool stopping_ = false;
    std::map<Key, std::weak_ptr<SpeechStream>> pending_;
    std::list<std::pair<Key, std::shared_ptr<SpeechStream>>> lru_;  // most recent first
    std::map<Key, std::list<std::pair<Key, std::shared_ptr<SpeechStream>>>::iterator> cache_;
    Stats stats_;
    std::unique_ptr<boost::asio::thread_pool> pool_;
};

}  // namespace sb::sip::media
