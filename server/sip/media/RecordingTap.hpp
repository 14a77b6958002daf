#pragma once
// The AudioTap of one recording (issue 9): lines the phone's audio (which arrives per RTP packet,
// with jitter) up with the 20 ms ticks of what the phone hears, and hands one block per tick to
// a sink that must not block (RecordingWriter's bounded queue). The ticks are the recording's
// clock, so its duration is exactly the number of recorded ticks × 20 ms, paused ticks excluded.
//
// It also ends the recording by itself, once, through `ended`: maxDuration reached, the phone
// silent for silenceTimeout, a terminating digit, stop(), or the call ending (closed()).
// All AudioTap methods run on the call's strand; pause/resume/stop may come from any thread.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "server/sip/media/AudioTap.hpp"

namespace sb::sip::media {

class RecordingTap : public AudioTap {
  public:
    enum class Layout {
        PhoneOnly,  // mono: what the phone says (<Record>)
        Mix,        // mono: the phone and what it hears, summed (StartRecording default)
        Split,      // two channels: left the phone, right what it hears (multiChannel="true")
    };
    enum class EndReason { MaxDuration, Silence, Digit, Stopped, Hangup };

    struct Config {
        Layout layout = Layout::Mix;
        std::uint64_t maxFrames = 0;      // 0: no limit (20 ms frames)
        std::uint64_t silenceFrames = 0;  // 0: never end for silence
        // A frame whose mean absolute sample is below this is silence (about -47 dBFS: line
        // noise and comfort noise stay under it, speech does not).
        int silenceLevel = 150;
        std::string terminatingDigits;      // any of these ends it (Bandwidth: <Record> "#")
        std::size_t maxBufferedFrames = 8;  // phone audio ahead of the ticks; older is dropped
    };
    // Takes one block (interleaved when Split); false: it was dropped (queue full).
    using Sink = std::function<bool(std::vector<std::int16_t>&& block)>;
    using Ended = std::function<void(EndReason reason, char digit)>;

    RecordingTap(Config config, Sink sink, Ended ended);

    void phoneAudio(const std::int16_t* samples, std::size_t count) override;
    void tick(const PcmFrame& heard) override;
    void digit(char d) override;
    void closed() override;

    void setPaused(bool paused) { paused_.store(paused); }
    void stop() { stopRequested_.store(true); }  // takes effect at the next tick

    int channels() const { return config_.layout == Layout::Split ? 2 : 1; }
    std::uint64_t frames() const { return frames_.load(); }          // recorded (not paused) ticks
    std::uint64_t droppedFrames() const { return dropped_.load(); }  // refused by the sink
    std::uint64_t phoneSamplesDropped() const { return phoneOverflow_.load(); }

  private:
    void end(EndReason reason, char digit = 0);

    Config config_;
    Sink sink_;
    Ended ended_;
    std::vector<std::int16_t> phone_;  // decoded phone audio not yet consumed by a tick
    std::uint64_t silentRun_ = 0;
    bool done_ = false;
    std::atomic<bool> paused_{false}, stopRequested_{false};
    std::atomic<std::uint64_t> frames_{0}, dropped_{0}, phoneOverflow_{0};
};

}  // namespace sb::sip::media
