#pragma once
// One room audio stream that Janus forwards to a phone leg (rtp_forward, one SSRC per
// publisher): jitter buffer → decoder (with concealment) → 20 ms frames of 8 kHz PCM.
//
// Decoded samples pass through a small FIFO, so packets of 10, 40 or 60 ms also come out as
// 20 ms frames; one packet is popped from the jitter buffer whenever the FIFO runs short.

#include <array>
#include <cstdint>
#include <memory>

#include "server/sip/media/Decoder.hpp"
#include "server/sip/media/JitterBuffer.hpp"
#include "server/sip/media/RtpPacket.hpp"

namespace sb::sip::media {

class RoomStream {
  public:
    struct Stats {
        std::uint64_t packets = 0;    // accepted into the jitter buffer
        std::uint64_t ignored = 0;    // another payload type, late, duplicate
        std::uint64_t frames = 0;     // 20 ms frames produced
        std::uint64_t concealed = 0;  // lost frames filled by PLC or FEC
        std::uint64_t recovered = 0;  // of which rebuilt from in-band FEC
    };

    // `payloadType` is the PT this stream's packets carry (e.g. 111 for browsers' Opus); the
    // jitter buffer adapts between the two depths (JitterBuffer).
    RoomStream(Codec codec, std::uint8_t payloadType, std::size_t minJitterDepth = 1,
               std::size_t maxJitterDepth = 6);

    // Feeds one packet of this stream; other payload types (comfort noise, RED …) are ignored.
    void push(const RtpPacket& packet);
    // This tick's 20 ms; false when the stream has nothing to play (not started, gone quiet).
    bool pull(PcmFrame& out);

    Codec codec() const { return decoder_->codec(); }
    std::uint8_t payloadType() const { return payloadType_; }
    const Stats& stats() const { return stats_; }

  private:
    std::uint8_t payloadType_;
    std::unique_ptr<Decoder> decoder_;
    JitterBuffer jitter_;
    std::array<std::int16_t, kFrameSamples + Decoder::kMaxSamples> pcm_;
    std::size_t pcmSize_ = 0;
    Stats stats_;
};

}  // namespace sb::sip::media
