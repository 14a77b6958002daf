// WAV reading for PlayAudio: any common rate, channel count and encoding (PCM 8/16/24/32-bit,
// float, µ-law, A-law) becomes 8 kHz mono; unsupported or broken files are refused with the
// reason. The test files are written by libsndfile.
#include <catch2/catch.hpp>

#include <sndfile.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "server/sip/media/WavFile.hpp"

using namespace sb::sip::media;
using Catch::Matchers::Contains;

namespace {

using Bytes = std::vector<std::uint8_t>;

std::string tempPath(const std::string& name) {
    return "/tmp/sb-test-wav-" + std::to_string(::getpid()) + "-" + name + ".wav";
}

Bytes slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return Bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// `seconds` of a `hz` sine at `amplitude` in channel 0 (the others silent), written by libsndfile.
Bytes makeWav(int rate, int channels, int format, double hz = 440, double amplitude = 0.5,
              double seconds = 1) {
    auto path = tempPath(std::to_string(rate) + "-" + std::to_string(channels) + "-" +
                         std::to_string(format));
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = channels;
    info.format = format;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    REQUIRE(f);
    auto frames = static_cast<std::size_t>(rate * seconds);
    std::vector<float> data(frames * static_cast<std::size_t>(channels), 0.0f);
    for (std::size_t i = 0; i < frames; ++i)
        data[i * static_cast<std::size_t>(channels)] =
            static_cast<float>(amplitude * std::sin(2 * M_PI * hz * static_cast<double>(i) / rate));
    REQUIRE(sf_writef_float(f, data.data(), static_cast<sf_count_t>(frames)) ==
            static_cast<sf_count_t>(frames));
    sf_close(f);
    auto bytes = slurp(path);
    std::remove(path.c_str());
    return bytes;
}

std::vector<std::int16_t> parse(const Bytes& b, double maxSeconds = WavFile::kDefaultMaxSeconds) {
    return WavFile::parse(ByteView{b.data(), b.size()}, maxSeconds);
}

double rms(const std::vector<std::int16_t>& s, std::size_t from = 400, std::size_t to = 7600) {
    double sum = 0;
    for (std::size_t i = from; i < to && i < s.size(); ++i) sum += double(s[i]) * s[i];
    return std::sqrt(sum / double(to - from));
}

// Sign changes per second in the middle of the clip: twice the frequency of a pure tone.
double frequency(const std::vector<std::int16_t>& s) {
    int crossings = 0;
    for (std::size_t i = 401; i < 7600; ++i) crossings += (s[i - 1] < 0) != (s[i] < 0);
    return crossings / 2.0 / (7200.0 / 8000.0);
}

}  // namespace

TEST_CASE("WavFile decodes any common WAV to 8 kHz mono", "[sip][media][WavFile]") {
    struct Case {
        const char* name;
        int rate, channels, format;
        double expectRms;  // a 0.5 sine in channel 0, the others silent: mono is the mean
    };
    const double full = 0.5 / std::sqrt(2.0) * 32767;
    for (const auto& c :
         {Case{"8 kHz 16-bit", 8000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16, full},
          Case{"16 kHz stereo", 16000, 2, SF_FORMAT_WAV | SF_FORMAT_PCM_16, full / 2},
          Case{"44.1 kHz", 44100, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16, full},
          Case{"48 kHz 24-bit", 48000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_24, full},
          Case{"22.05 kHz 32-bit", 22050, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_32, full},
          Case{"11.025 kHz 8-bit", 11025, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_U8, full},
          Case{"float 32 kHz", 32000, 1, SF_FORMAT_WAV | SF_FORMAT_FLOAT, full},
          Case{"µ-law 8 kHz", 8000, 1, SF_FORMAT_WAV | SF_FORMAT_ULAW, full},
          Case{"A-law 16 kHz", 16000, 1, SF_FORMAT_WAV | SF_FORMAT_ALAW, full},
          Case{"extensible 4 channels", 44100, 4, SF_FORMAT_WAVEX | SF_FORMAT_PCM_16, full / 4}}) {
        INFO(c.name);
        auto samples = parse(makeWav(c.rate, c.channels, c.format));
        CHECK(samples.size() >= 7990);
        CHECK(samples.size() <= 8010);
        CHECK(rms(samples) == Approx(c.expectRms).epsilon(0.05));
        CHECK(frequency(samples) == Approx(440).epsilon(0.02));
    }
}

TEST_CASE("WavFile's resampler filters what 8 kHz cannot carry", "[sip][media][WavFile]") {
    // A 6 kHz tone at 44.1 kHz would alias to 2 kHz without the anti-aliasing filter.
    auto samples = parse(makeWav(44100, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 6000));
    CHECK(rms(samples) < 0.02 * 0.5 / std::sqrt(2.0) * 32767);
}

TEST_CASE("WavFile names what it does not support", "[sip][media][WavFile]") {
    CHECK_THROWS_WITH(parse(makeWav(8000, 1, SF_FORMAT_WAV | SF_FORMAT_IMA_ADPCM)),
                      Contains("IMA ADPCM") && Contains("not supported"));
    CHECK_THROWS_WITH(parse(makeWav(8000, 1, SF_FORMAT_WAV | SF_FORMAT_GSM610)),
                      Contains("GSM 6.10"));
    CHECK_THROWS_WITH(parse(makeWav(8000, 1, SF_FORMAT_AIFF | SF_FORMAT_PCM_16)),
                      Contains("not a WAV file"));
    CHECK_THROWS_WITH(parse(makeWav(2000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16)),
                      Contains("2000 Hz is not supported"));
    CHECK_THROWS_WITH(parse(makeWav(8000, 9, SF_FORMAT_WAVEX | SF_FORMAT_PCM_16)),
                      Contains("9 channels"));
}

TEST_CASE("WavFile bounds the decoded length", "[sip][media][WavFile]") {
    auto wav = makeWav(16000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 440, 0.5, 3);
    CHECK_THROWS_WITH(parse(wav, 2), Contains("longer than 2 seconds"));
    CHECK(parse(wav, 3).size() == Approx(24000).margin(10));
}

TEST_CASE("WavFile rejects files that are not WAV or are cut short", "[sip][media][WavFile]") {
    Bytes text{'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!'};
    CHECK_THROWS_WITH(parse(text), Contains("not a readable audio file"));
    CHECK_THROWS_AS(parse(Bytes{}), std::runtime_error);
    auto wav = makeWav(8000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    CHECK_THROWS_AS(parse(Bytes(wav.begin(), wav.begin() + 20)), std::runtime_error);
    // A header that promises more than the file holds: what is there plays, nothing more.
    auto cut = parse(Bytes(wav.begin(), wav.begin() + 44 + 1000));
    CHECK(cut.size() <= 510);
}

TEST_CASE("WavFile reads from disk", "[sip][media][WavFile]") {
    auto path = tempPath("disk");
    auto wav = makeWav(8000, 1, SF_FORMAT_WAV | SF_FORMAT_ULAW);
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(wav.data()), static_cast<std::streamsize>(wav.size()));
    CHECK(WavFile::read(path).size() == Approx(8000).margin(5));
    std::remove(path.c_str());
    CHECK_THROWS_WITH(WavFile::read(path), Contains("cannot open"));
}
