#include "server/sip/media/OpusToPcm.hpp"

#include <opus.h>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace sb::sip::media {

void OpusToPcm::Free::operator()(OpusDecoder* d) const {
    opus_decoder_destroy(d);
}

OpusToPcm::OpusToPcm() {
    int error = OPUS_OK;
    decoder_.reset(opus_decoder_create(static_cast<opus_int32>(kClockRate), 1, &error));
    if (error != OPUS_OK || !decoder_)
        throw std::runtime_error(std::string("opus_decoder_create failed: ") +
                                 opus_strerror(error));
}

std::size_t OpusToPcm::decode(ByteView payload, std::int16_t* out) {
    if (payload.empty() ||
        payload.size > static_cast<std::size_t>(std::numeric_limits<opus_int32>::max()))
        return 0;
    int n = opus_decode(decoder_.get(), payload.data, static_cast<opus_int32>(payload.size), out,
                        static_cast<int>(kMaxSamples), 0);
    return n > 0 ? static_cast<std::size_t>(n) : 0;
}

void OpusToPcm::conceal(std::int16_t* out) {
    // A null packet asks libopus for packet-loss concealment of frame_size samples.
    int n = opus_decode(decoder_.get(), nullptr, 0, out, static_cast<int>(kFrameSamples), 0);
    if (n < static_cast<int>(kFrameSamples))
        std::fill(out + std::max(n, 0), out + kFrameSamples, std::int16_t{0});
}

bool OpusToPcm::recover(ByteView nextPayload, std::int16_t* out) {
    if (nextPayload.empty()) return false;
    // decode_fec=1 decodes the LBRR data of the next packet for the lost one; frame_size must be
    // the lost duration (20 ms). Without FEC data libopus falls back to concealment itself.
    int n = opus_decode(decoder_.get(), nextPayload.data, static_cast<opus_int32>(nextPayload.size),
                        out, static_cast<int>(kFrameSamples), 1);
    return n == static_cast<int>(kFrameSamples);
}

}  // namespace sb::sip::media
