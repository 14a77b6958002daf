#include "server/auth/AuthThrottle.hpp"

#include <algorithm>

namespace sb::auth {

AuthThrottle::AuthThrottle(std::size_t maxFailures, std::chrono::seconds lockout,
                           std::size_t maxEntries)
    : maxFailures_(maxFailures),
      lockout_(lockout),
      maxEntries_(std::max<std::size_t>(1, maxEntries)) {}

AuthThrottle::Lru::iterator AuthThrottle::touch(const std::string& key, Clock::time_point now) {
    auto found = index_.find(key);
    if (found != index_.end()) {
        lru_.splice(lru_.begin(), lru_, found->second);
        return lru_.begin();
    }
    if (lru_.size() >= maxEntries_) {
        index_.erase(lru_.back().key);
        lru_.pop_back();
    }
    lru_.push_front(Entry{key, 0, now, Clock::time_point{}});
    index_.emplace(key, lru_.begin());
    return lru_.begin();
}

std::int64_t AuthThrottle::lockedFor(const std::string& key, Clock::time_point now) {
    if (maxFailures_ == 0) return 0;
    std::lock_guard lock(mutex_);
    auto found = index_.find(key);
    if (found == index_.end() || now >= found->second->lockedUntil) return 0;
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(found->second->lockedUntil - now)
            .count();
    return std::max<std::int64_t>(1, (left + 999) / 1000);
}

void AuthThrottle::recordFailure(const std::string& key, Clock::time_point now) {
    if (maxFailures_ == 0) return;
    std::lock_guard lock(mutex_);
    Entry& e = *touch(key, now);
    if (now - e.windowStart >= lockout_) {
        e.failures = 0;
        e.windowStart = now;
    }
    if (++e.failures >= maxFailures_) e.lockedUntil = now + lockout_;
}

std::size_t AuthThrottle::size() const {
    std::lock_guard lock(mutex_);
    return lru_.size();
}

}  // namespace sb::auth
