#include "server/sip/media/G711.hpp"

#include <array>

namespace sb::sip::media {

namespace {

constexpr int kSignBit = 0x80;
constexpr int kQuantMask = 0x0F;
constexpr int kSegShift = 4;
constexpr int kSegMask = 0x70;
constexpr int kMuBias = 0x84;  // µ-law bias (132), G.711 §3.3
constexpr int kMuClip = 8159;  // largest 14-bit magnitude before the bias is added

// Segment end points: µ-law on the 14-bit magnitude, A-law on the 13-bit magnitude.
constexpr std::array<int, 8> kMuSegEnd{0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF};
constexpr std::array<int, 8> kASegEnd{0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};

constexpr int segmentOf(int value, const std::array<int, 8>& ends) {
    for (int i = 0; i < 8; ++i)
        if (value <= ends[static_cast<std::size_t>(i)]) return i;
    return 8;
}

constexpr std::int16_t muToLinear(std::uint8_t code) {
    int u = ~code & 0xFF;
    int t = ((u & kQuantMask) << 3) + kMuBias;
    t <<= (u & kSegMask) >> kSegShift;
    return static_cast<std::int16_t>((u & kSignBit) ? (kMuBias - t) : (t - kMuBias));
}

constexpr std::int16_t aToLinear(std::uint8_t code) {
    int a = code ^ 0x55;  // even bits are inverted on the wire (G.711 §4)
    int t = (a & kQuantMask) << 4;
    int seg = (a & kSegMask) >> kSegShift;
    if (seg == 0) {
        t += 8;
    } else {
        t += 0x108;
        t <<= seg - 1;
    }
    return static_cast<std::int16_t>((a & kSignBit) ? t : -t);
}

constexpr std::uint8_t linearToMu(std::int16_t sample) {
    int pcm = sample >> 2;  // 14-bit range
    int mask = 0xFF;
    if (pcm < 0) {
        pcm = -pcm;
        mask = 0x7F;
    }
    if (pcm > kMuClip) pcm = kMuClip;
    pcm += kMuBias >> 2;
    int seg = segmentOf(pcm, kMuSegEnd);
    if (seg >= 8) return static_cast<std::uint8_t>(0x7F ^ mask);
    int u = (seg << kSegShift) | ((pcm >> (seg + 1)) & kQuantMask);
    return static_cast<std::uint8_t>(u ^ mask);
}

constexpr std::uint8_t linearToA(std::int16_t sample) {
    int pcm = sample >> 3;  // 13-bit range
    int mask = 0xD5;
    if (pcm < 0) {
        pcm = -pcm - 1;
        mask = 0x55;
    }
    int seg = segmentOf(pcm, kASegEnd);
    if (seg >= 8) return static_cast<std::uint8_t>(0x7F ^ mask);
    int a = seg << kSegShift;
    a |= seg < 2 ? (pcm >> 1) & kQuantMask : (pcm >> seg) & kQuantMask;
    return static_cast<std::uint8_t>(a ^ mask);
}

template <typename F>
constexpr auto tableOf(F f) {
    std::array<decltype(f(std::uint8_t{0})), 256> table{};
    for (int i = 0; i < 256; ++i)
        table[static_cast<std::size_t>(i)] = f(static_cast<std::uint8_t>(i));
    return table;
}

constexpr auto kMuDecode = tableOf(muToLinear);
constexpr auto kADecode = tableOf(aToLinear);
constexpr auto kAToMu = tableOf([](std::uint8_t a) { return linearToMu(aToLinear(a)); });

}  // namespace

std::uint8_t G711::encodeMu(std::int16_t sample) {
    return linearToMu(sample);
}
std::int16_t G711::decodeMu(std::uint8_t code) {
    return kMuDecode[code];
}
std::uint8_t G711::encodeA(std::int16_t sample) {
    return linearToA(sample);
}
std::int16_t G711::decodeA(std::uint8_t code) {
    return kADecode[code];
}
std::uint8_t G711::alawToMulaw(std::uint8_t code) {
    return kAToMu[code];
}

void G711::encode(G711Law law, const std::int16_t* in, std::uint8_t* out, std::size_t count) {
    if (law == G711Law::Mu) {
        for (std::size_t i = 0; i < count; ++i) out[i] = linearToMu(in[i]);
    } else {
        for (std::size_t i = 0; i < count; ++i) out[i] = linearToA(in[i]);
    }
}

void G711::decode(G711Law law, const std::uint8_t* in, std::int16_t* out, std::size_t count) {
    const auto& table = law == G711Law::Mu ? kMuDecode : kADecode;
    for (std::size_t i = 0; i < count; ++i) out[i] = table[in[i]];
}

}  // namespace sb::sip::media
