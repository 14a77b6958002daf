#pragma once
// Reports each RFC 4733 DTMF event once from incoming telephone-event packets.
//
// One event is sent as several packets sharing one RTP timestamp (§2.5.1.2: updates, §2.5.1.4:
// the end packet three times), so packets are deduplicated by (SSRC, timestamp). The digit is
// reported at the first packet seen of an event — even if that is an E packet because the others
// were lost — and packets of an older event that arrive late are ignored.

#include <cstdint>
#include <optional>

#include "server/sip/media/TelephoneEvent.hpp"

namespace sb::sip::media {

class DtmfReceiver {
  public:
    // Returns the digit ("0-9*#A-D") when this packet starts a new event, else nullopt (an update,
    // a repeat, a late packet, a non-DTMF event such as flash, or a malformed payload).
    std::optional<char> onPacket(std::uint32_t ssrc, std::uint32_t timestamp, ByteView payload);

    // True once the current event's end (E bit) has been seen.
    bool ended() const { return ended_; }
    void reset() {
        started_ = false;
        ended_ = false;
    }

  private:
    bool started_ = false;
    bool ended_ = false;
    std::uint32_t ssrc_ = 0;
    std::uint32_t timestamp_ = 0;
};

}  // namespace sb::sip::media
