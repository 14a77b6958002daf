#include "server/sip/media/LeadTrimmer.hpp"

#include <algorithm>
#include <cstdlib>

namespace sb::sip::media {

void LeadTrimmer::push(const std::int16_t* samples, std::size_t count,
                       std::vector<std::int16_t>& out) {
    if (passing_) {
        out.insert(out.end(), samples, samples + count);
        return;
    }
    const std::size_t scanned = held_.size();
    held_.insert(held_.end(), samples, samples + count);
    // Only the new samples are scanned, and none past kMaxHeld: bounded work per sentence.
    const std::size_t end = std::min(held_.size(), kMaxHeld);
    for (std::size_t i = scanned; i < end; ++i) {
        if (std::abs(static_cast<int>(held_[i])) >= kLoud)
            return release(i > kLeadIn ? i - kLeadIn : 0, out);
    }
    // Quiet for longer than any voice's lead-in: not the pause we know, so nothing is cut.
    if (held_.size() >= kMaxHeld) release(0, out);
}

void LeadTrimmer::finish(std::vector<std::int16_t>& out) {
    if (!passing_) release(0, out);
}

void LeadTrimmer::release(std::size_t from, std::vector<std::int16_t>& out) {
    out.insert(out.end(), held_.begin() + static_cast<std::ptrdiff_t>(from), held_.end());
    trimmed_ = from;
    passing_ = true;
    held_.clear();
    held_.shrink_to_fit();
}

}  // namespace sb::sip::media
