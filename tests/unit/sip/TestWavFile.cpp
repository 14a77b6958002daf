// RIFF/WAVE reading for PlayAudio: PCM 16-bit, µ-law and A-law at 8 kHz mono; clear errors else.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include "server/sip/media/G711.hpp"
#include "server/sip/media/WavFile.hpp"

using namespace sb::sip::media;
using Catch::Matchers::Contains;

namespace {

using Bytes = std::vector<std::uint8_t>;

void put16(Bytes& b, std::uint32_t v) {
    b.push_back(static_cast<std::uint8_t>(v));
    b.push_back(static_cast<std::uint8_t>(v >> 8));
}
void put32(Bytes& b, std::uint32_t v) {
    put16(b, v & 0xFFFF);
    put16(b, v >> 16);
}
void tag(Bytes& b, const char* t) {
    b.insert(b.end(), t, t + 4);
}

struct Wav {
    std::uint16_t format = 1, channels = 1, bits = 16;
    std::uint32_t rate = 8000;
    Bytes data;
    bool listChunk = false;  // an odd-sized chunk before fmt, to test skipping and padding
    bool extensible = false;

    Bytes bytes() const {
        Bytes b;
        tag(b, "RIFF");
        put32(b, 0);  // patched below
        tag(b, "WAVE");
        if (listChunk) {
            tag(b, "LIST");
            put32(b, 3);
            b.insert(b.end(), {'a', 'b', 'c', 0});  // 3 bytes + 1 pad
        }
        tag(b, "fmt ");
        put32(b, extensible ? 40 : 16);
        put16(b, extensible ? 0xFFFE : format);
        put16(b, channels);
        put32(b, rate);
        put32(b, rate * channels * bits / 8);
        put16(b, static_cast<std::uint16_t>(channels * bits / 8));
        put16(b, bits);
        if (extensible) {
            put16(b, 22);
            put16(b, bits);
            put32(b, 4);
            put16(b, format);  // SubFormat GUID starts with the format tag
            b.insert(b.end(), {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00,
                               0x38, 0x9B, 0x71});
        }
        tag(b, "data");
        put32(b, static_cast<std::uint32_t>(data.size()));
        b.insert(b.end(), data.begin(), data.end());
        std::uint32_t riff = static_cast<std::uint32_t>(b.size() - 8);
        for (int i = 0; i < 4; ++i)
            b[4 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(riff >> (8 * i));
        return b;
    }
};

std::vector<std::int16_t> parse(const Bytes& b) {
    return WavFile::parse(ByteView{b.data(), b.size()});
}

}  // namespace

TEST_CASE("WavFile reads 16-bit PCM, µ-law and A-law at 8 kHz mono", "[sip][media][WavFile]") {
    SECTION("PCM 16-bit little-endian") {
        Wav w;
        for (std::int16_t s : {0, 1000, -1000, 32767, -32768})
            put16(w.data, static_cast<std::uint16_t>(s));
        w.listChunk = true;
        CHECK(parse(w.bytes()) == std::vector<std::int16_t>{0, 1000, -1000, 32767, -32768});
    }
    SECTION("µ-law (format 7) and A-law (format 6)") {
        Wav mu;
        mu.format = 7;
        mu.bits = 8;
        mu.data = {0xFF, 0x80, 0x00};
        CHECK(parse(mu.bytes()) == std::vector<std::int16_t>{0, 32124, -32124});
        Wav a = mu;
        a.format = 6;
        a.data = {0xD5, 0xAA};
        CHECK(parse(a.bytes()) == std::vector<std::int16_t>{8, 32256});
    }
    SECTION("WAVE_FORMAT_EXTENSIBLE carrying PCM") {
        Wav w;
        w.extensible = true;
        put16(w.data, 1234);
        CHECK(parse(w.bytes()) == std::vector<std::int16_t>{1234});
    }
    SECTION("a streaming writer's unknown data size takes what the file holds") {
        Wav w;
        put16(w.data, 7);
        put16(w.data, 8);
        Bytes b = w.bytes();
        for (std::size_t i = b.size() - 8; i < b.size() - 4; ++i) b[i] = 0xFF;
        CHECK(parse(b) == std::vector<std::int16_t>{7, 8});
    }
}

TEST_CASE("WavFile names what it does not support", "[sip][media][WavFile]") {
    Wav stereo;
    stereo.channels = 2;
    CHECK_THROWS_WITH(parse(stereo.bytes()), Contains("2 channels") && Contains("not supported"));
    Wav wide;
    wide.rate = 16000;
    CHECK_THROWS_WITH(parse(wide.bytes()), Contains("16000 Hz"));
    Wav fl;
    fl.format = 3;
    fl.bits = 32;
    CHECK_THROWS_WITH(parse(fl.bytes()), Contains("IEEE float"));
    Wav eight;
    eight.bits = 8;
    CHECK_THROWS_WITH(parse(eight.bytes()), Contains("8-bit PCM"));
    Wav mp3;
    mp3.format = 0x55;
    CHECK_THROWS_WITH(parse(mp3.bytes()), Contains("MP3"));
}

TEST_CASE("WavFile rejects files that are not WAV or are cut short", "[sip][media][WavFile]") {
    Bytes text{'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '!'};
    CHECK_THROWS_WITH(parse(text), Contains("not a RIFF/WAVE"));
    Wav w;
    Bytes b = w.bytes();
    CHECK_THROWS_WITH(parse(Bytes(b.begin(), b.begin() + 20)), Contains("fmt chunk is truncated"));
    CHECK_THROWS_WITH(parse(Bytes(b.begin(), b.begin() + 36)), Contains("no data chunk"));
    CHECK_THROWS_AS(parse(Bytes(b.begin(), b.begin() + 12)), std::runtime_error);
}

TEST_CASE("WavFile reads from disk", "[sip][media][WavFile]") {
    Wav w;
    w.format = 7;
    w.bits = 8;
    w.data.assign(800, 0xFF);
    std::string path = "/tmp/sb-test-wavfile-" + std::to_string(::getpid()) + ".wav";
    {
        Bytes b = w.bytes();
        std::ofstream(path, std::ios::binary)
            .write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    }
    CHECK(WavFile::read(path).size() == 800);
    std::remove(path.c_str());
    CHECK_THROWS_WITH(WavFile::read(path), Contains("cannot open"));
}
