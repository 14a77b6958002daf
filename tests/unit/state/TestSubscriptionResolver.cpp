// Reference §4.4 subscription semantics as a table: one row per rule.
#include <catch2/catch.hpp>

#include "server/state/SubscriptionResolver.hpp"

using namespace sb::state;

namespace {

const std::vector<SessionMember> kMembers{{"x"}, {"a"}, {"b"}, {"c"}};
// x publishes from two devices, x1 and x2; c's stream comes from a phone (no device id).
const std::vector<PublishedStream> kStreams{
    {"a", "a-mic", std::string("mic"), "a1"},
    {"a", "a-cam", std::string("cam"), "a1"},
    {"b", "b-mic", std::string("mic"), "b1"},
    {"b", "b-screen", std::string("screen"), "b2"},
    {"c", "c-noalias", std::nullopt, ""},
    {"x", "x-mic", std::string("mic"), "x1"},
    {"x", "x-cam", std::string("cam"), "x1"},
    {"x", "x2-mic", std::string("mic"), "x2"},
    {"stranger", "s-mic", std::string("mic"), "s1"},  // not a member of the session
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
    streams.push_back({"late", "late-mic", std::string("mic"), "late1"});
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

// docs/protocol.md "Loopback (preflight)": a loopback device gets its own streams on top of what
// its participant's subscriptions give, never its participant's other devices' streams.
TEST_CASE("a loopback device also receives its own streams",
          "[server][state][SubscriptionResolver]") {
    struct Row {
        const char* rule;
        std::optional<Subscriptions> subs;
        std::string loopback;
        std::vector<std::string> expected;
    };
    const std::vector<Row> table{
        {"no loopback: never its own",
         sessionWide(),
         "",
         {"a-mic", "a-cam", "b-mic", "b-screen", "c-noalias"}},
        {"loopback: its own streams too, in their place",
         sessionWide(),
         "x1",
         {"a-mic", "a-cam", "b-mic", "b-screen", "c-noalias", "x-mic", "x-cam"}},
        {"loopback without subscriptions: only its own", std::nullopt, "x1", {"x-mic", "x-cam"}},
        {"loopback with an alias filter: its own streams are not filtered",
         only({{"a", {"cam"}}}),
         "x1",
         {"a-cam", "x-mic", "x-cam"}},
        {"the other device of the same participant", std::nullopt, "x2", {"x2-mic"}},
        {"another participant's device id is not its own", std::nullopt, "a1", {}},
        {"a phone's empty device id never matches", std::nullopt, "", {}},
    };
    for (const auto& row : table) {
        INFO(row.rule);
        CHECK(ids(receivedStreams("x", "S", row.subs, kMembers, kStreams, row.loopback)) ==
              row.expected);
    }
    // Not a member of the session (removed while its publisher was still live): nothing.
    const std::vector<SessionMember> withoutX{{"a"}, {"b"}, {"c"}};
    CHECK(receivedStreams("x", "S", std::nullopt, withoutX, kStreams, "x1").empty());
}
