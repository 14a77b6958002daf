#include "server/sip/media/DtmfReceiver.hpp"

namespace sb::sip::media {

std::optional<char> DtmfReceiver::onPacket(std::uint32_t ssrc, std::uint32_t timestamp,
                                           ByteView payload) {
    auto event = TelephoneEvent::decode(payload);
    if (!event) return std::nullopt;
    if (started_ && ssrc == ssrc_) {
        if (timestamp == timestamp_) {  // an update or a repeated end packet of the same event
            ended_ = ended_ || event->end;
            return std::nullopt;
        }
        // A reordered packet of an event we already passed (RFC 3550 A.1-style wrap-safe order).
        if (!timestampNewer(timestamp, timestamp_)) return std::nullopt;
    }
    started_ = true;
    ended_ = event->end;
    ssrc_ = ssrc;
    timestamp_ = timestamp;
    char digit = TelephoneEvent::digitForEvent(event->event);
    if (digit == '\0') return std::nullopt;  // §3.2 events beyond 15 (flash etc.) are not digits
    return digit;
}

}  // namespace sb::sip::media
