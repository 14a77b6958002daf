// ITU-T G.711 µ-law and A-law: known code points, full scale, and round trips.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>

#include "server/sip/media/G711.hpp"

using namespace sb::sip::media;

TEST_CASE("G711 encodes known values", "[sip][media][G711]") {
    SECTION("zero is 0xFF in µ-law and 0xD5 in A-law") {
        CHECK(G711::encodeMu(0) == 0xFF);
        CHECK(G711::encodeA(0) == 0xD5);
    }
    SECTION("full scale saturates to the outermost code points") {
        CHECK(G711::encodeMu(32767) == 0x80);
        CHECK(G711::encodeMu(-32768) == 0x00);
        CHECK(G711::encodeA(32767) == 0xAA);
        CHECK(G711::encodeA(-32768) == 0x2A);
    }
    SECTION("decoding the extremes gives the G.711 end points") {
        CHECK(G711::decodeMu(0x80) == 32124);
        CHECK(G711::decodeMu(0x00) == -32124);
        CHECK(G711::decodeMu(0xFF) == 0);
        CHECK(G711::decodeMu(0x7F) == 0);  // "negative zero"
        CHECK(G711::decodeA(0xAA) == 32256);
        CHECK(G711::decodeA(0x2A) == -32256);
        CHECK(G711::decodeA(0xD5) == 8);
        CHECK(G711::decodeA(0x55) == -8);
    }
}

TEST_CASE("G711 code points survive decode then encode", "[sip][media][G711]") {
    for (int c = 0; c < 256; ++c) {
        auto code = static_cast<std::uint8_t>(c);
        if (code != 0x7F)
            CHECK(G711::encodeMu(G711::decodeMu(code)) == code);  // 0x7F and 0xFF are both 0
        CHECK(G711::encodeA(G711::decodeA(code)) == code);
    }
}

TEST_CASE("G711 round trips linear samples within the quantisation step", "[sip][media][G711]") {
    for (int x = -32768; x <= 32767; x += 7) {
        auto s = static_cast<std::int16_t>(x);
        int mu = G711::decodeMu(G711::encodeMu(s));
        int a = G711::decodeA(G711::encodeA(s));
        // Segments double in size: the error stays below 1/16 of the magnitude plus the first step.
        int bound = std::abs(x) / 16 + 16;
        if (std::abs(x) <= 32124) {
            INFO("x = " << x << " µ-law " << mu);
            CHECK(std::abs(mu - x) <= bound);
        }
        INFO("x = " << x << " A-law " << a);
        CHECK(std::abs(a - x) <= bound + 8);
        CHECK((mu >= 0) == (x >= 0 || mu == 0));  // the sign is kept
    }
}

TEST_CASE("G711 buffers and PCMA to PCMU transcoding", "[sip][media][G711]") {
    std::int16_t in[160];
    for (int i = 0; i < 160; ++i) in[i] = static_cast<std::int16_t>(8000 * std::sin(i * 0.3));
    std::uint8_t mu[160], a[160];
    G711::encode(G711Law::Mu, in, mu, 160);
    G711::encode(G711Law::A, in, a, 160);
    std::int16_t back[160];
    G711::decode(G711Law::Mu, mu, back, 160);
    for (int i = 0; i < 160; ++i) {
        CHECK(mu[i] == G711::encodeMu(in[i]));
        CHECK(back[i] == G711::decodeMu(mu[i]));
    }
    for (int c = 0; c < 256; ++c) {
        auto code = static_cast<std::uint8_t>(c);
        CHECK(G711::alawToMulaw(code) == G711::encodeMu(G711::decodeA(code)));
    }
    CHECK(payloadTypeOf(G711Law::Mu) == 0);
    CHECK(payloadTypeOf(G711Law::A) == 8);
}
