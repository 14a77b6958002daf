// info: Diversion headers of a <Forward>ed leg (server/bridge/Diversion): Bandwidth's
// diversionTreatment none / propagate / stack, RFC 5806 order and parameters.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "server/bridge/Diversion.hpp"

using sb::bridge::DiversionRequest;
using sb::bridge::forwardedDiversion;

namespace {
const std::vector<std::string> kReceived{
    "<sip:+15550002222@pbx.example>;reason=no-answer;counter=1",
    "<sip:+15550003333@pbx.example>;reason=user-busy"};
}

TEST_CASE("none or absent: no Diversion, even when the inbound call had some", "[Diversion]") {
    for (const char* t : {"", "none"}) {
        DiversionRequest r{t, "", "+15551230000", "127.0.0.1:5060", &kReceived};
        CHECK(forwardedDiversion(r).empty());
    }
}

TEST_CASE("propagate: the inbound values unchanged, in order; nothing when there were none",
          "[Diversion]") {
    DiversionRequest r{"propagate", "user-busy", "+15551230000", "127.0.0.1:5060", &kReceived};
    CHECK(forwardedDiversion(r) == kReceived);
    const std::vector<std::string> none;
    r.received = &none;
    CHECK(forwardedDiversion(r).empty());
    r.received = nullptr;
    CHECK(forwardedDiversion(r).empty());
}

TEST_CASE("stack: ours on top with reason and counter, then the inbound ones", "[Diversion]") {
    DiversionRequest r{"stack", "no-answer", "+15551230000", "127.0.0.1:5060", &kReceived};
    auto out = forwardedDiversion(r);
    REQUIRE(out.size() == 3);
    CHECK(out[0] == "<sip:+15551230000@127.0.0.1:5060>;reason=no-answer;counter=1");
    CHECK(out[1] == kReceived[0]);
    CHECK(out[2] == kReceived[1]);
    r.reason = "";
    r.received = nullptr;
    CHECK(forwardedDiversion(r) ==
          std::vector<std::string>{"<sip:+15551230000@127.0.0.1:5060>;reason=unknown;counter=1"});
}

TEST_CASE("stack: a diverting 'number' that is a URI or odd text gets no entry of ours",
          "[Diversion]") {
    for (const char* n : {"sip:alice@example.com", "", "+1555 123", "a>b", "x\r\nEvil: 1"}) {
        DiversionRequest r{"stack", "unknown", n, "127.0.0.1:5060", nullptr};
        CHECK(forwardedDiversion(r).empty());
    }
}

TEST_CASE("received values with control characters or over the length bound are not sent on",
          "[Diversion]") {
    const std::vector<std::string> bad{"<sip:a@b>\r\nX-Evil: 1", std::string(600, 'a'), "",
                                       "<sip:ok@b>;reason=away"};
    DiversionRequest r{"propagate", "", "", "", &bad};
    CHECK(forwardedDiversion(r) == std::vector<std::string>{"<sip:ok@b>;reason=away"});
}
