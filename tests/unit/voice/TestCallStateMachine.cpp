// One row per (state, event) pair of the voice call state machine.
#include <catch2/catch.hpp>

#include "server/voice/Call.hpp"
#include "server/voice/CallIds.hpp"

using namespace sb::voice;
using S = CallState;
using E = CallEvent;

namespace {
struct Row {
    S from;
    E event;
    std::optional<S> to;
};
}  // namespace

TEST_CASE("nextState: every state and event", "[voice][CallStateMachine]") {
    const std::optional<S> no;
    const Row table[] = {
        {S::Initiated, E::Ring, S::Ringing},
        {S::Initiated, E::Answer, S::Answered},
        {S::Initiated, E::Hangup, S::Completed},
        {S::Initiated, E::Cancel, S::Completed},
        {S::Initiated, E::Busy, S::Failed},
        {S::Initiated, E::Timeout, S::Failed},
        {S::Initiated, E::Rejected, S::Failed},
        {S::Initiated, E::Error, S::Failed},

        {S::Ringing, E::Ring, S::Ringing},
        {S::Ringing, E::Answer, S::Answered},
        {S::Ringing, E::Hangup, S::Completed},
        {S::Ringing, E::Cancel, S::Completed},
        {S::Ringing, E::Busy, S::Failed},
        {S::Ringing, E::Timeout, S::Failed},
        {S::Ringing, E::Rejected, S::Failed},
        {S::Ringing, E::Error, S::Failed},

        {S::Answered, E::Ring, no},
        {S::Answered, E::Answer, S::Answered},
        {S::Answered, E::Hangup, S::Completed},
        {S::Answered, E::Cancel, no},
        {S::Answered, E::Busy, no},
        {S::Answered, E::Timeout, no},
        {S::Answered, E::Rejected, no},
        {S::Answered, E::Error, S::Failed},

        {S::Completed, E::Ring, no},
        {S::Completed, E::Answer, no},
        {S::Completed, E::Hangup, no},
        {S::Completed, E::Cancel, no},
        {S::Completed, E::Busy, no},
        {S::Completed, E::Timeout, no},
        {S::Completed, E::Rejected, no},
        {S::Completed, E::Error, no},

        {S::Failed, E::Ring, no},
        {S::Failed, E::Answer, no},
        {S::Failed, E::Hangup, no},
        {S::Failed, E::Cancel, no},
        {S::Failed, E::Busy, no},
        {S::Failed, E::Timeout, no},
        {S::Failed, E::Rejected, no},
        {S::Failed, E::Error, no},
    };
    for (const auto& row : table) {
        INFO(toString(row.from) << " + " << toString(row.event));
        CHECK(nextState(row.from, row.event) == row.to);
    }
}

TEST_CASE("Bandwidth's vocabulary for states and causes", "[voice][CallStateMachine]") {
    CHECK(std::string(bandwidthState(S::Initiated)) == "initiated");
    CHECK(std::string(bandwidthState(S::Ringing)) == "initiated");
    CHECK(std::string(bandwidthState(S::Answered)) == "answered");
    CHECK(std::string(bandwidthState(S::Completed)) == "disconnected");
    CHECK(std::string(bandwidthState(S::Failed)) == "disconnected");
    CHECK(eventForCause("hangup") == E::Hangup);
    CHECK(eventForCause("busy") == E::Busy);
    CHECK(eventForCause("timeout") == E::Timeout);
    CHECK(eventForCause("cancel") == E::Cancel);
    CHECK(eventForCause("rejected") == E::Rejected);
    CHECK(eventForCause("invalid-bxml") == E::Error);
    CHECK(eventForCause("callback-error") == E::Error);
    CHECK(eventForCause("something-new") == E::Error);
}

TEST_CASE("call ids look like Bandwidth's", "[voice][CallStateMachine]") {
    auto id = newCallId();
    CHECK(id.size() == 47);
    CHECK(isCallId(id));
    CHECK(id != newCallId());
    CHECK(isCallId("c-93d6f3c0-be584596-0b74-4fa2-8015-d8ede84bd1a4"));
    CHECK_FALSE(isCallId("c-93d6f3c0-be584596-0b74-4fa2-8015-d8ede84bd1a"));
    CHECK_FALSE(isCallId("x-93d6f3c0-be584596-0b74-4fa2-8015-d8ede84bd1a4"));
    CHECK_FALSE(isCallId("c-93d6f3c0-be584596-0b74-4fa2-8015-d8ede84bd1ag"));
    CHECK(callIdFromHex("93d6f3c0be5845960b744fa28015d8ede84bd1a4") ==
          std::optional<std::string>("c-93d6f3c0-be584596-0b74-4fa2-8015-d8ede84bd1a4"));
    CHECK_FALSE(callIdFromHex("93d6"));
}

TEST_CASE("isoTime is UTC with milliseconds", "[voice][CallStateMachine]") {
    TimePoint t{std::chrono::milliseconds(1714566896789)};
    CHECK(isoTime(t) == "2024-05-01T12:34:56.789Z");
    CHECK(isoTime(TimePoint{}) == "1970-01-01T00:00:00.000Z");
}
