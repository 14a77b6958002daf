// libopus decoding straight to 8 kHz, packet-loss concealment and in-band FEC (RFC 6716 §2.1.7).
#include <catch2/catch.hpp>

#include "Signals.hpp"
#include "server/sip/media/OpusToPcm.hpp"

using namespace sb::sip::media;
using namespace sb::sip::media::test;

TEST_CASE("OpusToPcm decodes 48 kHz Opus to 160-sample frames at 8 kHz",
          "[sip][media][OpusToPcm]") {
    OpusSource src(440);
    OpusToPcm dec;
    CHECK(dec.codec() == Codec::Opus);
    std::vector<std::int16_t> all;
    std::int16_t out[Decoder::kMaxSamples];
    for (int i = 0; i < 25; ++i) {
        auto packet = src.next();
        std::size_t n = dec.decode(ByteView{packet.data(), packet.size()}, out);
        REQUIRE(n == 160);
        all.insert(all.end(), out, out + n);
    }
    // Skip the codec's start-up, then the 440 Hz tone must dominate.
    std::vector<std::int16_t> tail(all.begin() + 800, all.end());
    CHECK(rms(tail) > 2000);
    CHECK(toneAmplitude(tail, 440, 8000) > 4000);
    CHECK(toneAmplitude(tail, 1000, 8000) < 500);
}

TEST_CASE("OpusToPcm conceals lost frames and recovers them from FEC", "[sip][media][OpusToPcm]") {
    OpusSource src(440, true);
    OpusToPcm dec;
    std::int16_t out[Decoder::kMaxSamples];
    std::vector<std::uint8_t> packet;
    for (int i = 0; i < 20; ++i) {
        packet = src.next();
        REQUIRE(dec.decode(ByteView{packet.data(), packet.size()}, out) == 160);
    }
    SECTION("concealment continues the signal for 20 ms") {
        dec.conceal(out);
        CHECK(rms(out, 160) > 500);
    }
    SECTION("FEC in the next packet rebuilds the lost one") {
        src.next();  // lost
        auto next = src.next();
        CHECK(dec.recover(ByteView{next.data(), next.size()}, out));
        CHECK(rms(out, 160) > 500);
        CHECK(dec.decode(ByteView{next.data(), next.size()}, out) == 160);
    }
    SECTION("no next packet: no recovery") {
        CHECK_FALSE(dec.recover(ByteView{}, out));
    }
}

TEST_CASE("OpusToPcm rejects garbage without crashing", "[sip][media][OpusToPcm]") {
    OpusToPcm dec;
    std::int16_t out[Decoder::kMaxSamples];
    CHECK(dec.decode(ByteView{}, out) == 0);
    // TOC code 3 (arbitrary frame count) with a frame count byte of 0 is invalid (RFC 6716 §3.2.5).
    std::uint8_t bad[] = {0x03, 0x00};
    CHECK(dec.decode(ByteView{bad, sizeof(bad)}, out) == 0);
}
