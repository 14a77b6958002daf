// VideoRoom's retry of 428 (no such feed) against a scripted Janus and a timer queue the test
// runs: a subscription or rtp_forward that names a feed Janus does not list yet is asked again
// after a delay, a bounded number of times, and its caller hears only the final answer.
#include <catch2/catch.hpp>

#include "unit/media/ScriptedJanus.hpp"

using namespace sb::media;
using namespace sb::media::testing;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

struct Forwarded {
    bool called = false;
    std::optional<JanusError> error;
    std::uint64_t streamId = 0;
};

struct Fixture {
    std::shared_ptr<ScriptedJanus> scripted = std::make_shared<ScriptedJanus>();
    ScriptedJanus& janus = *scripted;
    std::vector<std::chrono::milliseconds> delays;  // of every retry scheduled
    std::vector<std::function<void()>> timers;
    VideoRoom room{scripted, RoomOptions{"secret", "", 20},
                   [this](std::chrono::milliseconds delay, std::function<void()> fn) {
                       delays.push_back(delay);
                       timers.push_back(std::move(fn));
                   },
                   NoSuchFeedRetry{2, 100ms}};

    void runTimers() {
        auto due = std::move(timers);
        timers.clear();
        for (auto& fn : due) fn();
    }
    std::shared_ptr<Forwarded> forward() {
        auto out = std::make_shared<Forwarded>();
        room.rtpForward(100, 1234, {7, "0"}, "127.0.0.1", 40000, 5,
                        [out](std::optional<JanusError> e, std::uint64_t id) {
                            out->called = true;
                            out->error = std::move(e);
                            out->streamId = id;
                        });
        return out;
    }
};

}  // namespace

TEST_CASE_METHOD(Fixture, "VideoRoom: an rtp_forward answered 428 is asked again, then succeeds",
                 "[media][videoroom]") {
    auto result = forward();
    auto first = janus.take("rtp_forward");
    ScriptedJanus::fail(first, 428, "No such feed");
    CHECK_FALSE(result->called);
    REQUIRE(timers.size() == 1);
    CHECK(delays == std::vector<std::chrono::milliseconds>{100ms});
    CHECK_FALSE(janus.has("rtp_forward"));  // not before the delay

    runTimers();
    auto second = janus.take("rtp_forward");
    CHECK(second.body == first.body);
    CHECK(second.handle == first.handle);
    ScriptedJanus::reply(second, {{"forwarders", {{{"stream_id", 31u}}}}});
    REQUIRE(result->called);
    CHECK_FALSE(result->error);
    CHECK(result->streamId == 31);
    CHECK(timers.empty());
}

TEST_CASE_METHOD(Fixture, "VideoRoom: 428 until the retries run out gives the caller a 428 error",
                 "[media][videoroom]") {
    auto result = forward();
    for (int attempt = 0; attempt < 3; ++attempt) {  // the first request and two retries
        CHECK_FALSE(result->called);
        ScriptedJanus::fail(janus.take("rtp_forward"), 428, "No such feed");
        runTimers();
    }
    REQUIRE(result->called);
    REQUIRE(result->error);
    CHECK(result->error->noSuchFeed());
    CHECK(result->error->reason.find("asked 3 times") != std::string::npos);
    CHECK(delays.size() == 2);
    CHECK_FALSE(janus.has("rtp_forward"));
}

TEST_CASE_METHOD(Fixture, "VideoRoom: errors other than 428 are not retried",
                 "[media][videoroom]") {
    auto result = forward();
    ScriptedJanus::fail(janus.take("rtp_forward"), 433, "Unauthorized");
    REQUIRE(result->called);
    REQUIRE(result->error);
    CHECK(result->error->code == 433);
    CHECK_FALSE(result->error->noSuchFeed());
    CHECK(timers.empty());
}

TEST_CASE_METHOD(Fixture, "VideoRoom: a subscribe answered 428 starts again on a fresh handle",
                 "[media][videoroom]") {
    std::optional<JanusError> error;
    std::optional<Subscribed> subscribed;
    room.subscribe(1234, {{7, "0"}}, [&](std::optional<JanusError> e, Subscribed s) {
        error = std::move(e);
        subscribed = std::move(s);
    });
    auto first = janus.take("join");
    CHECK(first.body["ptype"] == "subscriber");
    ScriptedJanus::fail(first, 428, "No such feed");
    CHECK(janus.detached == std::vector<HandleId>{first.handle});  // the unjoined handle goes
    CHECK_FALSE(subscribed);

    runTimers();
    auto second = janus.take("join");
    CHECK(second.handle != first.handle);
    CHECK(second.body == first.body);
    json data;
    auto jsep = subscriberOffer({{7, "0", "audio"}}, data);
    ScriptedJanus::reply(second, data, jsep);
    REQUIRE(subscribed);
    CHECK_FALSE(error);
    CHECK(subscribed->handle == second.handle);
    REQUIRE(subscribed->offer);
    CHECK(subscribed->offer->active.size() == 1);
    CHECK(janus.detached.size() == 1);
}

TEST_CASE_METHOD(Fixture, "VideoRoom: an update answered 428 is sent again on the same handle",
                 "[media][videoroom]") {
    bool called = false;
    std::optional<JanusError> error;
    room.update(150, {{7, "0"}}, {}, [&](std::optional<JanusError> e, auto) {
        called = true;
        error = std::move(e);
    });
    ScriptedJanus::fail(janus.take("update"), 428, "No such feed");
    CHECK_FALSE(called);
    runTimers();
    auto again = janus.take("update");
    CHECK(again.handle == 150);
    ScriptedJanus::reply(again);
    CHECK(called);
    CHECK_FALSE(error);
    CHECK(janus.detached.empty());
}
