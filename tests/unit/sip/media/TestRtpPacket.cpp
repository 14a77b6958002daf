// RFC 3550 §5.1 parsing with header extensions (RFC 8285 forms), CSRCs, padding, and rejection of
// malformed packets without reading out of bounds.
#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "server/sip/media/RtpPacket.hpp"

using namespace sb::sip::media;

namespace {

using Bytes = std::vector<std::uint8_t>;
ByteView view(const Bytes& b) {
    return ByteView{b.data(), b.size()};
}

// V=2, the given first-byte flags, PT 111 with marker, seq 0x1234, ts 0x01020304, SSRC 0xA0B0C0D0.
Bytes header(std::uint8_t flags) {
    return {static_cast<std::uint8_t>(0x80 | flags),
            0xEF,
            0x12,
            0x34,
            1,
            2,
            3,
            4,
            0xA0,
            0xB0,
            0xC0,
            0xD0};
}

void append(Bytes& b, std::initializer_list<std::uint8_t> more) {
    b.insert(b.end(), more);
}

}  // namespace

TEST_CASE("RtpPacket parses the fixed header", "[sip][media][RtpPacket]") {
    Bytes b = header(0);
    append(b, {9, 8, 7});
    auto p = RtpPacket::parse(view(b));
    REQUIRE(p);
    CHECK(p->header.marker);
    CHECK(p->header.payloadType == 111);
    CHECK(p->header.sequence == 0x1234);
    CHECK(p->header.timestamp == 0x01020304u);
    CHECK(p->header.ssrc == 0xA0B0C0D0u);
    CHECK_FALSE(p->hasExtension);
    REQUIRE(p->payload.size == 3);
    CHECK(p->payload[0] == 9);
    CHECK(p->payload.data == b.data() + 12);
}

TEST_CASE("RtpPacket skips CSRCs and header extensions", "[sip][media][RtpPacket]") {
    SECTION("two CSRCs") {
        Bytes b = header(0x02);
        append(b, {0, 0, 0, 1, 0, 0, 0, 2, 0xAA});
        auto p = RtpPacket::parse(view(b));
        REQUIRE(p);
        CHECK(p->csrcCount == 2);
        REQUIRE(p->payload.size == 1);
        CHECK(p->payload[0] == 0xAA);
    }
    SECTION("one-byte form (0xBEDE) as browsers send through Janus: audio level + mid") {
        Bytes b = header(0x10);
        append(b, {0xBE, 0xDE, 0x00, 0x02, 0x10, 0xFF, 0x20, 0x30, 0x00, 0x00, 0x00, 0x00});
        append(b, {0x55, 0x66});
        auto p = RtpPacket::parse(view(b));
        REQUIRE(p);
        CHECK(p->hasExtension);
        CHECK(p->extensionProfile == 0xBEDE);
        CHECK(p->extension.size == 8);
        REQUIRE(p->payload.size == 2);
        CHECK(p->payload[0] == 0x55);
    }
    SECTION("two-byte form (0x1000) after a CSRC") {
        Bytes b = header(0x11);
        append(b, {0, 0, 0, 7, 0x10, 0x00, 0x00, 0x01, 0x01, 0x02, 0xAB, 0xCD, 0x77});
        auto p = RtpPacket::parse(view(b));
        REQUIRE(p);
        CHECK(p->extensionProfile == 0x1000);
        REQUIRE(p->payload.size == 1);
        CHECK(p->payload[0] == 0x77);
    }
    SECTION("an empty extension and an empty payload") {
        Bytes b = header(0x10);
        append(b, {0xBE, 0xDE, 0x00, 0x00});
        auto p = RtpPacket::parse(view(b));
        REQUIRE(p);
        CHECK(p->extension.size == 0);
        CHECK(p->payload.size == 0);
    }
}

TEST_CASE("RtpPacket removes padding", "[sip][media][RtpPacket]") {
    Bytes b = header(0x20);
    append(b, {1, 2, 3, 0, 0, 3});
    auto p = RtpPacket::parse(view(b));
    REQUIRE(p);
    CHECK(p->padding);
    CHECK(p->payload.size == 3);
}

TEST_CASE("RtpPacket rejects malformed packets", "[sip][media][RtpPacket]") {
    struct Row {
        const char* what;
        Bytes bytes;
    };
    Bytes shortHeader = header(0);
    shortHeader.pop_back();
    Bytes v1 = header(0);
    v1[0] = 0x40;
    Bytes csrcBeyond = header(0x03);
    append(csrcBeyond, {0, 0, 0, 1, 0, 0, 0, 2});
    Bytes extHeaderCut = header(0x10);
    append(extHeaderCut, {0xBE, 0xDE, 0x00});
    Bytes extBeyond = header(0x10);
    append(extBeyond, {0xBE, 0xDE, 0x00, 0x03, 1, 2, 3, 4, 5, 6, 7, 8});
    Bytes padZero = header(0x20);
    append(padZero, {1, 2, 0});
    Bytes padBeyond = header(0x20);
    append(padBeyond, {1, 2, 4});
    Bytes padIntoExtension = header(0x30);
    append(padIntoExtension, {0xBE, 0xDE, 0x00, 0x00, 0x02});
    const std::vector<Row> table{
        {"empty", {}},
        {"11 bytes", shortHeader},
        {"version 1", v1},
        {"CSRC list past the end", csrcBeyond},
        {"extension header cut", extHeaderCut},
        {"extension length past the end", extBeyond},
        {"padding count 0", padZero},
        {"padding longer than the payload", padBeyond},
        {"padding reaching into the extension", padIntoExtension},
    };
    for (const auto& row : table) {
        INFO(row.what);
        CHECK_FALSE(RtpPacket::parse(view(row.bytes)));
    }
    CHECK_FALSE(RtpPacket::parse(ByteView{nullptr, 12}));
}

TEST_CASE("RtpPacket never reads past a truncated or random datagram", "[sip][media][RtpPacket]") {
    Bytes full = header(0x31);
    append(full, {0, 0, 0, 9, 0xBE, 0xDE, 0x00, 0x01, 0x10, 0x01, 0x00, 0x00, 1, 2, 3, 4, 0, 2});
    REQUIRE(RtpPacket::parse(view(full)));
    for (std::size_t n = 0; n < full.size(); ++n) {
        // Each prefix in its own allocation, so a sanitizer build catches any over-read.
        Bytes prefix(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
        auto p = RtpPacket::parse(view(prefix));
        if (p) CHECK(p->payload.data + p->payload.size <= prefix.data() + prefix.size());
    }
    std::mt19937 rng(42);
    for (int i = 0; i < 20000; ++i) {
        Bytes b(rng() % 64);
        for (auto& x : b) x = static_cast<std::uint8_t>(rng());
        if (!b.empty()) b[0] = static_cast<std::uint8_t>(0x80 | (b[0] & 0x3F));
        auto p = RtpPacket::parse(view(b));
        if (p) {
            CHECK(p->payload.data >= b.data() + 12);
            CHECK(p->payload.data + p->payload.size <= b.data() + b.size());
        }
    }
}

TEST_CASE("RtpPacket builds a 12-byte header that parses back", "[sip][media][RtpPacket]") {
    std::uint8_t payload[160];
    for (int i = 0; i < 160; ++i) payload[i] = static_cast<std::uint8_t>(i);
    std::uint8_t out[200];
    RtpHeader h{true, 0, 65535, 0xFFFFFFF0u, 1000};
    std::size_t n = RtpPacket::build(h, ByteView{payload, 160}, out, sizeof(out));
    REQUIRE(n == 172);
    CHECK(out[0] == 0x80);
    CHECK(out[1] == 0x80);
    auto p = RtpPacket::parse(ByteView{out, n});
    REQUIRE(p);
    CHECK(p->header.marker);
    CHECK(p->header.payloadType == 0);
    CHECK(p->header.sequence == 65535);
    CHECK(p->header.timestamp == 0xFFFFFFF0u);
    CHECK(p->header.ssrc == 1000u);
    CHECK(p->payload.size == 160);
    CHECK(p->payload[159] == 159);

    CHECK(RtpPacket::build(h, ByteView{payload, 160}, out, 171) == 0);
    CHECK(RtpPacket::build(h, ByteView{}, out, 12) == 12);
}
