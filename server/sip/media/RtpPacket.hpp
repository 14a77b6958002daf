#pragma once
// RTP fixed header (RFC 3550 §5.1): parse with bounds checks, build a 12-byte header + payload.
// Parsing never copies: the payload and extension views point into the caller's datagram.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "server/sip/media/Types.hpp"

namespace sb::sip::media {

// The fields a sender chooses; build() writes them with V=2, P=0, X=0, CC=0.
struct RtpHeader {
    bool marker = false;
    std::uint8_t payloadType = 0;
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    std::uint32_t ssrc = 0;
};

class RtpPacket {
  public:
    static constexpr std::size_t kHeaderSize = 12;

    RtpHeader header;
    bool padding = false;                // P bit; the padding is already removed from `payload`
    std::uint8_t csrcCount = 0;          // CC; the CSRC list is skipped
    bool hasExtension = false;           // X bit (RFC 3550 §5.3.1)
    std::uint16_t extensionProfile = 0;  // 0xBEDE one-byte, 0x100x two-byte form (RFC 8285 §4)
    ByteView extension;                  // the extension's data words, without its 4-byte header
    ByteView payload;

    // Returns nullopt unless `datagram` is a well-formed RTP version 2 packet: every length
    // (CSRC list, extension, padding) is checked against the datagram size before it is used.
    static std::optional<RtpPacket> parse(ByteView datagram);

    // Writes the 12-byte header and the payload into `out`; returns the bytes written, or 0 when
    // `capacity` is too small.
    static std::size_t build(const RtpHeader& header, ByteView payload, std::uint8_t* out,
                             std::size_t capacity);
};

}  // namespace sb::sip::media
