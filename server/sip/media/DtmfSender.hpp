#pragma once
// Turns a digit string into RFC 4733 telephone-event packets, one decision per 20 ms slot of the
// outgoing stream (the caller's RtpSender clock):
//   - a tone's first packet has the marker (§2.5.1.2), later ones the SAME timestamp (the tone's
//     start) and a growing duration (§2.5.1.3: updates at the packet interval);
//   - the last one has the E bit and is sent three times in all (§2.5.1.4);
//   - then a gap before the next digit; ',' and 'w' pause 500 ms, 'W' 1 s (BXML SendDtmf). During
//     gaps and pauses the slot is the caller's (normal audio).
// Defaults: 100 ms tones, 50 ms gaps, volume 10 (-10 dBm0), 8 kHz clock.

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "server/sip/media/TelephoneEvent.hpp"

namespace sb::sip::media {

class DtmfSender {
  public:
    struct Config {
        std::chrono::milliseconds tone{100};
        std::chrono::milliseconds gap{50};
        std::chrono::milliseconds pause{500};  // for ',' and 'w'; 'W' is twice as long
        std::chrono::milliseconds packetInterval = kFrameDuration;
        std::uint32_t clockRate = kClockRate;
        std::uint8_t volume = 10;
        // Digits and pauses waiting to be sent. A string that would go past it is refused
        // whole (std::length_error; nothing queued) — the digits already queued are sent.
        // 64 is more than a BXML <SendDtmf> (50) and two device requests (32 each).
        std::size_t maxQueued = 64;
    };

    // What to send in one slot instead of audio.
    struct Packet {
        std::uint32_t timestamp = 0;
        bool marker = false;
        TelephoneEvent event;
    };

    DtmfSender();
    explicit DtmfSender(const Config& config);

    // Queues digits ("0-9*#ABCD", lower-case a-d accepted, ',' 'w' 'W' = pauses), with the
    // configured tone and gap durations or the given ones. Throws std::invalid_argument naming
    // the first other character, std::length_error when the queue would exceed maxQueued;
    // nothing is queued then.
    void enqueue(std::string_view digits);
    void enqueue(std::string_view digits, std::chrono::milliseconds tone,
                 std::chrono::milliseconds gap);
    static bool valid(std::string_view digits);
    std::size_t queued() const { return queue_.size(); }

    // True while digits are queued or a tone, its end packets, a gap or a pause is in progress.
    bool active() const { return phase_ != Phase::Idle || !queue_.empty(); }

    // Decides the slot whose audio timestamp is `slotTimestamp`: a packet to send instead of
    // audio, or nullopt (send audio as usual).
    std::optional<Packet> next(std::uint32_t slotTimestamp);

    // Drops queued digits; a tone in progress still ends properly (E packets) to not leave the
    // far end's digit hanging.
    void clear();

  private:
    enum class Phase { Idle, Tone, EndRepeat, Silent };

    struct Item {
        char digit;
        std::uint32_t toneSlots;  // for a pause: its length
        std::uint32_t gapSlots;
    };
    std::uint32_t slotsFor(std::chrono::milliseconds d) const;

    Config config_;
    std::uint32_t samplesPerSlot_;
    std::deque<Item> queue_;
    Phase phase_ = Phase::Idle;
    Packet current_;
    std::uint32_t toneSlots_ = 0;   // of the current tone
    std::uint32_t gapSlots_ = 0;    // after the current tone
    std::uint32_t slotsDone_ = 0;   // tone slots sent, or end packets sent
    std::uint32_t silentLeft_ = 0;  // gap or pause slots still to pass
};

}  // namespace sb::sip::media
