#pragma once
// Reads a WAV file into 8 kHz mono int16 samples, for the BXML PlayAudio verb.
//
// Decoded by libsndfile from memory (sf_open_virtual: the fetched bytes are never written to
// disk), downmixed to mono (mean of the channels) and resampled to 8 kHz (Resampler, speexdsp).
// Accepted: RIFF WAVE, WAVE_FORMAT_EXTENSIBLE and RF64 containers; PCM 8/16/24/32-bit, 32/64-bit
// float, µ-law and A-law; 1 to 8 channels; 4000 to 192000 Hz. Anything else (compressed
// encodings such as ADPCM or GSM, other containers) is refused with a std::runtime_error naming
// what is unsupported. Output is bounded: a file that would play longer than `maxSeconds` is
// refused, whatever its header claims.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "server/sip/media/Types.hpp"

namespace sb::sip::media {

class WavFile {
  public:
    static constexpr int kMinRate = 4000;
    static constexpr int kMaxRate = 192000;
    static constexpr int kMaxChannels = 8;
    static constexpr double kDefaultMaxSeconds = 3600;

    static std::vector<std::int16_t> read(const std::string& path,
                                          double maxSeconds = kDefaultMaxSeconds);
    // The same from bytes already in memory (e.g. fetched over HTTP).
    static std::vector<std::int16_t> parse(ByteView bytes, double maxSeconds = kDefaultMaxSeconds);
};

}  // namespace sb::sip::media
