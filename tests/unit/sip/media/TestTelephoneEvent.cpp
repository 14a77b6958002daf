// RFC 4733 §2.3 payload format and §3.2 DTMF event codes.
#include <catch2/catch.hpp>

#include "server/sip/media/TelephoneEvent.hpp"

using namespace sb::sip::media;

TEST_CASE("TelephoneEvent encodes the §2.3 layout", "[sip][media][TelephoneEvent]") {
    TelephoneEvent e{5, true, 10, 800};
    std::uint8_t b[4];
    e.encode(b);
    CHECK(b[0] == 0x05);
    CHECK(b[1] == 0x8A);  // E=1, R=0, volume 10
    CHECK(b[2] == 0x03);
    CHECK(b[3] == 0x20);  // 800

    auto d = TelephoneEvent::decode(ByteView{b, 4});
    REQUIRE(d);
    CHECK(d->event == 5);
    CHECK(d->end);
    CHECK(d->volume == 10);
    CHECK(d->duration == 800);
}

TEST_CASE("TelephoneEvent ignores R and rejects short payloads", "[sip][media][TelephoneEvent]") {
    std::uint8_t b[4] = {11, 0x40 | 63, 0xFF, 0xFF};  // R set, volume 63, max duration
    auto d = TelephoneEvent::decode(ByteView{b, 4});
    REQUIRE(d);
    CHECK_FALSE(d->end);
    CHECK(d->volume == 63);
    CHECK(d->duration == 65535);
    CHECK_FALSE(TelephoneEvent::decode(ByteView{b, 3}));
    CHECK_FALSE(TelephoneEvent::decode(ByteView{}));
}

TEST_CASE("TelephoneEvent maps DTMF digits to §3.2 codes", "[sip][media][TelephoneEvent]") {
    const char* digits = "0123456789*#ABCD";
    for (std::uint8_t i = 0; i < 16; ++i) {
        CHECK(TelephoneEvent::eventForDigit(digits[i]) == i);
        CHECK(TelephoneEvent::digitForEvent(i) == digits[i]);
    }
    CHECK(TelephoneEvent::eventForDigit('b') == 13);
    CHECK_FALSE(TelephoneEvent::eventForDigit('E'));
    CHECK_FALSE(TelephoneEvent::eventForDigit(','));
    CHECK(TelephoneEvent::digitForEvent(16) == '\0');  // flash is not a digit
}
