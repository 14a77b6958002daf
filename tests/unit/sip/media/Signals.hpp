#pragma once
// Test signals for the SIP media tests: sines, an Opus encoder, and level measurements.

#include <opus.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

namespace sb::sip::media::test {

constexpr double kPi = 3.14159265358979323846;

// `count` samples of a sine at `freq` Hz, continuing from sample index `start`.
inline std::vector<std::int16_t> sine(double freq, int rate, std::size_t count,
                                      double amplitude = 8000, std::size_t start = 0) {
    std::vector<std::int16_t> out(count);
    for (std::size_t i = 0; i < count; ++i)
        out[i] = static_cast<std::int16_t>(amplitude *
                                           std::sin(2 * kPi * freq * double(start + i) / rate));
    return out;
}

inline double rms(const std::int16_t* s, std::size_t n) {
    if (n == 0) return 0;
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += double(s[i]) * s[i];
    return std::sqrt(sum / double(n));
}
inline double rms(const std::vector<std::int16_t>& s) {
    return rms(s.data(), s.size());
}

// Amplitude of the `freq` component (Goertzel), comparable with the sine's amplitude.
inline double toneAmplitude(const std::vector<std::int16_t>& s, double freq, int rate) {
    double w = 2 * kPi * freq / rate, c = 2 * std::cos(w), s1 = 0, s2 = 0;
    for (auto x : s) {
        double s0 = x + c * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    double power = s1 * s1 + s2 * s2 - c * s1 * s2;
    return 2 * std::sqrt(std::max(power, 0.0)) / double(s.size());
}

// A 48 kHz mono Opus encoder as a browser would run it (VoIP application, 20 ms frames).
class OpusSource {
  public:
    explicit OpusSource(double freq = 440, bool fec = false) : freq_(freq) {
        int err = 0;
        enc_.reset(opus_encoder_create(48000, 1, OPUS_APPLICATION_VOIP, &err));
        if (err != OPUS_OK) throw std::runtime_error("opus_encoder_create failed");
        if (fec) {
            opus_encoder_ctl(enc_.get(), OPUS_SET_INBAND_FEC(1));
            opus_encoder_ctl(enc_.get(), OPUS_SET_PACKET_LOSS_PERC(30));
        }
    }
    // The next 20 ms (960 samples) encoded.
    std::vector<std::uint8_t> next() {
        auto pcm = sine(freq_, 48000, 960, 8000, position_);
        position_ += 960;
        std::vector<std::uint8_t> out(1500);
        int n = opus_encode(enc_.get(), pcm.data(), 960, out.data(),
                            static_cast<opus_int32>(out.size()));
        if (n < 0) throw std::runtime_error("opus_encode failed");
        out.resize(static_cast<std::size_t>(n));
        return out;
    }

  private:
    struct Free {
        void operator()(OpusEncoder* e) const { opus_encoder_destroy(e); }
    };
    std::unique_ptr<OpusEncoder, Free> enc_;
    double freq_;
    std::size_t position_ = 0;
};

}  // namespace sb::sip::media::test
