#include "server/sip/media/RecordingTap.hpp"

#include <algorithm>
#include <cstdlib>

namespace sb::sip::media {

RecordingTap::RecordingTap(Config config, Sink sink, Ended ended)
    : config_(std::move(config)), sink_(std::move(sink)), ended_(std::move(ended)) {
    phone_.reserve((config_.maxBufferedFrames + 1) * kFrameSamples);
}

void RecordingTap::phoneAudio(const std::int16_t* samples, std::size_t count) {
    if (done_) return;
    phone_.insert(phone_.end(), samples, samples + count);
    std::size_t cap = config_.maxBufferedFrames * kFrameSamples;
    if (phone_.size() > cap) {
        // The phone's clock runs ahead of ours (or it sent a burst): keep the newest audio.
        auto extra = phone_.size() - cap;
        phone_.erase(phone_.begin(), phone_.begin() + static_cast<std::ptrdiff_t>(extra));
        phoneOverflow_ += extra;
    }
}

void RecordingTap::tick(const PcmFrame& heard) {
    if (done_) return;
    if (stopRequested_.load()) return end(EndReason::Stopped);
    PcmFrame said{};
    std::size_t have = std::min(phone_.size(), kFrameSamples);
    std::copy_n(phone_.begin(), have, said.begin());  // a late packet: silence where it is missing
    phone_.erase(phone_.begin(), phone_.begin() + static_cast<std::ptrdiff_t>(have));
    if (paused_.load()) return;  // paused time is not in the file (nor counted)

    std::vector<std::int16_t> block;
    if (config_.layout == Layout::Split) {
        block.resize(2 * kFrameSamples);
        for (std::size_t i = 0; i < kFrameSamples; ++i) {
            block[2 * i] = said[i];
            block[2 * i + 1] = heard[i];
        }
    } else {
        block.resize(kFrameSamples);
        for (std::size_t i = 0; i < kFrameSamples; ++i) {
            int v = said[i] + (config_.layout == Layout::Mix ? heard[i] : 0);
            block[i] = static_cast<std::int16_t>(std::clamp(v, -32768, 32767));
        }
    }
    if (!sink_(std::move(block))) ++dropped_;
    auto recorded = ++frames_;

    long energy = 0;
    for (auto s : said) energy += std::abs(static_cast<int>(s));
    bool silent = energy / static_cast<long>(kFrameSamples) < config_.silenceLevel;
    silentRun_ = silent ? silentRun_ + 1 : 0;
    if (config_.silenceFrames && silentRun_ >= config_.silenceFrames)
        return end(EndReason::Silence);
    if (config_.maxFrames && recorded >= config_.maxFrames) return end(EndReason::MaxDuration);
}

void RecordingTap::digit(char d) {
    if (done_ || paused_.load()) return;
    if (config_.terminatingDigits.find(d) != std::string::npos) end(EndReason::Digit, d);
}

void RecordingTap::closed() {
    end(EndReason::Hangup);
}

void RecordingTap::end(EndReason reason, char digit) {
    if (done_) return;
    done_ = true;
    phone_.clear();
    if (ended_) ended_(reason, digit);
}

}  // namespace sb::sip::media
