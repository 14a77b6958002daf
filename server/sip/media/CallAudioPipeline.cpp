#include "server/sip/media/CallAudioPipeline.hpp"

#include <boost/asio/post.hpp>

#include "server/sip/media/SecureRandom.hpp"

namespace sb::sip::media {

namespace asio = boost::asio;

namespace {

constexpr std::int64_t kMaxLagTicks = 5;  // further behind than 100 ms: skip ahead, don't burst

std::uint32_t randomSsrc() {
    return secureRandom32();  // RFC 3550 §8: an SSRC others cannot predict
}

}  // namespace

CallAudioPipeline::CallAudioPipeline(Token, const asio::any_io_executor& executor, Config config)
    : strand_(asio::make_strand(executor)),
      config_(std::move(config)),
      timer_(strand_),
      janusRemote_(config_.janusRemote),
      guard_(config_.phoneGuard),
      toPhone_(
          RoomToPhone::Config{
              config_.phoneLaw, config_.phoneEventPayloadType, config_.jitterMinDepth,
              config_.jitterMaxDepth,
              RtpSender::Config{config_.phoneSsrc ? *config_.phoneSsrc : randomSsrc(),
                                payloadTypeOf(config_.phoneLaw), kFrameSamples,
                                config_.phoneInitialSequence, config_.phoneInitialTimestamp}},
          counters_),
      toRoom_(PhoneRelay::Config{config_.phoneLaw, config_.phoneEventPayloadType, std::nullopt,
                                 config_.janusSsrc},
              taps_, counters_) {
    guard_.setRemote(config_.phoneRemote, Clock::now());
}

std::shared_ptr<CallAudioPipeline> CallAudioPipeline::create(
    const asio::any_io_executor& executor, Config config,
    const std::shared_ptr<PortAllocator>& ports) {
    auto p = std::make_shared<CallAudioPipeline>(Token{}, executor, std::move(config));
    p->phoneSocket_ = RtpSocket::open(p->strand_, p->config_.phoneAddress, ports);
    p->roomSocket_ = RtpSocket::open(p->strand_, p->config_.roomAddress, ports);
    p->phonePort_ = p->phoneSocket_->port();
    p->roomPort_ = p->roomSocket_->port();
    return p;
}

CallAudioPipeline::~CallAudioPipeline() {
    // Only reached when no handler holds the pipeline; the sockets close on the strand.
    if (phoneSocket_) phoneSocket_->close();
    if (roomSocket_) roomSocket_->close();
}

void CallAudioPipeline::start() {
    run([](CallAudioPipeline& self) {
        if (self.started_ || self.stopped_) return;
        self.started_ = true;
        std::weak_ptr<CallAudioPipeline> weak = self.weak_from_this();
        self.phoneSocket_->start([weak](ByteView data, const Endpoint& from) {
            if (auto s = weak.lock()) s->onPhonePacket(data, from);
        });
        self.roomSocket_->start([weak](ByteView data, const Endpoint& from) {
            if (auto s = weak.lock()) s->onRoomPacket(data, from);
        });
        self.epoch_ = Clock::now();
        self.guard_.start(self.epoch_);
        self.slot_ = 0;
        self.schedule();
    });
}

void CallAudioPipeline::stop() {
    // A strong reference: stop() completes even if the owner lets go right after calling it.
    asio::post(strand_, [self = shared_from_this()] {
        if (self->stopped_) return;
        self->stopped_ = true;
        self->timer_.cancel();
        self->phoneSocket_->close();
        self->roomSocket_->close();
        self->toPhone_.stop();
        auto taps = std::move(self->taps_);
        self->taps_.clear();
        for (auto& tap : taps)
            if (!guarded([&] { tap->closed(); })) bump(self->counters_.callbackErrors);
    });
}

CallAudioPipeline::Clock::time_point CallAudioPipeline::due(std::int64_t slot) const {
    return epoch_ + slot * std::chrono::duration_cast<Clock::duration>(kFrameDuration);
}

void CallAudioPipeline::schedule() {
    // Drift-free: tick k is due at epoch + k·20 ms, however late the previous one ran.
    timer_.expires_at(due(slot_ + 1));
    timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
        if (ec) return;
        if (auto self = weak.lock()) self->tick();
    });
}

void CallAudioPipeline::tick() {
    if (stopped_) return;
    ++slot_;
    bump(counters_.ticks);
    produceFrame();
    if (guard_.timedOut(Clock::now()) && onInactive_ && !guarded(onInactive_))
        bump(counters_.callbackErrors);
    if (stopped_) return;  // the handler may have stopped the pipeline
    std::int64_t lagTicks = (Clock::now() - due(slot_)) / kFrameDuration;
    if (lagTicks > kMaxLagTicks) {
        // After a stall, jump to real time: the timestamp advances over the gap (with a marker)
        // instead of a burst of catch-up packets.
        slot_ += lagTicks;
        toPhone_.skipFrames(static_cast<std::uint32_t>(lagTicks));
        bump(counters_.skippedTicks, static_cast<std::uint64_t>(lagTicks));
    }
    schedule();
}

void CallAudioPipeline::produceFrame() {
    PcmFrame mixed;
    toPhone_.mix(mixed);
    for (auto& tap : taps_)
        if (!guarded([&] { tap->tick(mixed); })) bump(counters_.callbackErrors);
    toPhone_.sendFrame(mixed, [this](ByteView packet) { sendToPhone(packet); });
}

void CallAudioPipeline::sendToPhone(ByteView packet) {
    auto target = guard_.sendTarget();
    if (!target) {
        bump(counters_.phonePacketsSuppressed);
        return;
    }
    if (phoneSocket_->send(packet, *target)) bump(counters_.phonePacketsOut);
}

void CallAudioPipeline::onRoomPacket(ByteView data, const Endpoint& from) {
    // The room port listens on the phone-facing address too: only the host that forwards the
    // room (Janus, or the other leg of a bridged call) may feed the mix.
    if (janusRemote_ && !janusRemote_->address().is_unspecified() &&
        from.address() != janusRemote_->address()) {
        bump(counters_.roomPacketsDropped);
        return;
    }
    auto packet = RtpPacket::parse(data);
    if (!packet || !toPhone_.push(*packet)) {  // malformed, or not (or no longer) forwarded
        bump(counters_.roomPacketsDropped);
        return;
    }
    bump(counters_.roomPacketsIn);
}

void CallAudioPipeline::onPhonePacket(ByteView data, const Endpoint& from) {
    bump(counters_.phonePacketsIn);
    if (!guard_.accepts(from)) {  // not the phone's address (PhoneSourceGuard)
        bump(counters_.phonePacketsForeign);
        bump(counters_.phonePacketsDropped);
        return;
    }
    auto packet = RtpPacket::parse(data);
    if (!packet) {
        bump(counters_.phonePacketsDropped);
        return;
    }
    guard_.received(from, Clock::now());
    toRoom_.relay(*packet, Clock::now(), [this](ByteView relayed) {
        if (janusRemote_ && roomSocket_->send(relayed, *janusRemote_))
            bump(counters_.janusPacketsOut);
    });
}

CallAudioPipeline::Stats CallAudioPipeline::stats() const {
    const CallAudioCounters& c = counters_;
    auto v = [](const Counter& a) { return CallAudioCounters::read(a); };
    return Stats{v(c.roomPacketsIn),       v(c.roomPacketsDropped),
                 v(c.phonePacketsIn),      v(c.phonePacketsDropped),
                 v(c.phonePacketsOut),     v(c.janusPacketsOut),
                 v(c.framesMixed),         v(c.concealedFrames),
                 v(c.playbackFrames),      v(c.dtmfPacketsOut),
                 v(c.dtmfDigitsIn),        v(c.ticks),
                 v(c.skippedTicks),        v(c.callbackErrors),
                 v(c.phonePacketsForeign), v(c.phonePacketsSuppressed),
                 toPhone_.ssrc(),          v(c.dtmfDigitsRefused),
                 v(c.dtmfDigitsInfo),      v(c.dtmfDigitsOtherSource)};
}

}  // namespace sb::sip::media
