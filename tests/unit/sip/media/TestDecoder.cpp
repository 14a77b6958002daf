// Decoder choice by payload type and the G.711 decoder's concealment.
#include <catch2/catch.hpp>

#include "Signals.hpp"
#include "server/sip/media/Decoder.hpp"
#include "server/sip/media/G711.hpp"
#include "server/sip/media/G711ToPcm.hpp"

using namespace sb::sip::media;
using namespace sb::sip::media::test;

TEST_CASE("Decoder is chosen by payload type", "[sip][media][Decoder]") {
    CHECK(Decoder::codecFor(0, std::nullopt) == Codec::Pcmu);
    CHECK(Decoder::codecFor(8, 111) == Codec::Pcma);
    CHECK(Decoder::codecFor(111, 111) == Codec::Opus);
    CHECK_FALSE(Decoder::codecFor(111, std::nullopt));
    CHECK_FALSE(Decoder::codecFor(96, 111));
    CHECK_FALSE(Decoder::codecFor(13, 111));  // comfort noise
    CHECK(Decoder::create(Codec::Pcmu)->codec() == Codec::Pcmu);
    CHECK(Decoder::create(Codec::Pcma)->codec() == Codec::Pcma);
    CHECK(Decoder::create(Codec::Opus)->codec() == Codec::Opus);
    CHECK(codecFromName("OPUS") == Codec::Opus);
    CHECK(codecFromName("pcma") == Codec::Pcma);
    CHECK_FALSE(codecFromName("g722"));
}

TEST_CASE("G711ToPcm decodes PCMU and PCMA payloads", "[sip][media][Decoder]") {
    auto pcm = sine(1000, 8000, 160);
    for (auto law : {G711Law::Mu, G711Law::A}) {
        std::uint8_t payload[160];
        G711::encode(law, pcm.data(), payload, 160);
        auto dec = Decoder::create(law == G711Law::Mu ? Codec::Pcmu : Codec::Pcma);
        std::int16_t out[Decoder::kMaxSamples];
        REQUIRE(dec->decode(ByteView{payload, 160}, out) == 160);
        for (int i = 0; i < 160; ++i)
            CHECK(std::abs(out[i] - pcm[static_cast<std::size_t>(i)]) <= 8000 / 16 + 16);
        CHECK_FALSE(dec->recover(ByteView{payload, 160}, out));
    }
}

TEST_CASE("G711ToPcm conceals by fading the last frame out", "[sip][media][Decoder]") {
    G711ToPcm dec(G711Law::Mu);
    auto pcm = sine(500, 8000, 160, 16000);
    std::uint8_t payload[160];
    G711::encode(G711Law::Mu, pcm.data(), payload, 160);
    std::int16_t out[Decoder::kMaxSamples];
    dec.decode(ByteView{payload, 160}, out);
    double level = rms(out, 160);
    std::int16_t lost[160];
    dec.conceal(lost);
    CHECK(rms(lost, 160) == Approx(level / 2).epsilon(0.02));
    dec.conceal(lost);
    CHECK(rms(lost, 160) == Approx(level / 4).epsilon(0.02));
    dec.conceal(lost);
    dec.conceal(lost);
    CHECK(rms(lost, 160) == 0);
    dec.decode(ByteView{payload, 160}, out);  // a good packet resets the fade
    dec.conceal(lost);
    CHECK(rms(lost, 160) == Approx(level / 2).epsilon(0.02));
}
