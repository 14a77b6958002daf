// Phone → Janus: SSRC 1000, continuous numbering across SSRC changes, PCMA → PCMU, DTMF.
#include <catch2/catch.hpp>

#include "server/sip/media/PhoneRelay.hpp"
#include "server/sip/media/TelephoneEvent.hpp"

using namespace sb::sip::media;
using Clock = PhoneRelay::Clock;
using namespace std::chrono_literals;

namespace {

struct Sent {
    RtpPacket packet;
    std::optional<char> digit;
    std::vector<std::uint8_t> bytes;
};

struct Phone {
    PhoneRelay relay;
    Clock::time_point now = Clock::now();
    std::vector<std::uint8_t> payload = std::vector<std::uint8_t>(160, 0xD5);

    std::optional<Sent> send(std::uint8_t pt, std::uint32_t ssrc, std::uint16_t seq,
                             std::uint32_t ts, bool marker = false,
                             std::vector<std::uint8_t> body = {}) {
        RtpPacket in;
        in.header = RtpHeader{marker, pt, seq, ts, ssrc};
        if (body.empty()) body = payload;
        in.payload = ByteView{body.data(), body.size()};
        Sent s;
        s.bytes.resize(1500);
        auto r = relay.relay(in, now, s.bytes.data(), s.bytes.size());
        if (r.size == 0) return std::nullopt;
        s.bytes.resize(r.size);
        s.packet = *RtpPacket::parse(ByteView{s.bytes.data(), s.bytes.size()});
        s.digit = r.digit;
        return s;
    }
};

}  // namespace

TEST_CASE("PhoneRelay rewrites the SSRC to 1000 and passes numbering through",
          "[sip][media][PhoneRelay]") {
    Phone phone{PhoneRelay({G711Law::Mu, std::nullopt, std::nullopt, 1000})};
    auto a = phone.send(0, 0xCAFE, 500, 90000, true);
    auto b = phone.send(0, 0xCAFE, 501, 90160);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(a->packet.header.ssrc == 1000u);
    CHECK(a->packet.header.sequence == 500);
    CHECK(a->packet.header.timestamp == 90000u);
    CHECK(a->packet.header.marker);
    CHECK(b->packet.header.sequence == 501);
    CHECK_FALSE(b->packet.header.marker);
    CHECK(b->packet.header.payloadType == 0);
    CHECK(b->packet.payload.size == 160);
    CHECK_FALSE(phone.send(13, 0xCAFE, 502, 90320));  // comfort noise is dropped
    CHECK_FALSE(phone.send(8, 0xCAFE, 503, 90480));   // PCMA was not negotiated
}

TEST_CASE("PhoneRelay keeps seq and ts continuous when the phone changes SSRC",
          "[sip][media][PhoneRelay]") {
    Phone phone{PhoneRelay({G711Law::Mu, std::nullopt, std::nullopt, 1000})};
    phone.send(0, 1, 65534, 4294967000u);
    auto last = phone.send(0, 1, 65535, 4294967160u);
    phone.now += 100ms;  // the new source starts 100 ms later, numbered from scratch
    auto first = phone.send(0, 2, 7, 123);
    auto second = phone.send(0, 2, 8, 283);
    REQUIRE(first);
    REQUIRE(second);
    CHECK(first->packet.header.ssrc == 1000u);
    CHECK(first->packet.header.sequence == 0);                    // 65535 + 1
    CHECK(first->packet.header.timestamp == 4294967160u + 800u);  // + 100 ms at 8 kHz, wraps
    CHECK(first->packet.header.marker);
    CHECK(second->packet.header.sequence == 1);
    CHECK(second->packet.header.timestamp == first->packet.header.timestamp + 160);
    CHECK_FALSE(second->packet.header.marker);
    CHECK(phone.relay.stats().sourceChanges == 1);
    (void)last;
}

TEST_CASE("PhoneRelay transcodes PCMA to PCMU", "[sip][media][PhoneRelay]") {
    Phone phone{PhoneRelay({G711Law::A, std::nullopt, std::nullopt, 1000})};
    std::vector<std::uint8_t> alaw{0xD5, 0xAA, 0x2A, 0x55};
    auto s = phone.send(8, 9, 1, 0, false, alaw);
    REQUIRE(s);
    CHECK(s->packet.header.payloadType == 0);
    REQUIRE(s->packet.payload.size == 4);
    for (std::size_t i = 0; i < 4; ++i) CHECK(s->packet.payload[i] == G711::alawToMulaw(alaw[i]));
    CHECK_FALSE(phone.send(0, 9, 2, 160));  // PCMU from a PCMA phone is not what was negotiated
}

TEST_CASE("PhoneRelay forwards telephone-events and reports each digit once",
          "[sip][media][PhoneRelay]") {
    Phone phone{PhoneRelay({G711Law::Mu, std::uint8_t{101}, std::uint8_t{126}, 1000})};
    phone.send(0, 5, 10, 1600);
    auto event = [](std::uint8_t code, bool end, std::uint16_t duration) {
        std::vector<std::uint8_t> b(4);
        TelephoneEvent{code, end, 10, duration}.encode(b.data());
        return b;
    };
    std::string digits;
    int forwarded = 0;
    std::uint16_t seq = 11;
    for (int i = 1; i <= 5; ++i) {
        auto s = phone.send(101, 5, seq++, 1760, i == 1,
                            event(9, i == 5, static_cast<std::uint16_t>(160 * i)));
        REQUIRE(s);
        ++forwarded;
        CHECK(s->packet.header.payloadType == 126);
        CHECK(s->packet.header.ssrc == 1000u);
        CHECK(s->packet.header.timestamp == 1760u);
        CHECK(s->packet.header.marker == (i == 1));
        if (s->digit) digits += *s->digit;
    }
    for (int i = 0; i < 2; ++i) {  // the end packet's repeats
        auto s = phone.send(101, 5, seq++, 1760, false, event(9, true, 800));
        if (s && s->digit) digits += *s->digit;
    }
    CHECK(digits == "9");
    CHECK(forwarded == 5);
}
