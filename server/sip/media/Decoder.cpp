#include "server/sip/media/Decoder.hpp"

#include "server/sip/media/G711ToPcm.hpp"
#include "server/sip/media/OpusToPcm.hpp"

namespace sb::sip::media {

std::unique_ptr<Decoder> Decoder::create(Codec codec) {
    switch (codec) {
        case Codec::Pcmu:
            return std::make_unique<G711ToPcm>(G711Law::Mu);
        case Codec::Pcma:
            return std::make_unique<G711ToPcm>(G711Law::A);
        case Codec::Opus:
            return std::make_unique<OpusToPcm>();
    }
    return nullptr;
}

std::optional<Codec> Decoder::codecFor(std::uint8_t payloadType,
                                       std::optional<std::uint8_t> opusPayloadType) {
    if (payloadType == kPayloadTypePcmu) return Codec::Pcmu;
    if (payloadType == kPayloadTypePcma) return Codec::Pcma;
    // RFC 3551 §6: 96–127 are dynamic; Opus never has a static type.
    if (opusPayloadType && payloadType == *opusPayloadType && payloadType >= 96) return Codec::Opus;
    return std::nullopt;
}

}  // namespace sb::sip::media
