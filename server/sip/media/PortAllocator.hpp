#pragma once
// Hands out even UDP ports from [min, max] for RTP (RFC 3550 §11: RTP on an even port, RTCP on
// the next odd one, which stays reserved with it). Thread-safe. Ports are handed out round-robin
// so a port just released is not reused at once (late packets of the previous call).

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

namespace sb::sip::media {

class PortAllocator {
  public:
    // Throws std::invalid_argument if [min, max] holds no even port.
    PortAllocator(std::uint16_t min, std::uint16_t max);

    // A free even port, or nullopt when the range is exhausted.
    std::optional<std::uint16_t> allocate();
    // Gives a port back; ports outside the range or not allocated are ignored.
    void release(std::uint16_t port);

    std::size_t capacity() const { return used_.size(); }
    std::size_t available() const;
    std::uint16_t min() const { return min_; }
    std::uint16_t max() const { return max_; }

  private:
    std::uint16_t min_;  // even
    std::uint16_t max_;
    mutable std::mutex mutex_;
    std::vector<bool> used_;  // index i ↔ port min_ + 2·i
    std::size_t cursor_ = 0;
    std::size_t inUse_ = 0;
};

}  // namespace sb::sip::media
