// Toll-fraud policy (DESIGN.md): destination patterns, caller ids, concurrency, calls per minute.
#include <catch2/catch.hpp>

#include "server/net/HttpError.hpp"
#include "server/voice/CallIds.hpp"
#include "server/voice/CallRegistry.hpp"

using namespace sb::voice;
using sb::net::ErrorCode;
using sb::net::HttpError;

namespace {

Call outbound(const std::string& to, const std::string& account = "acc") {
    Call c;
    c.callId = newCallId();
    c.accountId = account;
    c.from = "+15550000001";
    c.to = to;
    return c;
}

struct Fixture {
    CallRegistry::SteadyClock::time_point now{};
    CallPolicy policy;
    CallRegistry registry{CallPolicy{}, 100, [this] { return now; }};
    Fixture() {
        policy.maxConcurrentCalls = 2;
        policy.maxCallsPerMinute = 3;
        policy.allowedDestinations = {R"(\+1555\d{7})", "sip:.*@pbx\\.example\\.com"};
        registry.setPolicy("acc", policy);
    }
};

HttpError refusal(CallRegistry& r, const Call& c) {
    try {
        r.admitOutbound(c);
    } catch (const HttpError& e) {
        return e;
    }
    FAIL("admitted");
    return HttpError{ErrorCode::Internal, ""};
}

}  // namespace

TEST_CASE_METHOD(Fixture, "destinations must match an allowed pattern entirely",
                 "[voice][CallRegistry]") {
    registry.admitOutbound(outbound("+15551234567"));
    registry.admitOutbound(outbound("sip:alice@pbx.example.com"));
    auto e = refusal(registry, outbound("+190012345678"));
    CHECK(e.code() == ErrorCode::Forbidden);
    CHECK(e.field() == "to");
    CHECK(std::string(e.what()).find("+190012345678") != std::string::npos);
    // A prefix match is not enough: the whole destination must match.
    CHECK(refusal(registry, outbound("+155512345670")).code() == ErrorCode::Forbidden);
    CHECK(refusal(registry, outbound("sip:alice@pbx.example.com.evil.net")).code() ==
          ErrorCode::Forbidden);
}

TEST_CASE_METHOD(Fixture, "accounts without a policy may not call out at all",
                 "[voice][CallRegistry]") {
    CHECK(refusal(registry, outbound("+15551234567", "other")).code() == ErrorCode::Forbidden);
    Call in = outbound("+15551234567", "other");
    in.direction = CallDirection::Inbound;
    registry.admitInbound(in);  // inbound calls are not subject to destination patterns
    CHECK(registry.activeCalls("other") == 1);
}

TEST_CASE_METHOD(Fixture, "caller ids can be restricted", "[voice][CallRegistry]") {
    policy.allowedCallerIds = {R"(\+1555000000[0-9])"};
    registry.setPolicy("acc", policy);
    registry.admitOutbound(outbound("+15551234567"));
    auto c = outbound("+15551234567");
    c.from = "+19998887777";
    auto e = refusal(registry, c);
    CHECK(e.code() == ErrorCode::Forbidden);
    CHECK(e.field() == "from");
}

TEST_CASE_METHOD(Fixture, "concurrent calls are limited until one ends", "[voice][CallRegistry]") {
    auto a = outbound("+15551234567");
    registry.admitOutbound(a);
    registry.admitOutbound(outbound("+15551234568"));
    auto e = refusal(registry, outbound("+15551234569"));
    CHECK(e.code() == ErrorCode::TooManyRequests);
    REQUIRE(registry.apply(a.callId, CallEvent::Busy, TimePoint{}, "busy"));
    CHECK(registry.activeCalls("acc") == 1);
    registry.admitOutbound(outbound("+15551234569"));
}

TEST_CASE_METHOD(Fixture, "calls per minute are limited over a sliding window",
                 "[voice][CallRegistry]") {
    policy.maxConcurrentCalls = 100;
    registry.setPolicy("acc", policy);
    for (int i = 0; i < 3; ++i) {
        registry.admitOutbound(outbound("+15551234567"));
        now += std::chrono::seconds(10);
    }
    auto e = refusal(registry, outbound("+15551234567"));
    CHECK(e.code() == ErrorCode::TooManyRequests);
    REQUIRE(e.headers.size() == 1);
    CHECK(e.headers[0] == std::make_pair(std::string("Retry-After"), std::string("30")));
    now += std::chrono::seconds(30);  // the first start leaves the window
    registry.admitOutbound(outbound("+15551234567"));
}

TEST_CASE_METHOD(Fixture, "apply records times, causes and refuses illegal edges",
                 "[voice][CallRegistry]") {
    auto c = outbound("+15551234567");
    registry.admitOutbound(c);
    TimePoint t1{std::chrono::seconds(100)}, t2{std::chrono::seconds(160)};
    auto ring = registry.apply(c.callId, CallEvent::Ring, t1);
    REQUIRE(ring);
    CHECK(ring->from == CallState::Initiated);
    auto answer = registry.apply(c.callId, CallEvent::Answer, t1);
    REQUIRE(answer);
    CHECK(answer->call.answerTime == t1);
    CHECK_FALSE(registry.apply(c.callId, CallEvent::Busy, t2));
    auto end = registry.apply(c.callId, CallEvent::Error, t2, "invalid-bxml", "bad verb");
    REQUIRE(end);
    CHECK(end->call.state == CallState::Failed);
    CHECK(end->call.endTime == t2);
    CHECK(end->call.disconnectCause == std::optional<std::string>("invalid-bxml"));
    CHECK(end->call.errorMessage == std::optional<std::string>("bad verb"));
    CHECK_FALSE(registry.apply(c.callId, CallEvent::Hangup, t2));
    CHECK_FALSE(registry.update(c.callId, [](Call& x) { x.tag = "late"; }));
    CHECK(registry.activeCalls("acc") == 0);
    CHECK_FALSE(registry.apply("c-unknown", CallEvent::Hangup, t2));
}

TEST_CASE_METHOD(Fixture, "calls are private to their account and ended ones are purged",
                 "[voice][CallRegistry]") {
    auto c = outbound("+15551234567");
    registry.admitOutbound(c);
    CHECK(registry.get("acc", c.callId).to == c.to);
    try {
        registry.get("other", c.callId);
        FAIL("found");
    } catch (const HttpError& e) {
        CHECK(e.code() == ErrorCode::NotFound);
    }
    registry.apply(c.callId, CallEvent::Hangup, TimePoint{std::chrono::seconds(10)});
    CHECK(registry.purgeEnded(TimePoint{std::chrono::seconds(5)}) == 0);
    CHECK(registry.purgeEnded(TimePoint{std::chrono::seconds(11)}) == 1);
    CHECK_FALSE(registry.find(c.callId));
}

TEST_CASE("ended calls beyond the cap are dropped, oldest first", "[voice][CallRegistry]") {
    CallPolicy p;
    p.allowedDestinations = {".*"};
    p.maxConcurrentCalls = 10;
    p.maxCallsPerMinute = 10;
    CallRegistry registry(p, 1);
    auto a = outbound("+15551234567"), b = outbound("+15551234567");
    registry.admitOutbound(a);
    registry.admitOutbound(b);
    registry.apply(a.callId, CallEvent::Hangup, TimePoint{});
    auto t = registry.apply(b.callId, CallEvent::Hangup, TimePoint{});
    REQUIRE(t);
    CHECK(t->call.state == CallState::Completed);
    CHECK_FALSE(registry.find(a.callId));
    CHECK(registry.find(b.callId));
}

TEST_CASE("invalid patterns are refused when the policy is set", "[voice][CallRegistry]") {
    CallRegistry registry;
    CallPolicy p;
    p.allowedDestinations = {"(+1"};
    CHECK_THROWS_WITH(registry.setPolicy("acc", p), Catch::Contains("(+1"));
}

TEST_CASE_METHOD(Fixture, "transfer legs pass the destination and rate rules but take no call slot",
                 "[voice][CallRegistry]") {
    auto transferRefusal = [&](const std::string& to) {
        try {
            registry.admitTransferLeg("acc", to, "+15550000001");
        } catch (const HttpError& e) {
            return e.code();
        }
        return ErrorCode::Internal;  // admitted
    };
    CHECK(transferRefusal("+190012345678") == ErrorCode::Forbidden);
    CHECK(transferRefusal("sip:bob@evil.example.net") == ErrorCode::Forbidden);
    CHECK(transferRefusal("+15551234567") == ErrorCode::Internal);
    CHECK(transferRefusal("sip:bob@pbx.example.com") == ErrorCode::Internal);
    CHECK(registry.activeCalls("acc") == 0);
    // The third start in this minute is the limit (3), whether call or transfer leg.
    registry.admitOutbound(outbound("+15551234567"));
    CHECK(transferRefusal("+15551234567") == ErrorCode::TooManyRequests);
    CHECK(registry.activeCalls("acc") == 1);
}

TEST_CASE(
    "destinations and caller ids longer than 256 characters match no pattern (no regex on them)",
    "[voice][CallRegistry]") {
    // libstdc++'s matcher recurses per character: 200,000 characters would overflow the stack.
    CallPolicy p;
    p.allowedDestinations = {".*"};
    p.allowedCallerIds = {".*"};
    p.maxConcurrentCalls = 10;
    p.maxCallsPerMinute = 10;
    CallRegistry registry(p, 10);
    const std::string huge = "+1" + std::string(200000, '5');
    auto refused = [&](const std::string& to, const std::string& from) {
        try {
            registry.admitTransferLeg("acc", to, from);
        } catch (const HttpError& e) {
            return e.code() == ErrorCode::Forbidden;
        }
        return false;
    };
    CHECK(refused(huge, "+15550000001"));
    CHECK(refused("+15551234567", huge));
    CHECK_FALSE(refused("+1" + std::string(254, '5'), "+15550000001"));  // 256: still matched
}
