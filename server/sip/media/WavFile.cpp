#include "server/sip/media/WavFile.hpp"

#include <sndfile.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>

#include "server/sip/media/Resampler.hpp"

namespace sb::sip::media {

namespace {

// libsndfile's virtual I/O over a read-only buffer.
struct Memory {
    ByteView bytes;
    sf_count_t position = 0;
};

sf_count_t memLength(void* user) { return static_cast<sf_count_t>(static_cast<Memory*>(user)->bytes.size); }

sf_count_t memSeek(sf_count_t offset, int whence, void* user) {
    auto* m = static_cast<Memory*>(user);
    auto size = static_cast<sf_count_t>(m->bytes.size);
    sf_count_t base = whence == SEEK_CUR ? m->position : whence == SEEK_END ? size : 0;
    // Bounded: a header may ask for any offset; stay within [0, size].
    if (offset > size || offset < -size) return -1;
    auto target = base + offset;
    if (target < 0 || target > size) return -1;
    m->position = target;
    return m->position;
}

sf_count_t memRead(void* ptr, sf_count_t count, void* user) {
    auto* m = static_cast<Memory*>(user);
    auto size = static_cast<sf_count_t>(m->bytes.size);
    if (count <= 0 || m->position >= size) return 0;
    auto n = std::min(count, size - m->position);
    std::copy_n(m->bytes.data + m->position, n, static_cast<std::uint8_t*>(ptr));
    m->position += n;
    return n;
}

sf_count_t memWrite(const void*, sf_count_t, void*) { return 0; }  // opened for reading only
sf_count_t memTell(void* user) { return static_cast<Memory*>(user)->position; }

struct Closer {
    void operator()(SNDFILE* f) const { sf_close(f); }
};

std::string encodingName(int subtype) {
    switch (subtype) {
        case SF_FORMAT_IMA_ADPCM: return "IMA ADPCM";
        case SF_FORMAT_MS_ADPCM: return "Microsoft ADPCM";
        case SF_FORMAT_GSM610: return "GSM 6.10";
        case SF_FORMAT_G721_32: return "G.721";
        case SF_FORMAT_G723_24:
        case SF_FORMAT_G723_40: return "G.723";
        case SF_FORMAT_MPEG_LAYER_III: return "MPEG layer III";
        default: return "encoding " + std::to_string(subtype);
    }
}

bool supportedEncoding(int subtype) {
    switch (subtype) {
        case SF_FORMAT_PCM_U8:
        case SF_FORMAT_PCM_S8:
        case SF_FORMAT_PCM_16:
        case SF_FORMAT_PCM_24:
        case SF_FORMAT_PCM_32:
        case SF_FORMAT_FLOAT:
        case SF_FORMAT_DOUBLE:
        case SF_FORMAT_ULAW:
        case SF_FORMAT_ALAW: return true;
        default: return false;
    }
}

}  // namespace

std::vector<std::int16_t> WavFile::parse(ByteView bytes, double maxSeconds) {
    Memory memory{bytes, 0};
    SF_VIRTUAL_IO io{memLength, memSeek, memRead, memWrite, memTell};
    SF_INFO info{};
    std::unique_ptr<SNDFILE, Closer> file(sf_open_virtual(&io, SFM_READ, &info, &memory));
    if (!file) throw std::runtime_error(std::string("WAV: not a readable audio file (") + sf_strerror(nullptr) + ")");
    int container = info.format & SF_FORMAT_TYPEMASK;
    int encoding = info.format & SF_FORMAT_SUBMASK;
    if (container != SF_FORMAT_WAV && container != SF_FORMAT_WAVEX && container != SF_FORMAT_RF64)
        throw std::runtime_error("WAV: not a WAV file (other audio containers are not supported)");
    if (!supportedEncoding(encoding))
        throw std::runtime_error("WAV: " + encodingName(encoding) +
                                 " is not supported (use PCM 8/16/24/32-bit, float, µ-law or A-law)");
    if (info.channels < 1 || info.channels > kMaxChannels)
        throw std::runtime_error("WAV: " + std::to_string(info.channels) + " channels is not supported (1 to " +
                                 std::to_string(kMaxChannels) + ")");
    if (info.samplerate < kMinRate || info.samplerate > kMaxRate)
        throw std::runtime_error("WAV: " + std::to_string(info.samplerate) + " Hz is not supported (" +
                                 std::to_string(kMinRate) + " to " + std::to_string(kMaxRate) + " Hz)");
    // The header's frame count is not trusted: reading stops at the limit whatever it says.
    auto maxFrames = static_cast<sf_count_t>(maxSeconds * info.samplerate);
    if (info.frames > maxFrames)
        throw std::runtime_error("WAV: the file plays longer than " + std::to_string(static_cast<long>(maxSeconds)) +
                                 " seconds");

    Resampler resampler(info.samplerate);
    std::vector<std::int16_t> out;
    const auto channels = static_cast<std::size_t>(info.channels);
    std::vector<float> frames(1024 * channels), mono(1024);
    sf_count_t total = 0;
    for (;;) {
        auto got = sf_readf_float(file.get(), frames.data(), 1024);
        if (got <= 0) break;
        total += got;
        if (total > maxFrames)
            throw std::runtime_error("WAV: the file plays longer than " +
                                     std::to_string(static_cast<long>(maxSeconds)) + " seconds");
        auto n = static_cast<std::size_t>(got);
        for (std::size_t i = 0; i < n; ++i) {
            float sum = 0;
            for (std::size_t c = 0; c < channels; ++c) sum += frames[i * channels + c];
            mono[i] = sum / static_cast<float>(channels);
        }
        resampler.push(mono.data(), n, out);
    }
    if (sf_error(file.get()) != SF_ERR_NO_ERROR)
        throw std::runtime_error(std::string("WAV: cannot decode the audio (") + sf_strerror(file.get()) + ")");
    resampler.finish(out);
    if (out.empty()) throw std::runtime_error("WAV: the file has no audio");
    return out;
}

std::vector<std::int16_t> WavFile::read(const std::string& path, double maxSeconds) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("WAV: cannot open " + path);
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return parse(ByteView{bytes.data(), bytes.size()}, maxSeconds);
}

}  // namespace sb::sip::media
