#include <catch2/catch.hpp>

#include <chrono>

#include "server/auth/BasicAuth.hpp"
#include "server/base/RateLimiter.hpp"
#include "server/net/HttpError.hpp"

using namespace sb;

namespace {
net::ErrorCode errorOf(const auth::AccountAuthenticator& a, const std::string& header,
                       const std::string& account) {
    try {
        a.authorize(header, account);
    } catch (const net::HttpError& e) {
        return e.code();
    }
    return net::ErrorCode::Internal;
}
}  // namespace

TEST_CASE("Basic credentials authorize only their own account", "[server][auth][BasicAuth]") {
    auth::AccountAuthenticator auth({{"1", "alice", "pw-a"}, {"2", "bob", "pw:b"}});
    // "alice:pw-a" and "bob:pw:b" in base64.
    CHECK(auth.authorize("Basic YWxpY2U6cHctYQ==", "1").id == "1");
    CHECK(auth.authorize("basic   Ym9iOnB3OmI=", "2").id == "2");  // scheme is case-insensitive
    CHECK(errorOf(auth, "Basic YWxpY2U6cHctYQ==", "2") == net::ErrorCode::Forbidden);
    CHECK(errorOf(auth, "Basic YWxpY2U6cHctYQ==", "3") == net::ErrorCode::Forbidden);
    CHECK(errorOf(auth, "", "1") == net::ErrorCode::Unauthorized);
    CHECK(errorOf(auth, "Bearer abc", "1") == net::ErrorCode::Unauthorized);
    CHECK(errorOf(auth, "Basic !!!!", "1") == net::ErrorCode::Unauthorized);
    CHECK(errorOf(auth, "Basic YWxpY2U6d3Jvbmc=", "1") ==
          net::ErrorCode::Unauthorized);                                          // alice:wrong
    CHECK(errorOf(auth, "Basic YWxpY2U=", "1") == net::ErrorCode::Unauthorized);  // no colon
}

TEST_CASE("Wrong passwords lock the address and the account, the right password included",
          "[server][auth][BasicAuth]") {
    auth::AccountAuthenticator auth({{"1", "alice", "pw-a"}, {"2", "bob", "pw:b"}},
                                    auth::AuthThrottleConfig{2, std::chrono::seconds(60), 100});
    const std::string wrong = "Basic YWxpY2U6d3Jvbmc=", right = "Basic YWxpY2U6cHctYQ==",
                      bob = "Basic Ym9iOnB3OmI=";
    auto code = [&](const std::string& header, const std::string& account,
                    const std::string& address) {
        try {
            auth.authorize(header, account, address);
        } catch (const net::HttpError& e) {
            return e.code();
        }
        return net::ErrorCode::Internal;  // authorized
    };
    CHECK(code(wrong, "1", "10.0.0.1") == net::ErrorCode::Unauthorized);
    CHECK(code(wrong, "1", "10.0.0.1") == net::ErrorCode::Unauthorized);
    CHECK(code(right, "1", "10.0.0.1") == net::ErrorCode::TooManyRequests);
    CHECK(code(right, "1", "10.0.0.2") ==
          net::ErrorCode::TooManyRequests);                                // the account is locked
    CHECK(code(bob, "2", "10.0.0.2") == net::ErrorCode::Internal);         // another account is not
    CHECK(code(bob, "2", "10.0.0.1") == net::ErrorCode::TooManyRequests);  // the address is locked
    CHECK(code("", "1", "10.0.0.3") ==
          net::ErrorCode::Unauthorized);  // no credentials: not counted
    CHECK(code("", "1", "10.0.0.3") == net::ErrorCode::Unauthorized);
    CHECK(code(bob, "2", "10.0.0.3") == net::ErrorCode::Internal);
}

TEST_CASE("RateLimiter allows a burst, then the sustained rate", "[server][ops][RateLimiter]") {
    base::RateLimiter limiter(10, 3);
    auto t = base::RateLimiter::Clock::now();
    CHECK(limiter.allow("a", t));
    CHECK(limiter.allow("a", t));
    CHECK(limiter.allow("a", t));
    CHECK_FALSE(limiter.allow("a", t));
    CHECK(limiter.allow("b", t));  // per key
    CHECK(limiter.allow("a", t + std::chrono::milliseconds(100)));
    CHECK_FALSE(limiter.allow("a", t + std::chrono::milliseconds(100)));
    base::RateLimiter unlimited(0, 0);
    for (int i = 0; i < 1000; ++i) REQUIRE(unlimited.allow("a", t));
}
