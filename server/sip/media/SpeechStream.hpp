#pragma once
// One sentence's synthesized speech as it grows (issue 9, "TTS start latency under 150 ms"):
// the SpeechService's worker appends 8 kHz samples while flite produces them, the call's player
// reads from the front as soon as there is audio, and the finished stream is what the cache
// keeps. Thread-safe: one writer (a worker), any number of readers (the calls' strands).
//
// Readers hold a Reader handle; when the last one lets go before the end (the caller hung up, a
// digit cut the <Gather> prompt), append() returns false and the worker stops synthesizing.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace sb::sip::media {

class SpeechStream : public std::enable_shared_from_this<SpeechStream> {
  public:
    using Clock = std::chrono::steady_clock;
    enum class State { Growing, Complete, Failed };
    // A player starts a growing stream once this much is there (60 ms): the first chunks flite
    // streams are only a few milliseconds of audio each, and a little ahead keeps a busy machine
    // from pausing the first syllable (PlaybackQueue). Making 60 ms of speech takes 1–3 ms.
    static constexpr std::size_t kPlayableSamples = 480;

    // Keeps the synthesis wanted while it lives (see above). Not copyable: one per listener.
    class Reader {
      public:
        explicit Reader(std::shared_ptr<SpeechStream> stream);
        ~Reader();
        // A new reader unless the stream is abandoned or failed (checked and counted at once,
        // so the writer cannot stop in between): null then.
        static std::unique_ptr<Reader> join(const std::shared_ptr<SpeechStream>& stream);
        Reader(const Reader&) = delete;
        Reader& operator=(const Reader&) = delete;
        SpeechStream& stream() const { return *stream_; }
        const std::shared_ptr<SpeechStream>& shared() const { return stream_; }

      private:
        struct Counted {};
        Reader(std::shared_ptr<SpeechStream> stream, Counted) : stream_(std::move(stream)) {}
        std::shared_ptr<SpeechStream> stream_;
    };

    // Writer side. append() returns false when nobody wants the rest (every Reader is gone after
    // at least one existed): the writer should stop. finish() is final; later calls are ignored.
    bool append(const std::int16_t* samples, std::size_t count);
    void finish(std::string error = {});  // empty error: Complete, else Failed
    bool abandoned() const;

    // Reader side: copies up to `max` samples from `position` into `out`; `copied` says how many.
    // Growing with copied < max means "wait, more is coming" (never a gap in the speech).
    State read(std::size_t position, std::int16_t* out, std::size_t max, std::size_t& copied) const;
    State state() const;
    std::string error() const;
    std::size_t size() const;
    // Once Complete, the samples never change again.
    const std::vector<std::int16_t>& samples() const { return samples_; }

    // Runs `f` once, when the stream finishes (at once, on this thread, if it has).
    void onFinish(std::function<void(const std::shared_ptr<SpeechStream>&)> f);
    // Blocking waits (benches and tests): true when the condition holds within `timeout`.
    bool waitForSamples(std::size_t count, std::chrono::milliseconds timeout) const;
    bool waitFinished(std::chrono::milliseconds timeout) const;
    // When the stream became playable: kPlayableSamples there, or complete (false while not).
    bool playableAt(Clock::time_point& at) const;

  private:
    mutable std::mutex mutex_;
    mutable std::condition_variable changed_;
    std::vector<std::int16_t> samples_;
    State state_ = State::Growing;
    std::string error_;
    int readers_ = 0;
    bool everRead_ = false;
    bool playable_ = false;
    Clock::time_point playableAt_;
    std::vector<std::function<void(const std::shared_ptr<SpeechStream>&)>> onFinish_;
};

}  // namespace sb::sip::media
