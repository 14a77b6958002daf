// RFC 3550 §5.1 numbering and RFC 3551 §4.1 marker bits of an outgoing stream.
#include <catch2/catch.hpp>

#include <vector>

#include "server/sip/media/RtpSender.hpp"

using namespace sb::sip::media;

namespace {

RtpPacket sendAudio(RtpSender& s, std::uint8_t* buf, std::size_t cap = 200) {
    std::uint8_t payload[160] = {};
    std::size_t n = s.sendFrame(ByteView{payload, 160}, buf, cap);
    REQUIRE(n == 172);
    auto p = RtpPacket::parse(ByteView{buf, n});
    REQUIRE(p);
    return *p;
}

}  // namespace

TEST_CASE("RtpSender numbers packets +1 and timestamps +160 with a fixed SSRC",
          "[sip][media][RtpSender]") {
    RtpSender s({1000, 0, 160, std::uint16_t{65534}, 0xFFFFFF00u});
    std::uint8_t buf[200];
    std::vector<RtpPacket> packets;
    for (int i = 0; i < 4; ++i) packets.push_back(sendAudio(s, buf));
    CHECK(packets[0].header.sequence == 65534);
    CHECK(packets[1].header.sequence == 65535);
    CHECK(packets[2].header.sequence == 0);  // wraps
    CHECK(packets[3].header.sequence == 1);
    CHECK(packets[0].header.timestamp == 0xFFFFFF00u);
    CHECK(packets[1].header.timestamp == 0xFFFFFFA0u);
    CHECK(packets[2].header.timestamp == 0x00000040u);  // wraps
    for (const auto& p : packets) {
        CHECK(p.header.ssrc == 1000u);
        CHECK(p.header.payloadType == 0);
    }
    SECTION("the marker is on the first packet only") {
        CHECK(packets[0].header.marker);
        CHECK_FALSE(packets[1].header.marker);
        CHECK_FALSE(packets[3].header.marker);
    }
    CHECK(s.packetsSent() == 4);
}

TEST_CASE("RtpSender marks the packet after skipped frames", "[sip][media][RtpSender]") {
    RtpSender s({1000, 8, 160, std::uint16_t{10}, 1000u});
    std::uint8_t buf[200];
    sendAudio(s, buf);
    s.skipFrames(3);  // 60 ms not sent: a new talkspurt follows
    auto p = sendAudio(s, buf);
    CHECK(p.header.marker);
    CHECK(p.header.sequence == 11);  // no gap in sequence numbers
    CHECK(p.header.timestamp == 1000u + 4 * 160);
    CHECK(p.header.payloadType == 8);
    CHECK_FALSE(sendAudio(s, buf).header.marker);
    s.markDiscontinuity();
    CHECK(sendAudio(s, buf).header.marker);
}

TEST_CASE("RtpSender shares its sequence space with other payload types",
          "[sip][media][RtpSender]") {
    RtpSender s({1000, 0, 160, std::uint16_t{100}, 5000u});
    std::uint8_t buf[200];
    sendAudio(s, buf);
    std::uint8_t event[4] = {1, 0, 0, 160};
    std::size_t n =
        s.sendOther(101, true, s.frameTimestamp(), ByteView{event, 4}, buf, sizeof(buf));
    REQUIRE(n == 16);
    auto p = RtpPacket::parse(ByteView{buf, n});
    REQUIRE(p);
    CHECK(p->header.payloadType == 101);
    CHECK(p->header.sequence == 101);
    CHECK(p->header.timestamp == 5160u);
    CHECK(p->header.marker);
    CHECK(s.frameTimestamp() == 5160u);  // sendOther does not advance the slot
    CHECK(s.nextSequence() == 102);
}

TEST_CASE("RtpSender refuses a too small buffer without advancing", "[sip][media][RtpSender]") {
    RtpSender s({1000, 0, 160, std::uint16_t{7}, 0u});
    std::uint8_t payload[160] = {};
    std::uint8_t buf[100];
    CHECK(s.sendFrame(ByteView{payload, 160}, buf, sizeof(buf)) == 0);
    CHECK(s.nextSequence() == 7);
    CHECK(s.frameTimestamp() == 0u);
}

TEST_CASE("RtpSender starts at random sequence numbers and timestamps", "[sip][media][RtpSender]") {
    // Eight senders all starting at the same values would be a 2^-(7·48) coincidence.
    RtpSender first({1000, 0, 160, {}, {}});
    bool differs = false;
    for (int i = 0; i < 8 && !differs; ++i) {
        RtpSender other({1000, 0, 160, {}, {}});
        differs = other.nextSequence() != first.nextSequence() ||
                  other.frameTimestamp() != first.frameTimestamp();
    }
    CHECK(differs);
}
