// Fuzzes WAV reading (WavFile::parse, what PlayAudio does with a fetched file): RIFF chunks,
// fmt (PCM, µ-law, A-law, WAVE_FORMAT_EXTENSIBLE) and data sizes from the input. Refusals are
// std::runtime_error; findings are crashes, sanitizer reports, or more samples than the bytes hold.
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "server/sip/media/WavFile.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // A copy of exactly `size` bytes, so ASan sees any read beyond the file.
    std::vector<std::uint8_t> file(data, data + size);
    try {
        auto samples = sb::sip::media::WavFile::parse(sb::sip::media::ByteView{file.data(), file.size()});
        // 16-bit PCM gives one sample per 2 bytes, G.711 one per byte: never more than the file.
        if (samples.size() > size) __builtin_trap();
    } catch (const std::runtime_error&) {
    }
    return 0;
}
