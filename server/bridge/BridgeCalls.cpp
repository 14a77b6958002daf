#include "server/bridge/BridgeCalls.hpp"

#include <boost/asio/post.hpp>

#include "server/base/Log.hpp"
#include "server/bridge/BridgeCallSink.hpp"

namespace sb::bridge {

namespace {
constexpr std::uint32_t kRelaySsrc = 1000;  // what PhoneRelay writes (CallAudioPipeline::Config)
}  // namespace

BridgeCalls::BridgeCalls(const asio::any_io_executor& executor, BridgeConfig config,
                         const auth::TokenService& tokens, session::CallControl& control,
                         std::shared_ptr<media::MediaOrchestrator> media,
                         voice::VoiceService* voice, voice::CallbackClient* http)
    : strand_(asio::make_strand(executor)),
      config_(std::move(config)),
      tokens_(tokens),
      control_(control),
      media_(std::move(media)),
      ports_(std::make_shared<sip::media::PortAllocator>(config_.rtpPortMin, config_.rtpPortMax)),
      voice_(voice),
      http_(http) {}

std::shared_ptr<BridgeCall> BridgeCalls::find(const std::string& id) const {
    auto it = calls_.find(id);
    return it == calls_.end() ? nullptr : it->second;
}

std::shared_ptr<BridgeCall> BridgeCalls::create(const std::string& id,
                                                const sip::RemoteMedia* remote,
                                                std::string& error) {
    CallAudioPipeline::Config pc;
    boost::system::error_code ec;
    pc.phoneAddress = asio::ip::make_address(config_.rtpAddress, ec);
    pc.roomAddress = pc.phoneAddress;
    if (!remote) {
        // Outbound: our offer lists PCMU first and telephone-event as 101 (SipEndpoint::dial), and
        // answerers keep the offer's payload numbers (RFC 3264 §6.1), so these are what we get.
        pc.phoneEventPayloadType = 101;
    } else {
        pc.phoneLaw =
            remote->codec == sip::G711::Pcma ? sip::media::G711Law::A : sip::media::G711Law::Mu;
        if (remote->telephoneEventPt >= 0)
            pc.phoneEventPayloadType = static_cast<std::uint8_t>(remote->telephoneEventPt);
        auto phoneAddr = asio::ip::make_address(remote->address, ec);
        if (!ec) pc.phoneRemote = CallAudioPipeline::Endpoint(phoneAddr, remote->port);
    }
    pc.phoneGuard = config_.rtpGuard;
    auto call = std::make_shared<BridgeCall>();
    call->id = id;
    if (remote) call->remote = *remote;
    try {
        call->pipeline = CallAudioPipeline::create(strand_.get_inner_executor(), pc, ports_);
    } catch (const std::exception& e) {
        error = std::string("no RTP port free: ") + e.what();
        return nullptr;
    }
    if (remote) call->pipeline->setPhoneDirection(remote->sends, remote->receives);
    watchRtp(*call);
    call->sink = std::make_shared<BridgeCallSink>(weak_from_this(), id);
    calls_[id] = call;
    stats_.activeCalls = calls_.size();
    return call;
}

void BridgeCalls::rename(const std::shared_ptr<BridgeCall>& call, const std::string& id) {
    calls_.erase(call->id);
    call->id = id;
    call->sink = std::make_shared<BridgeCallSink>(weak_from_this(), id);
    calls_[id] = call;
    stats_.activeCalls = calls_.size();
}

void BridgeCalls::remove(const std::string& id) {
    calls_.erase(id);
    stats_.activeCalls = calls_.size();
}

void BridgeCalls::answer(BridgeCall& call) {
    sip::LocalMedia local;
    local.address = config_.sdpAddress();
    local.port = call.pipeline->phonePort();
    local.codec = call.remote.codec;
    local.telephoneEventPt = call.remote.telephoneEventPt;
    endpoint_->answer(call.id, local);
    call.pipeline->start();
}

void BridgeCalls::setRemote(BridgeCall& call, const sip::RemoteMedia& remote) {
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(remote.address, ec);
    if (!ec) call.pipeline->setPhoneRemote(CallAudioPipeline::Endpoint(addr, remote.port));
    call.pipeline->setPhoneDirection(remote.sends, remote.receives);
}

void BridgeCalls::digitsToSession(BridgeCall& call) {
    std::weak_ptr<media::MediaOrchestrator> media = media_;
    call.pipeline->onDigit([media, callId = call.id](char digit) {
        if (auto m = media.lock()) m->phoneDigit(callId, digit);
    });
}

// The two calls' pipelines are wired to each other the way each would be wired to Janus: one
// call's phone → room relay sends to the other call's room port, where it arrives as one PCMU
// room stream (SSRC 1000, the relay's), is jitter-buffered, decoded and re-encoded in that call's
// codec on its own 20 ms clock — and the same the other way. So each phone gets correct RTP
// timing and sequence numbers of its own leg, whatever the other phone does (RFC 3550 §5.1).
void BridgeCalls::connectAudio(BridgeCall& a, BridgeCall& b) {
    boost::system::error_code ec;
    auto address = asio::ip::make_address(config_.rtpAddress, ec);
    const CallAudioPipeline::RoomStreamSpec relayed{kRelaySsrc, sip::media::Codec::Pcmu,
                                                    sip::media::kPayloadTypePcmu};
    std::weak_ptr<BridgeCalls> weak = weak_from_this();
    auto wire = [&](BridgeCall& from, BridgeCall& to) {
        from.pipeline->setJanusRemote(
            CallAudioPipeline::Endpoint(address, to.pipeline->roomPort()));
        to.pipeline->setRoomStreams({relayed});
        // The relay passes telephone-events on, but the room side decodes audio only: digits are
        // sent again as the other leg's own events (RFC 4733 §2.5, one event per digit).
        from.pipeline->onDigit([weak, toId = to.id](char digit) {
            auto self = weak.lock();
            if (!self) return;
            asio::post(self->strand_, [self, toId, digit] {
                auto call = self->find(toId);
                if (!call) return;
                try {
                    call->pipeline->sendDtmf(std::string(1, digit));
                } catch (const std::exception& e) {
                    base::log(base::LogLevel::Warn,
                              "sip: call " + toId + ": cannot pass DTMF on: " + e.what());
                }
            });
        });
    };
    wire(a, b);
    wire(b, a);
}

void BridgeCalls::disconnectAudio(BridgeCall& call) {
    call.pipeline->setJanusRemote(std::nullopt);
    call.pipeline->setRoomStreams({});
    call.pipeline->onDigit(nullptr);
}

void BridgeCalls::refuse(const std::string& callId, int status, const std::string& reason) {
    ++stats_.callsRefused;
    base::log(base::LogLevel::Info,
              "sip: refused call " + callId + ": " + std::to_string(status) + " " + reason);
    endpoint_->reject(callId, status);
}

// A phone that stopped sending RTP vanished (no BYE): end the call with BYE, which frees its
// ports, its Janus publisher and its call slot. The id is read when it fires: an outbound
// call is renamed from its pending id once dialed.
void BridgeCalls::watchRtp(BridgeCall& call) {
    std::weak_ptr<BridgeCalls> weak = weak_from_this();
    call.pipeline->onPhoneInactive(
        [weak, pipeline = std::weak_ptr<CallAudioPipeline>(call.pipeline)] {
            auto self = weak.lock();
            if (!self) return;
            asio::post(self->strand_, [self, pipeline] {
                for (auto& [id, c] : self->calls_) {
                    if (c->pipeline != pipeline.lock()) continue;
                    ++self->stats_.callsRtpTimedOut;
                    const std::string callId = id;  // end() erases the entry
                    return self->end(callId, "no RTP from the phone (inactivity timeout)", true);
                }
            });
        });
}

void BridgeCalls::onMediaChanged(const std::string& callId, const sip::RemoteMedia& remote) {
    auto call = find(callId);
    if (!call) return;
    setRemote(*call, remote);
    base::log(base::LogLevel::Info,
              "sip: call " + callId + " media changed: " + (remote.sends ? "" : "not ") +
                  "sending, " + (remote.receives ? "" : "not ") + "receiving");
}

void BridgeCalls::roomMediaEnded(const std::string& callId, const std::string& reason) {
    auto call = find(callId);
    if (call && call->conference && hooks_.leaveConference)
        return hooks_.leaveConference(*call, "the room's media ended: " + reason);
    end(callId, reason, true);
}

void BridgeCalls::end(const std::string& callId, const std::string& reason, bool hangupSip) {
    auto it = calls_.find(callId);
    if (it == calls_.end()) return;
    auto call = it->second;
    calls_.erase(it);
    stats_.activeCalls = calls_.size();
    ++stats_.callsEnded;
    if (hangupSip) endpoint_->hangup(callId);
    call->pipeline->stop();
    if (hooks_.released) hooks_.released(*call, reason, hangupSip);
    auto st = call->pipeline->stats();  // atomics: readable from here
    stats_.rtpForeignPackets += st.phonePacketsForeign;
    base::log(base::LogLevel::Info,
              "sip: call " + callId + " ended: " + reason + " (RTP from the phone " +
                  std::to_string(st.phonePacketsIn) + ", dropped " +
                  std::to_string(st.phonePacketsDropped) + " (" +
                  std::to_string(st.phonePacketsForeign) + " from other sources)" + ", relayed " +
                  std::to_string(st.janusPacketsOut) + "; to the phone " +
                  std::to_string(st.phonePacketsOut) + ", room streams in " +
                  std::to_string(st.roomPacketsIn) + ")");
}

void BridgeCalls::stopAll() {
    if (endpoint_) endpoint_->stop();
    for (auto& [id, call] : calls_) {
        call->pipeline->stop();
        media_->detachPhone(id);
    }
    calls_.clear();
}

}  // namespace sb::bridge
