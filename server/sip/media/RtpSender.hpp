#pragma once
// One outgoing RTP stream (RFC 3550 §5.1): a fixed SSRC, a random initial sequence number and
// timestamp, +1 sequence per packet, +160 timestamp per 20 ms frame at 8 kHz, and the marker bit
// on the first packet of a talkspurt (RFC 3551 §4.1) — the stream's first packet and the first
// audio packet after frames that were not sent (silence, telephone-events, a stall).
//
// The sender is a clock of frame slots: every slot either sends audio (sendFrame) or is skipped
// (skipFrames). Telephone-events share its SSRC and sequence space (RFC 4733 §2.1) via sendOther.

#include <cstddef>
#include <cstdint>
#include <optional>

#include "server/sip/media/RtpPacket.hpp"
#include "server/sip/media/Types.hpp"

namespace sb::sip::media {

class RtpSender {
  public:
    struct Config {
        std::uint32_t ssrc = 1000;  // Janus remote publishers demand 1000 + 10·mindex
        std::uint8_t payloadType = kPayloadTypePcmu;
        std::uint32_t samplesPerFrame = kFrameSamples;
        std::optional<std::uint16_t> initialSequence;   // random when unset (RFC 3550 §5.1)
        std::optional<std::uint32_t> initialTimestamp;  // random when unset (RFC 3550 §5.1)
    };

    explicit RtpSender(const Config& config);

    // The current slot's audio packet: next sequence number, the slot's timestamp, the marker if
    // it starts a talkspurt. Advances to the next slot. Returns the bytes written into `out`, 0 if
    // `capacity` is too small (nothing advances then).
    std::size_t sendFrame(ByteView payload, std::uint8_t* out, std::size_t capacity);

    // `count` slots pass without audio: the timestamp advances, the sequence number does not,
    // and the next audio packet carries the marker.
    void skipFrames(std::uint32_t count = 1);

    // A packet of another payload type in this stream (an RFC 4733 event): next sequence number,
    // the caller's timestamp and marker. The slot does not advance.
    std::size_t sendOther(std::uint8_t payloadType, bool marker, std::uint32_t timestamp,
                          ByteView payload, std::uint8_t* out, std::size_t capacity);

    // The next audio packet carries the marker (e.g. after the source changed).
    void markDiscontinuity() { talkspurtStart_ = true; }

    std::uint32_t frameTimestamp() const { return timestamp_; }  // of the current slot
    std::uint16_t nextSequence() const { return sequence_; }
    std::uint32_t ssrc() const { return config_.ssrc; }
    std::uint8_t payloadType() const { return config_.payloadType; }
    std::uint64_t packetsSent() const { return packets_; }

  private:
    Config config_;
    std::uint16_t sequence_;
    std::uint32_t timestamp_;
    bool talkspurtStart_ = true;
    std::uint64_t packets_ = 0;
};

}  // namespace sb::sip::media
