#pragma once
// Audio clips (8 kHz PCM, e.g. from WavFile for the BXML PlayAudio verb) played to the phone one
// after another, 20 ms per tick, either mixed into the room audio or replacing it.

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include "server/sip/media/SpeechStream.hpp"
#include "server/sip/media/Types.hpp"

namespace sb::sip::media {

enum class PlayMode { Mix, Replace };

class PlaybackQueue {
  public:
    // Called once per clip: true when it played to the end, false when stop() cut it or the
    // queue was full.
    using Done = std::function<void(bool completed)>;

    // At most this many clips wait or play at once (each is bounded by the size of the file it
    // came from: callbackMaxResponseBytes). BXML plays one clip at a time, so a full queue means a
    // runaway caller: the NEW clip is refused (its callback gets false at once) and the queued
    // ones play on.
    static constexpr std::size_t kMaxClips = 16;

    void enqueue(std::vector<std::int16_t> samples, PlayMode mode, Done done = {});
    // A clip still being synthesized (SpeakSentence): it plays as it grows, from when it is
    // playable (SpeechStream::kPlayableSamples there). When the next 20 ms
    // are not there yet the tick is silent and nothing is skipped: the speech pauses rather than
    // losing a piece of a word (counted in underruns()). Dropping the clip (stop, a full queue,
    // the queue's end) lets its reader go, which cancels a synthesis nobody else wants.
    void enqueueStream(std::shared_ptr<SpeechStream::Reader> stream, PlayMode mode, Done done = {});
    // Drops every clip; their callbacks get false.
    void stop();
    bool active() const { return !clips_.empty(); }
    std::uint64_t underruns() const { return underruns_; }

    // Applies the current clip's next 20 ms to `frame` (the room mix): replaces it or adds to it
    // with saturation. Returns true if a clip played. Callbacks of finished clips run after the
    // queue is updated, so they may enqueue more.
    bool apply(PcmFrame& frame);

  private:
    struct Clip {
        std::vector<std::int16_t> samples;
        std::shared_ptr<SpeechStream::Reader> stream;  // instead of samples, when set
        std::size_t position = 0;
        PlayMode mode = PlayMode::Mix;
        Done done;
    };
    void finishFront(bool completed);
    bool applyStream(Clip& c, PcmFrame& frame);

    std::deque<Clip> clips_;
    std::uint64_t underruns_ = 0;
};

}  // namespace sb::sip::media
