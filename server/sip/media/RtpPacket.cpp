#include "server/sip/media/RtpPacket.hpp"

#include <cstring>

namespace sb::sip::media {

namespace {

std::uint16_t read16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
std::uint32_t read32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}
void write16(std::uint8_t* p, std::uint16_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
}
void write32(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
}

}  // namespace

std::optional<RtpPacket> RtpPacket::parse(ByteView datagram) {
    const std::uint8_t* d = datagram.data;
    const std::size_t size = datagram.size;
    if (d == nullptr || size < kHeaderSize) return std::nullopt;
    // §5.1: V is 2 bits and must be 2.
    if ((d[0] >> 6) != 2) return std::nullopt;

    RtpPacket p;
    p.padding = (d[0] & 0x20) != 0;
    p.hasExtension = (d[0] & 0x10) != 0;
    p.csrcCount = d[0] & 0x0F;
    p.header.marker = (d[1] & 0x80) != 0;
    p.header.payloadType = d[1] & 0x7F;
    p.header.sequence = read16(d + 2);
    p.header.timestamp = read32(d + 4);
    p.header.ssrc = read32(d + 8);

    // §5.1 CC: 0 to 15 CSRC identifiers of 4 bytes each follow the fixed header.
    std::size_t offset = kHeaderSize + std::size_t{p.csrcCount} * 4;
    if (offset > size) return std::nullopt;

    // §5.3.1: a 16-bit profile-defined field and a 16-bit length counting 32-bit words, excluding
    // this 4-byte header. RFC 8285's one-byte (0xBEDE) and two-byte (0x100x) forms are both
    // skipped by that length; we do not need their elements.
    if (p.hasExtension) {
        if (size - offset < 4) return std::nullopt;
        p.extensionProfile = read16(d + offset);
        std::size_t words = read16(d + offset + 2);
        offset += 4;
        if (words * 4 > size - offset) return std::nullopt;
        p.extension = ByteView{d + offset, words * 4};
        offset += words * 4;
    }

    std::size_t end = size;
    // §5.1 P: the last octet counts the padding octets, itself included, so it is at least 1 and
    // cannot exceed what follows the headers.
    if (p.padding) {
        std::size_t pad = d[size - 1];
        if (pad == 0 || pad > size - offset) return std::nullopt;
        end -= pad;
    }
    p.payload = ByteView{d + offset, end - offset};
    return p;
}

std::size_t RtpPacket::build(const RtpHeader& header, ByteView payload, std::uint8_t* out,
                             std::size_t capacity) {
    if (out == nullptr || capacity < kHeaderSize || payload.size > capacity - kHeaderSize) return 0;
    out[0] = 0x80;  // V=2, P=0, X=0, CC=0
    out[1] = static_cast<std::uint8_t>((header.marker ? 0x80 : 0x00) | (header.payloadType & 0x7F));
    write16(out + 2, header.sequence);
    write32(out + 4, header.timestamp);
    write32(out + 8, header.ssrc);
    if (payload.size > 0) std::memcpy(out + kHeaderSize, payload.data, payload.size);
    return kHeaderSize + payload.size;
}

}  // namespace sb::sip::media
