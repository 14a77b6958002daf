// Reference §4.4 subscription semantics as a table: one row per rule.
#include <catch2/catch.hpp>

#include "server/state/SubscriptionResolver.hpp"

using namespace sb::state;

namespace {

const std::vector<SessionMember> kMembers{{"x"}, {"a"}, {"b"}, {"c"}};
const std::vector<PublishedStream> kStreams{
    {"a", "a-mic", std::string("mic")},        {"a", "a-cam", std::string("cam")},
    {"b", "b-mic", std::string("mic")},        {"b", "b-screen", std::string("screen")},
    {"c", "c-noalias", std::nullopt},          {"x", "x-mic", std::string("mic")},
    {"stranger", "s-mic", std::string("mic")},  // not a member of the session
};

Subscriptions sessionWide(const std::string& sid = "S") {
    return Subscriptions{sid, {}};
}
Subscriptions only(std::vector<ParticipantSubscription> list,
                   std::optional<std::string> sid = std::nullopt) {
    return Subscriptions{std::move(sid), std::move(list)};
}

std::vector<std::string> ids(const std::vector<PublishedStream>& streams) {
    std::vector<std::string> out;
    for (const auto& s : streams) out.push_back(s.streamId);
    return out;
}

}  // namespace

TEST_CASE("receivedStreams follows reference §4.4", "[server][state][SubscriptionResolver]") {
    struct Row {
        const char* rule;
        std::optional<Subscriptions> subs;
        std::vector<std::string> expected;
    };
    const std::vector<Row> table{
        {"no subscriptions: nothing", std::nullopt, {}},
        {"empty subscriptions object: nothing", Subscriptions{}, {}},
        {"sessionId only: every other member's streams, never your own, never a non-member's",
         sessionWide(),
         {"a-mic", "a-cam", "b-mic", "b-screen", "c-noalias"}},
        {"sessionId of another session: nothing", sessionWide("OTHER"), {}},
        {"participants list: exactly those", only({{"a", {}}}), {"a-mic", "a-cam"}},
        {"participants list overrides sessionId", only({{"b", {}}}, "S"), {"b-mic", "b-screen"}},
        {"stream alias filter", only({{"a", {"cam"}}, {"b", {"mic"}}}), {"a-cam", "b-mic"}},
        {"alias filter never matches a stream without alias", only({{"c", {"mic"}}}), {}},
        {"alias that no stream has: nothing from that participant", only({{"a", {"nope"}}}), {}},
        {"subscribing to yourself is ignored", only({{"x", {}}}), {}},
        {"a listed participant outside the session is ignored", only({{"stranger", {}}}), {}},
        {"several aliases of one participant",
         only({{"b", {"mic", "screen"}}}),
         {"b-mic", "b-screen"}},
    };
    for (const auto& row : table) {
        INFO(row.rule);
        CHECK(ids(receivedStreams("x", "S", row.subs, kMembers, kStreams)) == row.expected);
    }
}

TEST_CASE("a session-wide subscription covers future members",
          "[server][state][SubscriptionResolver]") {
    auto members = kMembers;
    auto streams = kStreams;
    members.push_back({"late"});
    streams.push_back({"late", "late-mic", std::string("mic")});
    auto got = ids(receivedStreams("x", "S", sessionWide(), members, streams));
    CHECK(std::find(got.begin(), got.end(), "late-mic") != got.end());
    // …but not an explicit list written before they joined.
    got = ids(receivedStreams("x", "S", only({{"a", {}}}), members, streams));
    CHECK(std::find(got.begin(), got.end(), "late-mic") == got.end());
}

TEST_CASE("isSubscribedTo answers per publisher", "[server][state][SubscriptionResolver]") {
    CHECK(isSubscribedTo("x", "S", sessionWide(), kMembers, "a"));
    CHECK_FALSE(isSubscribedTo("x", "S", sessionWide(), kMembers, "x"));
    CHECK_FALSE(isSubscribedTo("x", "S", sessionWide(), kMembers, "stranger"));
    CHECK(isSubscribedTo("x", "S", only({{"b", {"mic"}}}), kMembers, "b"));
    CHECK_FALSE(isSubscribedTo("x", "S", only({{"b", {"mic"}}}), kMembers, "a"));
    CHECK_FALSE(isSubscribedTo("x", "S", std::nullopt, kMembers, "a"));
}
