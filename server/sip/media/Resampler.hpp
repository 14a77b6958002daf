#pragma once
// Streaming sample-rate conversion of mono float audio to the calls' 8 kHz (speexdsp), for
// PlayAudio files and synthesized speech recorded at other rates.

#include <cstdint>
#include <memory>
#include <vector>

namespace sb::sip::media {

class Resampler {
  public:
    static constexpr int kOutputRate = 8000;

    // Throws std::runtime_error for a rate speexdsp refuses (outside 1 Hz … 2^31).
    explicit Resampler(int inputRate);
    ~Resampler();
    Resampler(const Resampler&) = delete;
    Resampler& operator=(const Resampler&) = delete;

    // Converts the next `input` samples (nominal range ±1) and appends 16-bit samples to `out`.
    void push(const float* input, std::size_t count, std::vector<std::int16_t>& out);
    // Flushes the filter's delay line (call once, at the end).
    void finish(std::vector<std::int16_t>& out);

    // One shot: all of `mono` (16-bit) at `inputRate` → 8 kHz.
    static std::vector<std::int16_t> to8k(const std::vector<std::int16_t>& mono, int inputRate);

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace sb::sip::media
