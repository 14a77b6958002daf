// The addresses the voice API dials: E.164 numbers and sip:/sips: URIs.
#include <catch2/catch.hpp>

#include <string>

#include "server/voice/AddressSyntax.hpp"

using namespace sb::voice;

TEST_CASE("isE164: '+', a first digit 1-9, 2 to 15 digits", "[voice][AddressSyntax]") {
    CHECK(isE164("+15555551212"));
    CHECK(isE164("+12"));
    CHECK(isE164("+" + std::string(15, '9')));
    CHECK_FALSE(isE164("+" + std::string(16, '9')));
    CHECK_FALSE(isE164("+1"));
    CHECK_FALSE(isE164("+05555551212"));
    CHECK_FALSE(isE164("15555551212"));
    CHECK_FALSE(isE164("+1555 5551212"));
}

TEST_CASE("isSipUri: sip: or sips:, printable, something after the scheme",
          "[voice][AddressSyntax]") {
    CHECK(isSipUri("sip:+15555551212@127.0.0.1:5070"));
    CHECK(isSipUri("sips:alice@example.com"));
    CHECK(isSipUri("sip:sipx.webrtc.bandwidth.com:5060"));
    CHECK_FALSE(isSipUri("sip:"));
    CHECK_FALSE(isSipUri("sip:@host"));
    CHECK_FALSE(isSipUri("sip:user@"));
    CHECK_FALSE(isSipUri("tel:+15555551212"));
    CHECK_FALSE(isSipUri("sip:a b@host"));
    CHECK_FALSE(isSipUri("sip:a@host>"));
    CHECK_FALSE(isSipUri("sip:" + std::string(253, 'a')));
    CHECK(isSipUri("sip:" + std::string(252, 'a')));
}
