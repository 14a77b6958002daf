#include "server/sip/media/WavFile.hpp"

#include <fstream>
#include <iterator>
#include <optional>
#include <stdexcept>

#include "server/sip/media/G711.hpp"

namespace sb::sip::media {

namespace {

constexpr std::uint16_t kFormatPcm = 1;
constexpr std::uint16_t kFormatFloat = 3;
constexpr std::uint16_t kFormatAlaw = 6;
constexpr std::uint16_t kFormatMulaw = 7;
constexpr std::uint16_t kFormatExtensible = 0xFFFE;

std::uint16_t le16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
std::uint32_t le32(const std::uint8_t* p) {
    return std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
           (std::uint32_t{p[3]} << 24);
}
bool tagIs(const std::uint8_t* p, const char* tag) {
    return p[0] == tag[0] && p[1] == tag[1] && p[2] == tag[2] && p[3] == tag[3];
}

std::runtime_error unsupported(const std::string& what) {
    return std::runtime_error("WAV: " + what +
                              " is not supported (use mono 8000 Hz 16-bit PCM, µ-law or A-law)");
}

std::string formatName(std::uint16_t tag) {
    switch (tag) {
        case kFormatFloat:
            return "format 3 (IEEE float)";
        case 2:
            return "format 2 (MS ADPCM)";
        case 0x11:
            return "format 0x11 (IMA ADPCM)";
        case 0x55:
            return "format 0x55 (MP3)";
        default:
            return "format " + std::to_string(tag);
    }
}

struct Format {
    std::uint16_t tag = 0;
    std::uint16_t channels = 0;
    std::uint32_t sampleRate = 0;
    std::uint16_t bitsPerSample = 0;
};

Format parseFmt(const std::uint8_t* p, std::size_t size) {
    if (size < 16) throw std::runtime_error("WAV: the fmt chunk is shorter than 16 bytes");
    Format f{le16(p), le16(p + 2), le32(p + 4), le16(p + 14)};
    // WAVE_FORMAT_EXTENSIBLE: the real format tag is the first two bytes of the SubFormat GUID
    // (cbSize 22 at byte 16, SubFormat at byte 24).
    if (f.tag == kFormatExtensible) {
        if (size < 40)
            throw std::runtime_error("WAV: the extensible fmt chunk is shorter than 40 bytes");
        f.tag = le16(p + 24);
    }
    return f;
}

void check(const Format& f) {
    if (f.tag != kFormatPcm && f.tag != kFormatMulaw && f.tag != kFormatAlaw)
        throw unsupported(formatName(f.tag));
    if (f.channels != 1) throw unsupported(std::to_string(f.channels) + " channels");
    if (f.sampleRate != kClockRate)
        throw unsupported("a sample rate of " + std::to_string(f.sampleRate) + " Hz");
    std::uint16_t want = f.tag == kFormatPcm ? 16 : 8;
    if (f.bitsPerSample != want)
        throw unsupported(std::to_string(f.bitsPerSample) + "-bit " +
                          (f.tag == kFormatPcm ? "PCM" : "G.711"));
}

}  // namespace

std::vector<std::int16_t> WavFile::parse(ByteView bytes) {
    const std::uint8_t* d = bytes.data;
    const std::size_t size = bytes.size;
    if (d == nullptr || size < 12 || !tagIs(d, "RIFF") || !tagIs(d + 8, "WAVE"))
        throw std::runtime_error("WAV: not a RIFF/WAVE file");

    std::optional<Format> format;
    std::size_t offset = 12;
    while (size - offset >= 8) {
        const std::uint8_t* chunk = d + offset;
        std::size_t chunkSize = le32(chunk + 4);
        std::size_t available = size - offset - 8;
        if (tagIs(chunk, "fmt ")) {
            if (chunkSize > available) throw std::runtime_error("WAV: the fmt chunk is truncated");
            format = parseFmt(chunk + 8, chunkSize);
            check(*format);
        } else if (tagIs(chunk, "data")) {
            if (!format) throw std::runtime_error("WAV: the data chunk comes before the fmt chunk");
            // Streaming writers leave the size at 0 or 0xFFFFFFFF: take what the file holds.
            std::size_t n = (chunkSize == 0 || chunkSize > available) ? available : chunkSize;
            const std::uint8_t* data = chunk + 8;
            std::vector<std::int16_t> samples;
            if (format->tag == kFormatPcm) {
                samples.resize(n / 2);
                for (std::size_t i = 0; i < samples.size(); ++i)
                    samples[i] = static_cast<std::int16_t>(le16(data + 2 * i));
            } else {
                samples.resize(n);
                G711::decode(format->tag == kFormatMulaw ? G711Law::Mu : G711Law::A, data,
                             samples.data(), n);
            }
            return samples;
        }
        // Other chunks (LIST, fact, cue …) are skipped; chunks are padded to an even size.
        std::size_t advance = 8 + chunkSize + (chunkSize & 1);
        if (advance > size - offset) break;
        offset += advance;
    }
    throw std::runtime_error(format ? "WAV: no data chunk" : "WAV: no fmt chunk");
}

std::vector<std::int16_t> WavFile::read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("WAV: cannot open " + path);
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                    std::istreambuf_iterator<char>());
    try {
        return parse(ByteView{bytes.data(), bytes.size()});
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(std::string(e.what()) + " (" + path + ")");
    }
}

}  // namespace sb::sip::media
