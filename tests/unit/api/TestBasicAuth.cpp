#include <catch2/catch.hpp>

#include "server/api/ApiError.hpp"
#include "server/api/BasicAuth.hpp"
#include "server/ops/RateLimiter.hpp"

using namespace sb;

namespace {
api::ErrorCode errorOf(const api::AccountAuthenticator& a, const std::string& header, const std::string& account) {
    try {
        a.authorize(header, account);
    } catch (const api::ApiError& e) {
        return e.code();
    }
    return api::ErrorCode::Internal;
}
}  // namespace

TEST_CASE("Basic credentials authorize only their own account", "[server][api][BasicAuth]") {
    api::AccountAuthenticator auth({{"1", "alice", "pw-a"}, {"2", "bob", "pw:b"}});
    // "alice:pw-a" and "bob:pw:b" in base64.
    CHECK(auth.authorize("Basic YWxpY2U6cHctYQ==", "1").id == "1");
    CHECK(auth.authorize("basic   Ym9iOnB3OmI=", "2").id == "2");  // scheme is case-insensitive
    CHECK(errorOf(auth, "Basic YWxpY2U6cHctYQ==", "2") == api::ErrorCode::Forbidden);
    CHECK(errorOf(auth, "Basic YWxpY2U6cHctYQ==", "3") == api::ErrorCode::Forbidden);
    CHECK(errorOf(auth, "", "1") == api::ErrorCode::Unauthorized);
    CHECK(errorOf(auth, "Bearer abc", "1") == api::ErrorCode::Unauthorized);
    CHECK(errorOf(auth, "Basic !!!!", "1") == api::ErrorCode::Unauthorized);
    CHECK(errorOf(auth, "Basic YWxpY2U6d3Jvbmc=", "1") == api::ErrorCode::Unauthorized);  // alice:wrong
    CHECK(errorOf(auth, "Basic YWxpY2U=", "1") == api::ErrorCode::Unauthorized);          // no colon
}

TEST_CASE("RateLimiter allows a burst, then the sustained rate", "[server][ops][RateLimiter]") {
    ops::RateLimiter limiter(10, 3);
    auto t = ops::RateLimiter::Clock::now();
    CHECK(limiter.allow("a", t));
    CHECK(limiter.allow("a", t));
    CHECK(limiter.allow("a", t));
    CHECK_FALSE(limiter.allow("a", t));
    CHECK(limiter.allow("b", t));  // per key
    CHECK(limiter.allow("a", t + std::chrono::milliseconds(100)));
    CHECK_FALSE(limiter.allow("a", t + std::chrono::milliseconds(100)));
    ops::RateLimiter unlimited(0, 0);
    for (int i = 0; i < 1000; ++i) REQUIRE(unlimited.allow("a", t));
}
