#include <catch2/catch.hpp>

#include "server/auth/AuthThrottle.hpp"

using namespace sb;
using namespace std::chrono_literals;

TEST_CASE("AuthThrottle locks a key after maxFailures within the window, for the lockout",
          "[server][auth][throttle]") {
    auth::AuthThrottle t(3, 60s, 100);
    auto t0 = auth::AuthThrottle::Clock::now();
    t.recordFailure("a", t0);
    t.recordFailure("a", t0 + 1s);
    CHECK(t.lockedFor("a", t0 + 2s) == 0);
    t.recordFailure("a", t0 + 2s);
    CHECK(t.lockedFor("a", t0 + 2s) == 60);
    CHECK(t.lockedFor("a", t0 + 31s) == 31);
    CHECK(t.lockedFor("b", t0 + 2s) == 0);
    CHECK(t.lockedFor("a", t0 + 62s) == 0);
}

TEST_CASE("AuthThrottle forgets failures older than the window", "[server][auth][throttle]") {
    auth::AuthThrottle t(3, 10s, 100);
    auto t0 = auth::AuthThrottle::Clock::now();
    t.recordFailure("a", t0);
    t.recordFailure("a", t0 + 1s);
    t.recordFailure("a", t0 + 11s);  // a new window: 1 failure
    t.recordFailure("a", t0 + 12s);
    CHECK(t.lockedFor("a", t0 + 12s) == 0);
    t.recordFailure("a", t0 + 13s);
    CHECK(t.lockedFor("a", t0 + 13s) == 10);
}

TEST_CASE("AuthThrottle is bounded: the least recently touched key goes first",
          "[server][auth][throttle]") {
    auth::AuthThrottle t(1, 60s, 3);
    auto t0 = auth::AuthThrottle::Clock::now();
    for (int i = 0; i < 1000; ++i) t.recordFailure("attacker-" + std::to_string(i), t0);
    CHECK(t.size() == 3);
    CHECK(t.lockedFor("attacker-999", t0) > 0);
    CHECK(t.lockedFor("attacker-0", t0) == 0);  // forgotten
    t.recordFailure("x", t0);
    t.recordFailure("y", t0);
    t.recordFailure("x", t0);  // x touched again: y, then older, are evicted first
    t.recordFailure("z", t0);
    CHECK(t.lockedFor("x", t0) > 0);
    CHECK(t.lockedFor("z", t0) > 0);
}

TEST_CASE("AuthThrottle with maxFailures 0 never locks", "[server][auth][throttle]") {
    auth::AuthThrottle t(0, 60s, 10);
    for (int i = 0; i < 100; ++i) t.recordFailure("a");
    CHECK(t.lockedFor("a") == 0);
    CHECK(t.size() == 0);
}
