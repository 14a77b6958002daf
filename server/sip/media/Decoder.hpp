#pragma once
// Turns one incoming stream's RTP payloads into 8 kHz mono PCM, with concealment of lost frames.
// Implementations: G711ToPcm (PT 0 PCMU, PT 8 PCMA) and OpusToPcm (a dynamic PT, RFC 7587, which
// the caller maps — Janus forwards browsers' Opus as PT 111 by default).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "server/sip/media/Types.hpp"

namespace sb::sip::media {

class Decoder {
  public:
    // 120 ms at 8 kHz, the longest Opus packet (RFC 6716 §3.2.5); G.711 packets are shorter.
    static constexpr std::size_t kMaxSamples = 960;

    virtual ~Decoder() = default;

    // Decodes one payload into `out` (room for kMaxSamples). Returns the samples written; 0 when
    // the payload is unusable (the caller then conceals).
    virtual std::size_t decode(ByteView payload, std::int16_t* out) = 0;

    // Fills one lost 20 ms frame (kFrameSamples into `out`).
    virtual void conceal(std::int16_t* out) = 0;

    // Rebuilds one lost 20 ms frame from the FOLLOWING packet's in-band FEC (RFC 6716 §2.1.7),
    // when the codec has it. Returns false if it cannot (the caller then conceals).
    virtual bool recover(ByteView nextPayload, std::int16_t* out) {
        (void)nextPayload;
        (void)out;
        return false;
    }

    virtual Codec codec() const = 0;

    static std::unique_ptr<Decoder> create(Codec codec);

    // PT 0 → PCMU, PT 8 → PCMA, `opusPayloadType` (negotiated, dynamic) → Opus, else nullopt.
    static std::optional<Codec> codecFor(std::uint8_t payloadType,
                                         std::optional<std::uint8_t> opusPayloadType);
};

}  // namespace sb::sip::media
