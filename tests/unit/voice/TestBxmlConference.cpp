// BXML <Conference> (dev.bandwidth.com/docs/voice/bxml/conference): attributes and their limits.
#include <catch2/catch.hpp>

#include "server/voice/Bxml.hpp"

using namespace sb::voice::bxml;

namespace {
std::string errorOf(const std::string& document) {
    try {
        parse(document);
    } catch (const BxmlError& e) {
        return e.what();
    }
    FAIL("parsed: " << document);
    return {};
}
}  // namespace

TEST_CASE("<Conference> with every attribute Bandwidth defines", "[voice][Bxml][conf]") {
    auto verbs = parse(R"(<Response><Conference mute="true" hold="false" callIdsToCoach="c-1, c-2"
        conferenceEventUrl="/conf" conferenceEventMethod="get" conferenceEventFallbackUrl="https://b/f"
        conferenceEventFallbackMethod="POST" username="u" password="p" fallbackUsername="fu"
        fallbackPassword="fp" tag="t" callbackTimeout="7.5"> team.room-1_a </Conference></Response>)");
    REQUIRE(verbs.size() == 1);
    CHECK(verbName(verbs[0]) == "Conference");
    const auto& c = std::get<Conference>(verbs[0]);
    CHECK(c.name == "team.room-1_a");
    CHECK(c.mute);
    CHECK_FALSE(c.hold);
    CHECK(c.callIdsToCoach == std::vector<std::string>{"c-1", "c-2"});
    CHECK(c.conferenceEventUrl == "/conf");
    CHECK(c.conferenceEventMethod == "GET");
    CHECK(c.conferenceEventFallbackUrl == "https://b/f");
    CHECK(c.username == "u");
    CHECK(c.fallbackPassword == "fp");
    CHECK(c.tag == "t");
    CHECK(c.callbackTimeout == Approx(7.5));
}

TEST_CASE("<Conference> defaults: heard, hearing, events nowhere", "[voice][Bxml][conf]") {
    auto verbs = parse("<Response><Conference>x</Conference></Response>");
    const auto& c = std::get<Conference>(verbs[0]);
    CHECK_FALSE(c.mute);
    CHECK_FALSE(c.hold);
    CHECK_FALSE(c.conferenceEventUrl);
    CHECK(c.conferenceEventMethod == "POST");
    CHECK(c.callbackTimeout == Approx(15));
}

TEST_CASE("<Conference> refuses what Bandwidth refuses, saying why", "[voice][Bxml][conf]") {
    CHECK_THAT(errorOf("<Response><Conference/></Response>"), Catch::Contains("name"));
    CHECK_THAT(errorOf("<Response><Conference>a b</Conference></Response>"),
               Catch::Contains("may only have"));
    CHECK_THAT(
        errorOf("<Response><Conference>" + std::string(101, 'a') + "</Conference></Response>"),
        Catch::Contains("at most 100"));
    CHECK_THAT(errorOf(R"(<Response><Conference mute="yes">a</Conference></Response>)"),
               Catch::Contains("mute") && Catch::Contains("true or false"));
    CHECK_THAT(errorOf(R"(<Response><Conference callbackTimeout="30">a</Conference></Response>)"),
               Catch::Contains("callbackTimeout"));
    CHECK_THAT(errorOf(R"(<Response><Conference callIdsToCoach="c-1;x">a</Conference></Response>)"),
               Catch::Contains("not a call id"));
    std::string many;
    for (int i = 0; i < 21; ++i) many += "c-" + std::to_string(i) + ",";
    CHECK_THAT(errorOf(R"(<Response><Conference callIdsToCoach=")" + many +
                       R"(">a</Conference></Response>)"),
               Catch::Contains("more than 20"));
    CHECK_THAT(errorOf(R"(<Response><Conference volume="3">a</Conference></Response>)"),
               Catch::Contains("volume"));
    CHECK_THAT(errorOf(R"(<Response><Conference username=")" + std::string(1025, 'u') +
                       R"(">a</Conference></Response>)"),
               Catch::Contains("1024"));
}
