// Fuzzes WAV reading (WavFile::parse, what PlayAudio does with a fetched file: libsndfile from
// memory, downmix, speexdsp resampling): RIFF chunks, fmt (PCM, float, µ-law, A-law,
// WAVE_FORMAT_EXTENSIBLE, RF64) and data sizes from the input. Refusals are std::runtime_error;
// findings are crashes, sanitizer reports, or more samples than the bytes can hold: every
// accepted encoding takes at least a byte per sample and the lowest rate is 4 kHz, so 8 kHz
// output is at most two samples per byte (plus the resampler's flushed tail).
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "server/sip/media/WavFile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // A copy of exactly `size` bytes, so ASan sees any read beyond the file.
    std::vector<std::uint8_t> file(data, data + size);
    try {
        auto samples =
            sb::sip::media::WavFile::parse(sb::sip::media::ByteView{file.data(), file.size()});
        if (samples.size() > 2 * size + 256) __builtin_trap();
    } catch (const std::runtime_error&) {
    }
    return 0;
}
