#pragma once
// Who a call's RTP is accepted from and sent to, and when the phone counts as gone.
//
// - Source check: RTP is accepted only from the address and port the phone's SDP names. With
//   `latch` (for phones behind NAT, whose SDP names a private address) the first valid packet's
//   source is accepted instead and then kept (symmetric RTP, RFC 4961); anyone who can reach the
//   port first can take the stream, so it is off unless configured.
// - Reflection limit: until a valid packet has come from the phone, at most
//   `unconfirmedSendLimit` packets go to the SDP address. An SDP can name any host; without the
//   limit the server would stream 50 packets/s to a victim for as long as the call lasts.
// - Direction (RFC 3264 §5.1): nothing is sent to a phone whose SDP says sendonly/inactive.
// - Inactivity: a phone whose SDP says it sends, and from which no valid RTP has arrived for
//   `inactivityTimeout`, is gone (it vanished without BYE). A phone on hold (recvonly/inactive)
//   sends nothing on purpose: the timer is suspended then, and SIP session timers (RFC 4028)
//   are what notices a dead peer.
// Not thread-safe: the pipeline uses it on its strand.

#include <boost/asio/ip/udp.hpp>

#include <chrono>
#include <cstdint>
#include <optional>

namespace sb::sip::media {

class PhoneSourceGuard {
  public:
    using Endpoint = boost::asio::ip::udp::endpoint;
    using Clock = std::chrono::steady_clock;

    struct Config {
        bool latch = false;
        std::uint32_t unconfirmedSendLimit = 250;  // 5 s of 20 ms frames; 0 = none sent
        Clock::duration inactivityTimeout = std::chrono::seconds(30);  // zero = never
    };

    struct Stats {
        std::uint64_t foreign = 0;     // packets from a source that is not the phone
        std::uint64_t suppressed = 0;  // packets not sent (reflection limit or direction)
    };

    explicit PhoneSourceGuard(Config config) : config_(config) {}

    // The phone's address from its SDP (initial, or a re-INVITE's). A new address must be
    // confirmed again by the phone's own packets.
    void setRemote(const std::optional<Endpoint>& remote, Clock::time_point now);
    // The phone's SDP direction.
    void setDirection(bool phoneSends, bool phoneReceives, Clock::time_point now);
    // The call's media starts: the inactivity clock starts too.
    void start(Clock::time_point now);

    // Whether a packet from `from` may be the phone's (counted as foreign when not).
    bool accepts(const Endpoint& from);
    // A valid RTP packet from an accepted source: latches it (when configured), confirms the
    // remote and refreshes the inactivity clock.
    void received(const Endpoint& from, Clock::time_point now);
    // Where the next packet to the phone may go; nullopt (counted as suppressed) when it may
    // not be sent. Each call that returns an address counts against the reflection limit.
    std::optional<Endpoint> sendTarget();
    // True once, when the phone has been silent too long while its SDP says it sends.
    bool timedOut(Clock::time_point now);

    bool confirmed() const { return confirmed_; }
    const Stats& stats() const { return stats_; }

  private:
    Config config_;
    std::optional<Endpoint> sdpRemote_;  // as the SDP says
    std::optional<Endpoint> remote_;     // the SDP's, or the latched source
    bool latched_ = false;
    bool confirmed_ = false;
    std::uint32_t unconfirmedSent_ = 0;
    bool phoneSends_ = true, phoneReceives_ = true;
    bool started_ = false, reported_ = false;
    Clock::time_point lastHeard_;
    Stats stats_;
};

}  // namespace sb::sip::media
