#pragma once
// Decoder for PCMU/PCMA payloads (RFC 3551 §4.5.14). Concealment repeats the last good frame at
// half the level per lost frame and goes silent after three (a cheap stand-in for G.711
// Appendix I, enough for the occasional loss on loopback or a LAN).

#include "server/sip/media/Decoder.hpp"
#include "server/sip/media/G711.hpp"

namespace sb::sip::media {

class G711ToPcm : public Decoder {
  public:
    explicit G711ToPcm(G711Law law) : law_(law) { last_.fill(0); }

    std::size_t decode(ByteView payload, std::int16_t* out) override;
    void conceal(std::int16_t* out) override;
    Codec codec() const override { return law_ == G711Law::Mu ? Codec::Pcmu : Codec::Pcma; }

  private:
    G711Law law_;
    PcmFrame last_;  // the last 20 ms decoded, for concealment
    int lostInRow_ = 0;
};

}  // namespace sb::sip::media
