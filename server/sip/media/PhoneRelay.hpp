#pragma once
// The phone → Janus direction of a call: a relay, no jitter buffer or mixing.
//
// Janus accepts a remote publisher's audio only with SSRC 1000 + 10·mindex (janus-notes §5) and
// PCMU (the room's remote publisher is created with codec pcmu), so each packet is rewritten:
//   - SSRC := the configured one (1000);
//   - sequence number and timestamp are offset so they stay continuous when the phone changes
//     its SSRC (re-INVITE, transfer, a B2BUA switching legs): the new source continues at
//     last+1 and at last timestamp + the time that passed, with the marker set (RFC 3550 §5.1,
//     RFC 3551 §4.1);
//   - PCMA is transcoded to PCMU (PT 0); telephone-events (RFC 4733) are forwarded with the
//     Janus-side PT and their digits reported once (DtmfReceiver); comfort noise and unknown
//     payload types are dropped.

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>

#include "server/sip/media/DtmfReceiver.hpp"
#include "server/sip/media/G711.hpp"
#include "server/sip/media/RtpPacket.hpp"

namespace sb::sip::media {

class PhoneRelay {
  public:
    using Clock = std::chrono::steady_clock;

    struct Config {
        G711Law phoneLaw = G711Law::Mu;
        std::optional<std::uint8_t> phoneEventPayloadType;  // telephone-event PT in the phone's SDP
        std::optional<std::uint8_t> janusEventPayloadType;  // defaults to the phone's
        std::uint32_t ssrc = 1000;                          // Janus remote publisher, mindex 0
    };

    struct Result {
        std::size_t size = 0;       // bytes written for Janus; 0 = dropped
        std::optional<char> digit;  // a DTMF digit that started with this packet
    };

    struct Stats {
        std::uint64_t relayed = 0, dropped = 0, transcoded = 0, events = 0, sourceChanges = 0;
    };

    explicit PhoneRelay(const Config& config);

    Result relay(const RtpPacket& in, Clock::time_point arrival, std::uint8_t* out,
                 std::size_t capacity);
    const Stats& stats() const { return stats_; }

  private:
    void rebase(const RtpHeader& in, Clock::time_point arrival);

    Config config_;
    bool started_ = false;
    std::uint32_t inSsrc_ = 0;
    std::uint16_t seqOffset_ = 0;
    std::uint32_t tsOffset_ = 0;
    std::uint16_t lastSeq_ = 0;   // highest sequence number sent to Janus
    std::uint32_t lastTs_ = 0;    // highest timestamp sent to Janus
    std::uint32_t anchorTs_ = 0;  // the newest audio timestamp sent, and when it arrived
    Clock::time_point anchorArrival_;
    bool markNext_ = false;
    DtmfReceiver dtmf_;
    std::array<std::uint8_t, kMaxPacketSize> scratch_;
    Stats stats_;
};

}  // namespace sb::sip::media
