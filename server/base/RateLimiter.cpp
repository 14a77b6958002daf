#include "server/base/RateLimiter.hpp"

#include <algorithm>

namespace sb::base {

bool RateLimiter::allow(const std::string& key, Clock::time_point now) {
    if (rate_ <= 0) return true;
    std::lock_guard lock(mutex_);
    auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now});
    Bucket& b = it->second;
    if (!inserted) {
        double elapsed = std::chrono::duration<double>(now - b.last).count();
        b.tokens = std::min(burst_, b.tokens + elapsed * rate_);
        b.last = now;
    }
    if (b.tokens < 1.0) return false;
    b.tokens -= 1.0;
    return true;
}

}  // namespace sb::base
