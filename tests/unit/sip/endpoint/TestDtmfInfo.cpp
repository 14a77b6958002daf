// SIP INFO DTMF bodies (server/sip/endpoint/DtmfInfo): application/dtmf-relay and
// application/dtmf, as phones send them, and what must be refused.
#include <catch2/catch.hpp>

#include <string>

#include "server/sip/endpoint/DtmfInfo.hpp"

using sb::sip::DtmfInfo;
using sb::sip::parseDtmfInfo;
using Kind = DtmfInfo::Kind;

namespace {
char digitOf(std::string_view type, std::string_view body) {
    auto r = parseDtmfInfo(type, body);
    REQUIRE(r.kind == Kind::Digit);
    return r.digit;
}
Kind kindOf(std::string_view type, std::string_view body) {
    return parseDtmfInfo(type, body).kind;
}
}  // namespace

TEST_CASE("dtmf-relay: every digit, CRLF and LF, any key case and spacing", "[DtmfInfo]") {
    for (char d : std::string("0123456789*#ABCD")) {
        std::string body = std::string("Signal=") + d + "\r\nDuration=160\r\n";
        CHECK(digitOf("application/dtmf-relay", body) == d);
    }
    CHECK(digitOf("application/dtmf-relay", "Signal=5\nDuration=250\n") == '5');
    CHECK(digitOf("Application/DTMF-Relay; charset=us-ascii", "signal= 7 \r\nduration = 100") ==
          '7');
    CHECK(digitOf("application/dtmf-relay", "Signal=a") == 'A');
    CHECK(digitOf("application/dtmf-relay", "\r\nSignal=9\r\n\r\n") == '9');
    // Unknown keys are ignored (Cisco adds none, others add e.g. Volume).
    CHECK(digitOf("application/dtmf-relay", "Signal=3\r\nVolume=10\r\nDuration=160") == '3');
}

TEST_CASE("dtmf-relay: event codes 10-15 as * # A-D; 16 and ! are not digits", "[DtmfInfo]") {
    CHECK(digitOf("application/dtmf-relay", "Signal=10\r\nDuration=160") == '*');
    CHECK(digitOf("application/dtmf-relay", "Signal=11\r\nDuration=160") == '#');
    CHECK(digitOf("application/dtmf-relay", "Signal=12") == 'A');
    CHECK(digitOf("application/dtmf-relay", "Signal=15") == 'D');
    CHECK(kindOf("application/dtmf-relay", "Signal=16\r\nDuration=2000") == Kind::NotADigit);
    CHECK(kindOf("application/dtmf-relay", "Signal=!") == Kind::NotADigit);
}

TEST_CASE("dtmf-relay: malformed bodies", "[DtmfInfo]") {
    const auto t = "application/dtmf-relay";
    CHECK(kindOf(t, "") == Kind::Malformed);
    CHECK(kindOf(t, "Duration=160") == Kind::Malformed);  // no Signal
    CHECK(kindOf(t, "Signal=") == Kind::Malformed);
    CHECK(kindOf(t, "Signal=Z") == Kind::Malformed);
    CHECK(kindOf(t, "Signal=17") == Kind::Malformed);
    CHECK(kindOf(t, "Signal=05") == Kind::Malformed);
    CHECK(kindOf(t, "Signal=55") == Kind::Malformed);
    CHECK(kindOf(t, "Signal=1\r\nSignal=2") == Kind::Malformed);  // which one?
    CHECK(kindOf(t, "Signal=1\r\nDuration=abc") == Kind::Malformed);
    CHECK(kindOf(t, "Signal=1\r\nDuration=-5") == Kind::Malformed);
    CHECK(kindOf(t, "Signal=1\r\nDuration=99999999") == Kind::Malformed);
    CHECK(kindOf(t, "Signal=1\r\nDuration=1\r\nDuration=2") == Kind::Malformed);
    CHECK(kindOf(t, "Signal 1") == Kind::Malformed);
    CHECK(kindOf(t, "=1\r\nSignal=1") == Kind::Malformed);
    CHECK(kindOf(t, "Signal=1" + std::string(2000, ' ')) == Kind::Malformed);  // over the bound
    CHECK(kindOf(t, std::string("Signal=1\0", 9)) == Kind::Malformed);
}

TEST_CASE("application/dtmf: the digit or the event code alone", "[DtmfInfo]") {
    CHECK(digitOf("application/dtmf", "5") == '5');
    CHECK(digitOf("application/dtmf", "#\r\n") == '#');
    CHECK(digitOf("application/dtmf", "11") == '#');
    CHECK(digitOf("application/dtmf", " 10 ") == '*');
    CHECK(digitOf("APPLICATION/DTMF", "d") == 'D');
    CHECK(kindOf("application/dtmf", "") == Kind::Malformed);
    CHECK(kindOf("application/dtmf", "12345") == Kind::Malformed);
    CHECK(kindOf("application/dtmf", "Signal=5") == Kind::Malformed);
    CHECK(kindOf("application/dtmf", "16") == Kind::NotADigit);
}

TEST_CASE("other content types are unsupported; no body at all is a keepalive", "[DtmfInfo]") {
    CHECK(kindOf("text/plain", "Signal=5") == Kind::Unsupported);
    CHECK(kindOf("application/sdp", "v=0") == Kind::Unsupported);
    CHECK(kindOf("application/dtmf-relayx", "Signal=5") == Kind::Unsupported);
    CHECK(kindOf("application/dtmf-rela", "Signal=5") == Kind::Unsupported);
    CHECK(kindOf("", "Signal=5") == Kind::Unsupported);  // a body without a type
    CHECK(kindOf("", "") == Kind::Empty);
    CHECK(kindOf(" ; x=y", "\r\n") == Kind::Empty);
}
