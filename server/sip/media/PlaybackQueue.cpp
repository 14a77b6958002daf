#include "server/sip/media/PlaybackQueue.hpp"

#include <algorithm>
#include <limits>

namespace sb::sip::media {

void PlaybackQueue::enqueue(std::vector<std::int16_t> samples, PlayMode mode, Done done) {
    if (clips_.size() >= kMaxClips) {
        if (done) done(false);
        return;
    }
    clips_.push_back(Clip{std::move(samples), 0, mode, std::move(done)});
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
    while (!clips_.empty() && clips_.front().position >= clips_.front().samples.size())
        finishFront(true);
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
