#pragma once
// One call's audio from the phone to the room: PhoneRelay (SSRC 1000, continuous seq/ts, PCMA →
// PCMU, telephone-events forwarded) towards Janus's remote publisher, the phone's audio decoded
// for recording taps, and the digits the phone sends (RFC 4733, or SIP INFO) to the taps and the
// onDigit handler. Part of a CallAudioPipeline, which checks where packets come from and sends
// them; runs on the call's strand only.

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "server/sip/media/AudioTap.hpp"
#include "server/sip/media/CallAudioCounters.hpp"
#include "server/sip/media/PhoneRelay.hpp"

namespace sb::sip::media {

class PhoneToRoom {
  public:
    // `taps` are the pipeline's recording taps, read at every packet and digit.
    PhoneToRoom(const PhoneRelay::Config& config,
                const std::vector<std::shared_ptr<AudioTap>>& taps, CallAudioCounters& counters);

    // A packet from the phone: relayed (handed to `send`; counted as dropped when nothing is
    // relayed), then its audio tapped, then the digit it starts delivered.
    void relay(const RtpPacket& packet, std::chrono::steady_clock::time_point arrival,
               const std::function<void(ByteView)>& send);
    // A digit from a SIP INFO request; it takes the RTP digits' path.
    void digitFromSignaling(char digit) { deliverDigit(digit, DigitSource::Signaling); }
    void onDigit(std::function<void(char)> handler) { onDigit_ = std::move(handler); }

  private:
    // A call's digits come from one source: the first digit's source (RTP or INFO) is kept, and
    // digits from the other are dropped and counted, because phones set to send both would
    // otherwise give every key press twice.
    enum class DigitSource { None, Rtp, Signaling };
    void deliverDigit(char digit, DigitSource source);
    void tapAudio(const RtpPacket& packet);

    PhoneRelay relay_;
    const std::vector<std::shared_ptr<AudioTap>>& taps_;
    CallAudioCounters& counters_;
    std::function<void(char)> onDigit_;
    DigitSource digitSource_ = DigitSource::None;
    std::array<std::uint8_t, kMaxPacketSize> out_;
};

}  // namespace sb::sip::media
