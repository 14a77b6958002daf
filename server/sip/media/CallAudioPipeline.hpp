#pragma once
// The audio of one bridged phone call (DESIGN "SIP interconnect"): its two RTP sockets, its clock
// and its thread-safe control surface.
//
// Room → phone, every 20 ms on a drift-free schedule (tick k at start + k·20 ms): RoomToPhone
//   mixes Janus's rtp_forward streams (one UDP port, told apart by SSRC) with PlayAudio clips and
//   makes the frame (or DTMF telephone-event) the phone gets; recording taps hear the mix.
// Phone → room: PhoneToRoom relays the phone's RTP (from the address PhoneSourceGuard accepts) to
//   Janus's remote publisher, sent from the room socket, and reports the phone's digits.
//
// Thread model: every public method may be called from any thread; the work runs on one strand
// per call, so the state needs no locks (stats are atomics). Handlers hold weak references: the
// pipeline ends with stop() or when its last owner lets go; both free its ports.

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/sip/media/AudioTap.hpp"
#include "server/sip/media/CallAudioCounters.hpp"
#include "server/sip/media/PhoneSourceGuard.hpp"
#include "server/sip/media/PhoneToRoom.hpp"
#include "server/sip/media/RoomToPhone.hpp"
#include "server/sip/media/RtpSocket.hpp"

namespace sb::sip::media {

class CallAudioPipeline : public std::enable_shared_from_this<CallAudioPipeline> {
  public:
    using Endpoint = boost::asio::ip::udp::endpoint;

    struct Config {
        boost::asio::ip::address phoneAddress;  // our RTP address towards the phone (SDP c=)
        boost::asio::ip::address roomAddress;   // where Janus forwards to; loopback normally
        G711Law phoneLaw = G711Law::Mu;         // the codec negotiated with the phone
        std::optional<std::uint8_t> phoneEventPayloadType;  // its telephone-event PT, if any
        std::optional<Endpoint> phoneRemote;  // from the phone's SDP (set later for outbound)
        std::optional<Endpoint> janusRemote;  // the room's remote publisher (or set later)
        std::uint32_t janusSsrc = 1000;       // 1000 + 10·mindex (janus-notes §5)
        // Room streams' jitter buffers: frames, adaptive between the two (JitterBuffer). On one
        // host Janus forwards smoothly, so one frame is enough until a late packet says otherwise.
        std::size_t jitterMinDepth = 1;
        std::size_t jitterMaxDepth = 6;
        std::optional<std::uint32_t> phoneSsrc;             // random when unset (RFC 3550 §8)
        std::optional<std::uint16_t> phoneInitialSequence;  // random when unset (tests fix them)
        std::optional<std::uint32_t> phoneInitialTimestamp;
        // Who RTP is accepted from, the reflection limit and the inactivity timeout
        // (PhoneSourceGuard).
        PhoneSourceGuard::Config phoneGuard;
    };

    using RoomStreamSpec = RoomToPhone::StreamSpec;

    struct Stats {
        std::uint64_t roomPacketsIn = 0, roomPacketsDropped = 0, phonePacketsIn = 0,
                      phonePacketsDropped = 0, phonePacketsOut = 0, janusPacketsOut = 0,
                      framesMixed = 0, concealedFrames = 0, playbackFrames = 0, dtmfPacketsOut = 0,
                      dtmfDigitsIn = 0, ticks = 0, skippedTicks = 0, callbackErrors = 0,
                      phonePacketsForeign = 0, phonePacketsSuppressed = 0;
        std::uint32_t phoneSsrc = 0;              // the SSRC of what we send to the phone
        std::uint64_t dtmfDigitsRefused = 0;      // sendDtmf while the send queue was full
        std::uint64_t dtmfDigitsInfo = 0;         // info: of dtmfDigitsIn, those from SIP INFO
        std::uint64_t dtmfDigitsOtherSource = 0;  // info: dropped, not the call's digit source
    };

    // Opens the phone and room sockets (ports from `ports`). Throws std::runtime_error when no
    // port is free. Nothing flows until start().
    static std::shared_ptr<CallAudioPipeline> create(const boost::asio::any_io_executor& executor,
                                                     Config config,
                                                     const std::shared_ptr<PortAllocator>& ports);
    ~CallAudioPipeline();

    std::uint16_t phonePort() const { return phonePort_; }  // for our SDP answer/offer
    std::uint16_t roomPort() const { return roomPort_; }    // rtp_forward's port

    void start();
    void stop();  // idempotent; frees the ports; pending playback and DTMF callbacks get "not done"

    // The phone's RTP address from its SDP: RTP is accepted only from there (or from the first
    // sender when Config::phoneGuard.latch is set, for phones behind NAT); packets from other
    // sources are dropped and counted (Stats::phonePacketsForeign).
    void setPhoneRemote(const Endpoint& remote);
    // The phone's SDP direction (hold: sendonly/inactive; RFC 3264 §5.1).
    void setPhoneDirection(bool phoneSends, bool phoneReceives);
    // Called once (on the call's strand) when the phone has sent no RTP for the configured
    // inactivity timeout while its SDP says it sends: it is gone, the owner ends the call.
    void onPhoneInactive(std::function<void()> handler);
    // Where the phone's audio goes (the room's remote publisher, or another call's room port when
    // two calls are bridged); nullopt: nowhere.
    void setJanusRemote(const std::optional<Endpoint>& remote);
    // Makes the mixed streams exactly `streams` (new SSRCs added, missing ones removed).
    void setRoomStreams(std::vector<RoomStreamSpec> streams);
    void addRoomStream(const RoomStreamSpec& stream);
    void removeRoomStream(std::uint32_t ssrc);

    void play(std::vector<std::int16_t> samples, PlayMode mode, PlaybackQueue::Done done = {});
    // Speech still being synthesized: plays as it grows (PlaybackQueue).
    void play(std::unique_ptr<SpeechStream::Reader> stream, PlayMode mode,
              PlaybackQueue::Done done = {});
    void stopPlayback();
    // Throws std::invalid_argument for characters outside "0-9*#ABCD" and the pauses ", w W",
    // std::logic_error if the phone did not negotiate telephone-event. `done` runs when all queued
    // digits are sent (false if stop() came first). Default timing: 100 ms tones, 50 ms gaps.
    void sendDtmf(const std::string& digits, std::function<void(bool completed)> done = {});
    void sendDtmf(const std::string& digits, std::chrono::milliseconds tone,
                  std::chrono::milliseconds gap, std::function<void(bool completed)> done = {});
    // Digits the phone sends (RFC 4733, or SIP INFO through digitFromSignaling), each once;
    // called on the call's strand.
    void onDigit(std::function<void(char)> handler);
    // info: a digit the phone sent in a SIP INFO request. It takes the same path as an RFC 4733
    // digit (taps, then the onDigit handler). A call's digits come from one source: the first
    // digit's source (RTP or INFO) is kept, and digits from the other are dropped and counted,
    // because phones set to send both would otherwise give every key press twice.
    void digitFromSignaling(char digit);

    Stats stats() const;

    // Recordings (issue 9): `tap` hears the phone's decoded audio and, every tick, what the phone
    // hears, on the call's strand, until removeTap or stop() (then AudioTap::closed).
    void addTap(std::shared_ptr<AudioTap> tap);
    void removeTap(std::shared_ptr<AudioTap> tap);

    struct Token {};  // create() only; public for std::make_shared
    CallAudioPipeline(Token, const boost::asio::any_io_executor& executor, Config config);

  private:
    using Clock = std::chrono::steady_clock;
    using Strand = boost::asio::strand<boost::asio::any_io_executor>;

    Clock::time_point due(std::int64_t slot) const;
    void schedule();
    void tick();
    void produceFrame();
    void sendToPhone(ByteView packet);
    void onRoomPacket(ByteView data, const Endpoint& from);
    void onPhonePacket(ByteView data, const Endpoint& from);

    // Posts f(self) onto the strand, holding only a weak reference.
    template <typename F>
    void run(F&& f) {
        boost::asio::post(strand_, [weak = weak_from_this(), f = std::forward<F>(f)]() mutable {
            if (auto self = weak.lock()) f(*self);
        });
    }
    using Counter = CallAudioCounters::Counter;
    static void bump(Counter& c, std::uint64_t n = 1) { CallAudioCounters::bump(c, n); }
    template <typename F>
    static bool guarded(F&& f) {
        return CallAudioCounters::guarded(std::forward<F>(f));
    }

    Strand strand_;
    Config config_;
    boost::asio::steady_timer timer_;
    std::shared_ptr<RtpSocket> phoneSocket_, roomSocket_;
    std::uint16_t phonePort_ = 0, roomPort_ = 0;
    std::optional<Endpoint> janusRemote_;
    PhoneSourceGuard guard_;
    std::function<void()> onInactive_;
    bool started_ = false, stopped_ = false;
    Clock::time_point epoch_;
    std::int64_t slot_ = 0;  // ticks since epoch_

    CallAudioCounters counters_;
    std::vector<std::shared_ptr<AudioTap>> taps_;  // both paths feed them
    RoomToPhone toPhone_;
    PhoneToRoom toRoom_;
};

}  // namespace sb::sip::media
