#pragma once
// A listener on a call's audio, both ways, at 8 kHz 16-bit linear PCM (recordings, issue 9).
// CallAudioPipeline calls a tap on the call's strand only, so a tap must never block: anything
// slow (the disk) goes through a bounded queue to another thread (RecordingTap does).

#include <cstddef>
#include <cstdint>

#include "server/sip/media/Types.hpp"

namespace sb::sip::media {

class AudioTap {
  public:
    virtual ~AudioTap() = default;
    // One decoded RTP payload from the phone (any number of samples; G.711 as negotiated).
    virtual void phoneAudio(const std::int16_t* samples, std::size_t count) = 0;
    // Every 20 ms tick: the frame the phone hears (room mix and/or playback).
    virtual void tick(const PcmFrame& heard) = 0;
    // A DTMF digit the phone sent (RFC 4733), once per key press.
    virtual void digit(char) {}
    // The pipeline stopped (the call ended): no more calls follow.
    virtual void closed() = 0;
};

}  // namespace sb::sip::media
