#include "server/sip/media/Mixer.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

namespace sb::sip::media {

namespace {
std::int16_t saturate(std::int32_t v) {
    return static_cast<std::int16_t>(std::clamp<std::int32_t>(
        v, std::numeric_limits<std::int16_t>::min(), std::numeric_limits<std::int16_t>::max()));
}
}  // namespace

Mixer::Input* Mixer::find(InputId id) {
    for (auto& in : inputs_)
        if (in.id == id) return &in;
    return nullptr;
}

bool Mixer::hasInput(InputId id) const {
    return std::any_of(inputs_.begin(), inputs_.end(),
                       [id](const Input& in) { return in.id == id; });
}

bool Mixer::addInput(InputId id) {
    if (find(id)) return false;
    inputs_.push_back(Input{id, false, {}});
    return true;
}

bool Mixer::removeInput(InputId id) {
    auto it =
        std::find_if(inputs_.begin(), inputs_.end(), [id](const Input& in) { return in.id == id; });
    if (it == inputs_.end()) return false;
    inputs_.erase(it);
    return true;
}

bool Mixer::push(InputId id, const std::int16_t* samples) {
    Input* in = find(id);
    if (!in) return false;
    std::memcpy(in->frame.data(), samples, sizeof(PcmFrame));
    in->fresh = true;
    return true;
}

std::size_t Mixer::mix(PcmFrame& out) {
    // Sum in 32 bits (up to 65536 full-scale inputs cannot overflow), saturate once at the end.
    std::array<std::int32_t, kFrameSamples> sum{};
    std::size_t contributors = 0;
    for (auto& in : inputs_) {
        if (!in.fresh) continue;
        in.fresh = false;
        ++contributors;
        for (std::size_t i = 0; i < kFrameSamples; ++i) sum[i] += in.frame[i];
    }
    for (std::size_t i = 0; i < kFrameSamples; ++i) out[i] = saturate(sum[i]);
    return contributors;
}

void Mixer::addInto(PcmFrame& out, const PcmFrame& in) {
    for (std::size_t i = 0; i < kFrameSamples; ++i) out[i] = saturate(std::int32_t{out[i]} + in[i]);
}

}  // namespace sb::sip::media
