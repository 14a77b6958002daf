// A forwarded room stream: jitter buffer + decoder → 20 ms frames, concealment of losses.
#include <catch2/catch.hpp>

#include "Signals.hpp"
#include "server/sip/media/G711.hpp"
#include "server/sip/media/RoomStream.hpp"

using namespace sb::sip::media;
using namespace sb::sip::media::test;

namespace {

RtpPacket packet(std::uint8_t pt, std::uint16_t seq, const std::vector<std::uint8_t>& payload) {
    RtpPacket p;
    p.header = RtpHeader{false, pt, seq, std::uint32_t{seq} * 960, 0x5b000000};
    p.payload = ByteView{payload.data(), payload.size()};
    return p;
}

}  // namespace

TEST_CASE("RoomStream turns Opus packets into frames and conceals a loss",
          "[sip][media][RoomStream]") {
    RoomStream s(Codec::Opus, 111, 2);
    OpusSource src(440);
    PcmFrame frame;
    CHECK_FALSE(s.pull(frame));  // nothing yet
    int produced = 0;
    for (std::uint16_t seq = 0; seq < 30; ++seq) {
        auto payload = src.next();
        if (seq != 15) s.push(packet(111, seq, payload));  // one packet lost
        if (s.pull(frame)) ++produced;
    }
    CHECK(produced >= 27);
    CHECK(s.stats().concealed == 1);
    CHECK(rms(frame.data(), frame.size()) > 1000);
}

TEST_CASE("RoomStream ignores other payload types", "[sip][media][RoomStream]") {
    RoomStream s(Codec::Pcmu, 0, 1);
    std::vector<std::uint8_t> cn{0x40};
    s.push(packet(13, 1, cn));  // comfort noise
    CHECK(s.stats().ignored == 1);
    PcmFrame frame;
    CHECK_FALSE(s.pull(frame));
}

TEST_CASE("RoomStream cuts 40 ms packets into 20 ms frames", "[sip][media][RoomStream]") {
    RoomStream s(Codec::Pcmu, 0, 1);
    auto pcm = sine(1000, 8000, 320, 10000);
    std::vector<std::uint8_t> payload(320);
    G711::encode(G711Law::Mu, pcm.data(), payload.data(), 320);
    s.push(packet(0, 1, payload));
    PcmFrame a, b, c;
    REQUIRE(s.pull(a));
    REQUIRE(s.pull(b));  // the second half of the same packet
    CHECK(a[10] == G711::decodeMu(payload[10]));
    CHECK(b[10] == G711::decodeMu(payload[170]));
    CHECK(s.stats().concealed == 0);
    REQUIRE(s.pull(c));  // packet 2 never came: concealed
    CHECK(s.stats().concealed == 1);
}
