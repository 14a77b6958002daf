#include "server/sip/media/Resampler.hpp"

#include <speex/speex_resampler.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace sb::sip::media {

struct Resampler::State {
    SpeexResamplerState* speex = nullptr;
    bool passthrough = false;  // already 8 kHz: only convert to 16 bits
    std::size_t skip = 0;      // the filter's delay: output samples before the input's first
};

namespace {
std::int16_t toPcm16(float v) {
    float scaled = std::nearbyint(v * 32767.0f);
    if (!(scaled == scaled)) return 0;  // NaN from a float file
    return static_cast<std::int16_t>(std::clamp(scaled, -32768.0f, 32767.0f));
}
}  // namespace

Resampler::Resampler(int inputRate) : state_(std::make_unique<State>()) {
    if (inputRate <= 0)
        throw std::runtime_error("sample rate " + std::to_string(inputRate) + " Hz is not valid");
    if (inputRate == kOutputRate) {
        state_->passthrough = true;
        return;
    }
    int err = 0;
    // Quality 5 ("desktop"): the prompts are speech and music that phones play at 8 kHz; the
    // anti-aliasing filter matters more than the CPU it takes (done once per file).
    state_->speex = speex_resampler_init(1, static_cast<spx_uint32_t>(inputRate), kOutputRate,
                                         SPEEX_RESAMPLER_QUALITY_DESKTOP, &err);
    if (!state_->speex || err != RESAMPLER_ERR_SUCCESS)
        throw std::runtime_error("cannot resample from " + std::to_string(inputRate) + " Hz");
    // Dropped at the start and flushed at the end (finish), so the clip keeps its timing and
    // length.
    state_->skip = static_cast<std::size_t>(speex_resampler_get_output_latency(state_->speex));
}

Resampler::~Resampler() {
    if (state_ && state_->speex) speex_resampler_destroy(state_->speex);
}

void Resampler::push(const float* input, std::size_t count, std::vector<std::int16_t>& out) {
    if (state_->passthrough) {
        for (std::size_t i = 0; i < count; ++i) out.push_back(toPcm16(input[i]));
        return;
    }
    float buffer[1024];
    while (count > 0) {
        auto inLen = static_cast<spx_uint32_t>(std::min<std::size_t>(count, 4096));
        spx_uint32_t outLen = sizeof buffer / sizeof buffer[0];
        speex_resampler_process_float(state_->speex, 0, input, &inLen, buffer, &outLen);
        spx_uint32_t first = 0;
        while (state_->skip > 0 && first < outLen) {
            ++first;
            --state_->skip;
        }
        for (spx_uint32_t i = first; i < outLen; ++i) out.push_back(toPcm16(buffer[i]));
        if (inLen == 0 && outLen == 0) break;  // cannot happen with a valid state; never spin
        input += inLen;
        count -= inLen;
    }
}

void Resampler::finish(std::vector<std::int16_t>& out) {
    if (state_->passthrough) return;
    std::vector<float> zeros(
        static_cast<std::size_t>(speex_resampler_get_input_latency(state_->speex)), 0.0f);
    // Only what corresponds to real input: the zeros' own output is dropped.
    auto before = out.size();
    push(zeros.data(), zeros.size(), out);
    auto tail = static_cast<std::size_t>(speex_resampler_get_output_latency(state_->speex));
    if (out.size() - before > tail) out.resize(before + tail);
}

std::vector<std::int16_t> Resampler::to8k(const std::vector<std::int16_t>& mono, int inputRate) {
    Resampler r(inputRate);
    std::vector<std::int16_t> out;
    out.reserve(mono.size() * kOutputRate / static_cast<std::size_t>(inputRate) + 64);
    std::vector<float> chunk;
    for (std::size_t at = 0; at < mono.size(); at += 4096) {
        auto n = std::min<std::size_t>(4096, mono.size() - at);
        chunk.resize(n);
        for (std::size_t i = 0; i < n; ++i) chunk[i] = static_cast<float>(mono[at + i]) / 32768.0f;
        r.push(chunk.data(), n, out);
    }
    r.finish(out);
    return out;
}

}  // namespace sb::sip::media
