#pragma once
// Decoder for Opus payloads (RFC 7587) with libopus. The decoder is created at 8 kHz: Opus
// decodes to any of its supported rates directly (RFC 6716 §4), so no resampler is needed.
// Lost frames use libopus packet-loss concealment, or the next packet's in-band FEC (LBRR),
// which browsers send when they negotiate useinbandfec=1.

#include <memory>

#include "server/sip/media/Decoder.hpp"

struct OpusDecoder;

namespace sb::sip::media {

class OpusToPcm : public Decoder {
  public:
    // Throws std::runtime_error if libopus cannot create the decoder.
    OpusToPcm();

    std::size_t decode(ByteView payload, std::int16_t* out) override;
    void conceal(std::int16_t* out) override;
    bool recover(ByteView nextPayload, std::int16_t* out) override;
    Codec codec() const override { return Codec::Opus; }

  private:
    struct Free {
        void operator()(OpusDecoder* d) const;
    };
    std::unique_ptr<OpusDecoder, Free> decoder_;
};

}  // namespace sb::sip::media
