#include "server/signaling/ResumeFrames.hpp"

#include <algorithm>

namespace sb::signaling {

void ResumeFrames::reset(std::string frame) {
    reset_ = std::move(frame);
    offer_.clear();
}

void ResumeFrames::notice(const media::StreamNotice& notice, std::string frame) {
    std::string key = (notice.kind == media::StreamNotice::Kind::Speaking ? "s|" : "m|") +
                      notice.media + "|" + notice.endpointId;
    auto same = std::find_if(notices_.begin(), notices_.end(),
                             [&key](const auto& n) { return n.first == key; });
    if (same != notices_.end()) notices_.erase(same);  // the newer one goes last, in its order
    if (notices_.size() >= kMaxNotices) notices_.erase(notices_.begin());
    notices_.emplace_back(std::move(key), std::move(frame));
}

std::vector<std::string> ResumeFrames::take() {
    std::vector<std::string> frames;
    if (!reset_.empty()) frames.push_back(std::exchange(reset_, {}));
    if (!offer_.empty()) frames.push_back(offer_);
    for (auto& n : notices_) frames.push_back(std::move(n.second));
    notices_.clear();
    return frames;
}

}  // namespace sb::signaling
