#include "server/sip/media/WavFile.hpp"

#include <cstring>

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

sf_count_t memLength(void* user) {
    return static_cast<sf_count_t>(static_cast<Memory*>(user)->bytes.size);
}

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

sf_count_t memWrite(const void*, sf_count_t, void*) {
    return 0;
}  // opened for reading only
sf_count_t memTell(void* user) {
    return static_cast<Memory*>(user)->position;
}

struct Closer {
    void operator()(SNDFILE* f) const { sf_close(f); }
};

std::string encodingName(int subtype) {
    switch (subtype) {
        case SF_FORMAT_IMA_ADPCM:
            return "IMA ADPCM";
        case SF_FORMAT_MS_ADPCM:
            return "Microsoft ADPCM";
        case SF_FORMAT_GSM610:
            return "GSM 6.10";
        case SF_FORMAT_G721_32:
            return "G.721";
        case SF_FORMAT_G723_24:
        case SF_FORMAT_G723_40:
            return "G.723";
        case SF_FORMAT_MPEG_LAYER_III:
            return "MPEG layer III";
        default:
            return "encoding " + std::to_string(subtype);
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
        case SF_FORMAT_ALAW:
            return true;
        default:
            return false;
    }
}

// libsndfile is handed a rebuilt file, never the fetched bytes: a RIFF (or RF64) WAVE file's `fmt `
// and `data` chunks are found here with every size checked against the bytes there are, and copied
// into a minimal WAV of those two chunks. libsndfile loops for minutes on chunk sizes that run past
// the end of a 72-byte file (LIST or data claiming ~4 GB; found by the wav fuzz target).
// The fmt chunk's fields (RIFF WAVEFORMATEX): only what this reader decodes, with consistent
// sizes — libsndfile also loops on sample widths no encoding has (20,294 bits, from the fuzzer).
void checkFormat(const std::uint8_t* fmt) {
    auto le16 = [&](std::size_t off) {
        return static_cast<unsigned>(fmt[off] | (fmt[off + 1] << 8));
    };
    unsigned tag = le16(0), channels = le16(2), blockAlign = le16(12), bits = le16(14);
    std::uint32_t rate = 0;
    for (int i = 3; i >= 0; --i) rate = (rate << 8) | fmt[4 + i];
    // 1 PCM, 3 IEEE float, 6 A-law, 7 µ-law, 0xFFFE WAVE_FORMAT_EXTENSIBLE; the others (ADPCM, GSM,
    // MP3, …) are refused later with their name.
    bool known = tag == 1 || tag == 3 || tag == 6 || tag == 7 || tag == 0xFFFE;
    bool width = bits == 8 || bits == 16 || bits == 24 || bits == 32 || bits == 64;
    if (!known) return;
    if (channels < 1 || channels > static_cast<unsigned>(WavFile::kMaxChannels))
        throw std::runtime_error("WAV: " + std::to_string(channels) +
                                 " channels is not supported (1 to " +
                                 std::to_string(WavFile::kMaxChannels) + ")");
    if (rate < static_cast<std::uint32_t>(WavFile::kMinRate) ||
        rate > static_cast<std::uint32_t>(WavFile::kMaxRate))
        throw std::runtime_error("WAV: " + std::to_string(rate) + " Hz is not supported (" +
                                 std::to_string(WavFile::kMinRate) + " to " +
                                 std::to_string(WavFile::kMaxRate) + " Hz)");
    if (!width || blockAlign != channels * bits / 8)
        throw std::runtime_error("WAV: the fmt chunk is damaged (" + std::to_string(bits) +
                                 "-bit samples, block of " + std::to_string(blockAlign) +
                                 " bytes)");
}

std::vector<std::uint8_t> canonicalWav(ByteView bytes) {
    auto at = [&](std::size_t off, const char* tag) {
        return std::memcmp(bytes.data + off, tag, 4) == 0;
    };
    auto le32 = [&](std::size_t off) {
        std::uint32_t v = 0;
        for (int i = 3; i >= 0; --i) v = (v << 8) | bytes.data[off + static_cast<std::size_t>(i)];
        return v;
    };
    if (bytes.size < 12 || !(at(0, "RIFF") || at(0, "RF64")) || !at(8, "WAVE"))
        throw std::runtime_error(
            "WAV: not a readable audio file (not a WAV file: other audio containers are not "
            "supported)");
    std::size_t fmtAt = 0, fmtLen = 0, dataAt = 0, dataLen = 0;
    bool data = false;
    for (std::size_t off = 12; off + 8 <= bytes.size;) {
        std::size_t body = off + 8, avail = bytes.size - body, size = le32(off + 4);
        if (at(off,
               "data")) {  // the rest of a streamed or RF64 file is audio whatever the size says
            dataAt = body;
            dataLen = std::min(size, avail);
            data = true;
            break;
        }
        if (size > avail) throw std::runtime_error("WAV: a chunk runs past the end of the file");
        if (at(off, "fmt ")) {
            if (size < 16 || size > 1024) throw std::runtime_error("WAV: the fmt chunk is damaged");
            checkFormat(bytes.data + body);
            fmtAt = body;
            fmtLen = size;
        }
        off = body + size + (size & 1u);
    }
    if (!fmtLen || !data)
        throw std::runtime_error("WAV: not a readable audio file (no fmt or data chunk)");
    // Whole sample frames only (a cut-off file ends mid-frame; libsndfile loops on some of those).
    std::size_t blockAlign =
        static_cast<std::size_t>(bytes.data[fmtAt + 12] | (bytes.data[fmtAt + 13] << 8));
    if (blockAlign > 1) dataLen -= dataLen % blockAlign;
    dataLen -= dataLen & 1u;
    std::vector<std::uint8_t> out;
    out.reserve(20 + fmtLen + 1 + 8 + dataLen);
    auto put32 = [&](std::size_t v) {
        for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
    };
    auto put = [&](const char* tag) { out.insert(out.end(), tag, tag + 4); };
    put("RIFF");
    put32(4 + 8 + fmtLen + (fmtLen & 1u) + 8 + dataLen);
    put("WAVE");
    put("fmt ");
    put32(fmtLen);
    out.insert(out.end(), bytes.data + fmtAt, bytes.data + fmtAt + fmtLen);
    if (fmtLen & 1u) out.push_back(0);
    put("data");
    put32(dataLen);
    out.insert(out.end(), bytes.data + dataAt, bytes.data + dataAt + dataLen);
    return out;
}

}  // namespace

std::vector<std::int16_t> WavFile::parse(ByteView bytes, double maxSeconds) {
    auto wav = canonicalWav(bytes);
    Memory memory{ByteView{wav.data(), wav.size()}, 0};
    SF_VIRTUAL_IO io{memLength, memSeek, memRead, memWrite, memTell};
    SF_INFO info{};
    std::unique_ptr<SNDFILE, Closer> file(sf_open_virtual(&io, SFM_READ, &info, &memory));
    if (!file)
        throw std::runtime_error(std::string("WAV: not a readable audio file (") +
                                 sf_strerror(nullptr) + ")");
    int container = info.format & SF_FORMAT_TYPEMASK;
    int encoding = info.format & SF_FORMAT_SUBMASK;
    if (container != SF_FORMAT_WAV && container != SF_FORMAT_WAVEX && container != SF_FORMAT_RF64)
        throw std::runtime_error("WAV: not a WAV file (other audio containers are not supported)");
    if (!supportedEncoding(encoding))
        throw std::runtime_error(
            "WAV: " + encodingName(encoding) +
            " is not supported (use PCM 8/16/24/32-bit, float, µ-law or A-law)");
    if (info.channels < 1 || info.channels > kMaxChannels)
        throw std::runtime_error("WAV: " + std::to_string(info.channels) +
                                 " channels is not supported (1 to " +
                                 std::to_string(kMaxChannels) + ")");
    if (info.samplerate < kMinRate || info.samplerate > kMaxRate)
        throw std::runtime_error("WAV: " + std::to_string(info.samplerate) +
                                 " Hz is not supported (" + std::to_string(kMinRate) + " to " +
                                 std::to_string(kMaxRate) + " Hz)");
    // The header's frame count is not trusted: reading stops at the limit whatever it says.
    auto maxFrames = static_cast<sf_count_t>(maxSeconds * info.samplerate);
    if (info.frames > maxFrames)
        throw std::runtime_error("WAV: the file plays longer than " +
                                 std::to_string(static_cast<long>(maxSeconds)) + " seconds");

    Resampler resampler(info.samplerate);
    std::vector<std::int16_t> out;
    const auto channels = static_cast<std::size_t>(info.channels);
    std::vector<float> frames(1024 * channels), mono(1024);
    // Every accepted encoding takes at least a byte per sample: a decoder that returns more frames
    // than the bytes can hold is making them up (libsndfile does for some broken float headers,
    // until the length limit: minutes of CPU for a 72-byte file, found by the wav fuzz target).
    const auto framesInBytes = static_cast<sf_count_t>(bytes.size / channels);
    sf_count_t total = 0;
    for (;;) {
        auto got = sf_readf_float(file.get(), frames.data(), 1024);
        if (got <= 0) break;
        total += got;
        if (total > framesInBytes)
            throw std::runtime_error("WAV: the audio data is damaged (more frames than bytes)");
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
        throw std::runtime_error(std::string("WAV: cannot decode the audio (") +
                                 sf_strerror(file.get()) + ")");
    resampler.finish(out);
    if (out.empty()) throw std::runtime_error("WAV: the file has no audio");
    return out;
}

std::vector<std::int16_t> WavFile::read(const std::string& path, double maxSeconds) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("WAV: cannot open " + path);
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                    std::istreambuf_iterator<char>());
    return parse(ByteView{bytes.data(), bytes.size()}, maxSeconds);
}

}  // namespace sb::sip::media
