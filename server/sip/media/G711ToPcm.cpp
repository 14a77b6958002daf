#include "server/sip/media/G711ToPcm.hpp"

#include <algorithm>
#include <cstring>

namespace sb::sip::media {

std::size_t G711ToPcm::decode(ByteView payload, std::int16_t* out) {
    std::size_t n = std::min(payload.size, kMaxSamples);  // one byte per sample
    G711::decode(law_, payload.data, out, n);
    if (n >= kFrameSamples) {
        std::memcpy(last_.data(), out + n - kFrameSamples, sizeof(last_));
    } else if (n > 0) {  // short packet: keep the tail of the history plus what came
        std::memmove(last_.data(), last_.data() + n, (kFrameSamples - n) * sizeof(std::int16_t));
        std::memcpy(last_.data() + kFrameSamples - n, out, n * sizeof(std::int16_t));
    }
    lostInRow_ = 0;
    return n;
}

void G711ToPcm::conceal(std::int16_t* out) {
    ++lostInRow_;
    if (lostInRow_ > 3) {
        std::fill(out, out + kFrameSamples, std::int16_t{0});
        return;
    }
    int shift = lostInRow_;  // -6 dB per lost frame
    for (std::size_t i = 0; i < kFrameSamples; ++i)
        out[i] = static_cast<std::int16_t>(last_[i] >> shift);
}

}  // namespace sb::sip::media
