#include "server/sip/media/PlaybackQueue.hpp"

#include <algorithm>
#include <limits>

namespace sb::sip::media {

void PlaybackQueue::enqueue(std::vector<std::int16_t> samples, PlayMode mode, Done done) {
    if (clips_.size() >= kMaxClips) {
        if (done) done(false);
        return;
    }
    clips_.push_back(Clip{std::move(samples), nullptr, 0, mode, std::move(done)});
}

void PlaybackQueue::enqueueStream(std::shared_ptr<SpeechStream::Reader> stream, PlayMode mode,
                                  Done done) {
    if (clips_.size() >= kMaxClips || !stream) {
        if (done) done(false);
        return;
    }
    clips_.push_back(Clip{{}, std::move(stream), 0, mode, std::move(done)});
}

// Plays the next 20 ms of a growing clip; false when it has ended (finished, or failed: then the
// clip did not complete).
bool PlaybackQueue::applyStream(Clip& c, PcmFrame& frame) {
    PcmFrame next{};
    std::size_t n = 0;
    auto& stream = c.stream->stream();
    auto state = stream.read(c.position, next.data(), kFrameSamples, n);
    if (state == SpeechStream::State::Failed) {
        finishFront(false);
        return false;
    }
    bool starting = c.position == 0 && state == SpeechStream::State::Growing &&
                    stream.size() < SpeechStream::kPlayableSamples;
    if (starting || (n < kFrameSamples && state == SpeechStream::State::Growing)) {
        // Late: wait for the whole frame rather than play part of it and then a gap.
        if (c.position > 0) ++underruns_;  // before the first audio it is the start latency
        if (c.mode == PlayMode::Replace) frame.fill(0);
        return true;
    }
    if (n == 0) {  // complete, all played
        finishFront(true);
        return false;
    }
    if (c.mode == PlayMode::Replace) {
        std::copy(next.begin(), next.begin() + static_cast<std::ptrdiff_t>(n), frame.begin());
        std::fill(frame.begin() + static_cast<std::ptrdiff_t>(n), frame.end(), std::int16_t{0});
    } else {
        for (std::size_t i = 0; i < n; ++i)
            frame[i] = static_cast<std::int16_t>(std::clamp<std::int32_t>(
                std::int32_t{frame[i]} + next[i], std::numeric_limits<std::int16_t>::min(),
                std::numeric_limits<std::int16_t>::max()));
    }
    c.position += n;
    return true;
}

void PlaybackQueue::finishFront(bool completed) {
    Done done = std::move(clips_.front().done);
    clips_.pop_front();
    if (done) done(completed);
}

void PlaybackQueue::stop() {
    std::deque<Clip> clips;
    clips.swap(clips_);
    for (auto& c : clips)
        if (c.done) c.done(false);
}

bool PlaybackQueue::apply(PcmFrame& frame) {
    while (!clips_.empty()) {
        Clip& front = clips_.front();
        if (front.stream) {
            if (applyStream(front, frame)) return true;
            continue;  // it ended: the next clip plays in this tick
        }
        if (front.position < front.samples.size()) break;
        finishFront(true);
    }
    if (clips_.empty()) return false;

    Clip& c = clips_.front();
    std::size_t n = std::min(kFrameSamples, c.samples.size() - c.position);
    const std::int16_t* src = c.samples.data() + c.position;
    if (c.mode == PlayMode::Replace) {
        std::copy(src, src + n, frame.begin());
        std::fill(frame.begin() + static_cast<std::ptrdiff_t>(n), frame.end(), std::int16_t{0});
    } else {
        for (std::size_t i = 0; i < n; ++i) {
            std::int32_t v = std::int32_t{frame[i]} + src[i];
            frame[i] = static_cast<std::int16_t>(
                std::clamp<std::int32_t>(v, std::numeric_limits<std::int16_t>::min(),
                                         std::numeric_limits<std::int16_t>::max()));
        }
    }
    c.position += n;
    if (c.position >= c.samples.size()) finishFront(true);
    return true;
}

}  // namespace sb::sip::media
