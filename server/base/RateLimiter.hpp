#pragma once
// Token-bucket request limit per key (an account id): `rate` requests per second on average,
// bursts up to `burst`. Thread-safe.

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace sb::base {

class RateLimiter {
  public:
    using Clock = std::chrono::steady_clock;
    RateLimiter(double ratePerSecond, double burst) : rate_(ratePerSecond), burst_(burst) {}

    // True if a request may proceed now; false means "429, retry later". rate 0 = unlimited.
    bool allow(const std::string& key, Clock::time_point now = Clock::now());

  private:
    struct Bucket {
        double tokens;
        Clock::time_point last;
    };
    double rate_;
    double burst_;
    std::mutex mutex_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace sb::base
