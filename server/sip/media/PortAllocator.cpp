#include "server/sip/media/PortAllocator.hpp"

#include <stdexcept>
#include <string>

namespace sb::sip::media {

PortAllocator::PortAllocator(std::uint16_t min, std::uint16_t max)
    : min_(static_cast<std::uint16_t>(min + (min & 1))), max_(max) {
    if (min_ > max_ || min_ == 0)  // min_ is 0 after 65535 rounded up, or for a min of 0
        throw std::invalid_argument("RTP port range " + std::to_string(min) + "-" +
                                    std::to_string(max) + " holds no usable even port");
    used_.assign((max_ - min_) / 2 + 1, false);
}

std::optional<std::uint16_t> PortAllocator::allocate() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (inUse_ == used_.size()) return std::nullopt;
    for (std::size_t tried = 0; tried < used_.size(); ++tried) {
        std::size_t i = cursor_;
        cursor_ = (cursor_ + 1) % used_.size();
        if (!used_[i]) {
            used_[i] = true;
            ++inUse_;
            return static_cast<std::uint16_t>(min_ + 2 * i);
        }
    }
    return std::nullopt;
}

void PortAllocator::release(std::uint16_t port) {
    if (port < min_ || port > max_ || (port - min_) % 2 != 0) return;
    std::lock_guard<std::mutex> lock(mutex_);
    std::size_t i = (port - min_) / 2;
    if (!used_[i]) return;
    used_[i] = false;
    --inUse_;
}

std::size_t PortAllocator::available() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return used_.size() - inUse_;
}

}  // namespace sb::sip::media
