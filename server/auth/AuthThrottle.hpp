#pragma once
// Failed-authentication throttling, keyed by source address or by account. After `maxFailures`
// failures within `lockout`, the key is locked for `lockout` from the last failure: every attempt
// is refused with 429 — the right password too, or a guesser would learn it by the reply.
//
// The table is keyed by attacker-chosen input (addresses), so it is bounded: at most `maxEntries`
// keys, the least recently touched one forgotten first (an LRU list). Thread-safe.

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace sb::auth {

class AuthThrottle {
  public:
    using Clock = std::chrono::steady_clock;
    AuthThrottle(std::size_t maxFailures, std::chrono::seconds lockout, std::size_t maxEntries);

    // Seconds until `key` may try again; 0 = not locked. maxFailures 0 = never locked.
    std::int64_t lockedFor(const std::string& key, Clock::time_point now = Clock::now());
    void recordFailure(const std::string& key, Clock::time_point now = Clock::now());
    std::size_t size() const;

  private:
    struct Entry {
        std::string key;
        std::size_t failures = 0;
        Clock::time_point windowStart;
        Clock::time_point lockedUntil;
    };
    using Lru = std::list<Entry>;  // most recently touched first
    Lru::iterator touch(const std::string& key, Clock::time_point now);

    std::size_t maxFailures_;
    std::chrono::seconds lockout_;
    std::size_t maxEntries_;
    mutable std::mutex mutex_;
    Lru lru_;
    std::unordered_map<std::string, Lru::iterator> index_;
};

}  // namespace sb::auth
