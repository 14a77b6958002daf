#pragma once
// ITU-T G.711 µ-law and A-law companding of 16-bit linear PCM.
//
// Hand-written on purpose (DESIGN "Dependencies"): G.711 is a few lines of standard arithmetic
// (the segment/quantisation scheme of G.711 tables 1a and 2a, as in the public-domain Sun
// Microsystems g711.c), smaller than any library binding would be.

#include <cstddef>
#include <cstdint>

#include "server/sip/media/Types.hpp"

namespace sb::sip::media {

enum class G711Law { Mu, A };

// The static RTP payload type of a law (RFC 3551 §4.5.14: PCMU 0, PCMA 8).
constexpr std::uint8_t payloadTypeOf(G711Law law) {
    return law == G711Law::Mu ? kPayloadTypePcmu : kPayloadTypePcma;
}

class G711 {
  public:
    static std::uint8_t encodeMu(std::int16_t sample);
    static std::int16_t decodeMu(std::uint8_t code);
    static std::uint8_t encodeA(std::int16_t sample);
    static std::int16_t decodeA(std::uint8_t code);

    // PCMA → PCMU without going through a call per sample (a 256-entry table).
    static std::uint8_t alawToMulaw(std::uint8_t code);

    // Whole buffers: `out` holds `count` elements.
    static void encode(G711Law law, const std::int16_t* in, std::uint8_t* out, std::size_t count);
    static void decode(G711Law law, const std::uint8_t* in, std::int16_t* out, std::size_t count);
};

}  // namespace sb::sip::media
