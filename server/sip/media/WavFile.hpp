#pragma once
// Reads a RIFF/WAVE file into 8 kHz mono int16 samples, for the BXML PlayAudio verb.
//
// Accepted: mono, 8000 Hz, and format 1 (PCM, 16-bit little-endian), 7 (µ-law, 8-bit) or 6
// (A-law, 8-bit), also inside WAVE_FORMAT_EXTENSIBLE. Anything else is refused with a
// std::runtime_error naming what is unsupported (we do not resample or downmix).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "server/sip/media/Types.hpp"

namespace sb::sip::media {

class WavFile {
  public:
    static std::vector<std::int16_t> read(const std::string& path);
    // The same from bytes already in memory (e.g. fetched over HTTP).
    static std::vector<std::int16_t> parse(ByteView bytes);
};

}  // namespace sb::sip::media
