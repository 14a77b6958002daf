#pragma once
// Small value types shared by the SIP media classes (STYLE: one Types.hpp per module).

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace sb::sip::media {

// The phone side runs at 8 kHz with 20 ms frames (RFC 3551 §4.5.14: G.711 at 8000 Hz; ptime 20).
constexpr std::uint32_t kClockRate = 8000;
constexpr std::size_t kFrameSamples = 160;
constexpr std::chrono::milliseconds kFrameDuration{20};

// Largest UDP payload we handle; anything bigger is not RTP we care about.
constexpr std::size_t kMaxPacketSize = 1500;

using PcmFrame = std::array<std::int16_t, kFrameSamples>;

// Static payload types (RFC 3551 §6, table 4).
constexpr std::uint8_t kPayloadTypePcmu = 0;
constexpr std::uint8_t kPayloadTypePcma = 8;

enum class Codec { Pcmu, Pcma, Opus };

// Maps the codec names the media orchestration uses ("opus", "pcmu", "pcma", any case).
inline std::optional<Codec> codecFromName(std::string_view name) {
    auto equals = [&](std::string_view want) {
        if (name.size() != want.size()) return false;
        for (std::size_t i = 0; i < name.size(); ++i) {
            char c = name[i];
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            if (c != want[i]) return false;
        }
        return true;
    };
    if (equals("pcmu")) return Codec::Pcmu;
    if (equals("pcma")) return Codec::Pcma;
    if (equals("opus")) return Codec::Opus;
    return std::nullopt;
}

// A read-only view of bytes owned by someone else (C++17 has no std::span).
struct ByteView {
    const std::uint8_t* data = nullptr;
    std::size_t size = 0;

    bool empty() const { return size == 0; }
    const std::uint8_t* begin() const { return data; }
    const std::uint8_t* end() const { return data + size; }
    std::uint8_t operator[](std::size_t i) const { return data[i]; }
};

// RFC 3550 appendix A.1 serial-number arithmetic: true when `a` comes after `b` modulo 2^16.
inline bool seqNewer(std::uint16_t a, std::uint16_t b) {
    return a != b && static_cast<std::uint16_t>(a - b) < 0x8000;
}
// Signed distance a - b modulo 2^16, in [-32768, 32767].
inline int seqDelta(std::uint16_t a, std::uint16_t b) {
    return static_cast<std::int16_t>(static_cast<std::uint16_t>(a - b));
}
// The same for 32-bit RTP timestamps.
inline bool timestampNewer(std::uint32_t a, std::uint32_t b) {
    return a != b && static_cast<std::uint32_t>(a - b) < 0x80000000u;
}

}  // namespace sb::sip::media
