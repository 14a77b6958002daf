#include "server/signaling/SignalingSession.hpp"

#include "server/base/Log.hpp"
#include "server/signaling/DeviceParams.hpp"
#include "server/signaling/RpcDispatch.hpp"

namespace sb::signaling {

using nlohmann::json;
using protocol::RpcError;
using protocol::RpcErrorCode;
using protocol::RpcMessage;

SignalingSession::SignalingSession(std::string deviceId, DeviceIdentity identity,
                                   std::shared_ptr<media::MediaOrchestrator> media,
                                   std::shared_ptr<net::ConcurrencyLimit::Slot> slot,
                                   SessionLimits limits,
                                   std::shared_ptr<const auth::TurnCredentials> turn,
                                   std::shared_ptr<session::DeviceEventSink> events,
                                   const std::shared_ptr<ResumableDevices>& resumable)
    : deviceId_(std::move(deviceId)),
      identity_(std::move(identity)),
      media_(std::move(media)),
      diagnostics_(limits.maxDiagnosticsBytes),
      slot_(std::move(slot)),
      turn_(std::move(turn)),
      reporter_({identity_.accountId, identity_.participantId, deviceId_}, std::move(events)),
      resumable_(resumable) {}

const std::unordered_map<std::string, SignalingSession::Handler>& SignalingSession::handlers() {
    static const std::unordered_map<std::string, Handler> table{
        {protocol::method::kSetMediaPreferences, &SignalingSession::setMediaPreferences},
        {protocol::method::kOfferSdp, &SignalingSession::offerSdp},
        {protocol::method::kAnswerSdp, &SignalingSession::answerSdp},
        {protocol::method::kPing, &SignalingSession::ping},
        {protocol::method::kDeviceDiagnostics, &SignalingSession::deviceDiagnostics},
        {protocol::method::kLeave, &SignalingSession::leave},
        {protocol::method::kSendDtmf, &SignalingSession::sendDtmf},
        {protocol::method::kRestartIce, &SignalingSession::restartIce},
        {protocol::method::kSetStreamMuted, &SignalingSession::setStreamMuted},
    };
    return table;
}

void SignalingSession::onOpen(std::shared_ptr<net::WsConnection> connection) {
    bool resuming = false;
    {
        std::lock_guard lock(mutex_);
        connection_ = std::move(connection);
        resuming = opened_;  // a parked session given the connection of the device's resume
        opened_ = true;
    }
    if (resuming) return resumed();
    base::log(base::LogLevel::Info, "device " + deviceId_ + " connected: participant " +
                                        identity_.participantId + " client=" + identity_.client +
                                        " sdk=" + identity_.sdkVersion);
    // Told before media can close the device (a participant deleted meanwhile): onConnect then
    // comes before its onLeave.
    reporter_.report(session::DeviceEvent::Connect);
    if (media_)
        media_->attachDevice(deviceId_, identity_.accountId, identity_.participantId,
                             shared_from_this(), identity_.loopback);
}

void SignalingSession::onMessage(std::string text) {
    dispatchRpc(
        text, deviceId_,
        [this](const RpcMessage& m) {
            if (left_) throw RpcError(RpcErrorCode::InvalidState, "the device has left");
            auto it = handlers().find(m.method);
            if (it == handlers().end())
                throw RpcError(RpcErrorCode::MethodNotFound, "Method not found: " + m.method);
            (this->*(it->second))(m);
        },
        [this](std::string reply) { send(std::move(reply)); });
}

void SignalingSession::streamsOffered(const media::StreamsOffer& offer) {
    std::string text = protocol::rpcNotification(protocol::method::kSdpOffer, toJson(offer));
    std::lock_guard lock(mutex_);
    resumeFrames_.offer(text);  // also for a resume
    if (!parked_ && connection_) connection_->send(std::move(text));
}

void SignalingSession::mediaReset(const std::string& reason) {
    auto text = protocol::rpcNotification(protocol::method::kMediaReset, json{{"reason", reason}});
    std::lock_guard lock(mutex_);
    if (!parked_ && connection_) {
        resumeFrames_.reset({});  // the last offer is from the lost media session
        return connection_->send(std::move(text));
    }
    resumeFrames_.reset(std::move(text));  // parked: told on its resume
}

void SignalingSession::streamNotice(const media::StreamNotice& notice) {
    std::lock_guard lock(mutex_);
    if (!parked_ && connection_) return connection_->send(noticeFrame(notice));
    if (parked_) resumeFrames_.notice(notice, noticeFrame(notice));  // told on its resume
}

void SignalingSession::dtmfHeard(const media::HeardDtmf& dtmf) {
    send(protocol::rpcNotification(protocol::method::kDtmf, toJson(dtmf)));
}

// Removed by a server action (participant or session deleted): reference §4.5 onLeave. A parked
// device is released now; a connected one when its WebSocket closes. Either can no longer resume.
void SignalingSession::closeDevice(media::CloseReason reason) {
    auto [code, text] = closeOf(reason);
    bool wasParked = false;
    {
        std::lock_guard lock(mutex_);
        closedByServer_ = true;
        serverClose_ = {code, text};
        wasParked = parked_;
    }
    if (auto registry = resumable_.lock()) {
        auto kept = registry->remove(deviceId_);
        if (wasParked && kept) return release("its participant or session was deleted");
    }
    reporter_.report(session::DeviceEvent::Leave);
    close(code, text);
}

void SignalingSession::close(std::uint16_t code, const std::string& reason) {
    std::lock_guard lock(mutex_);
    if (connection_) connection_->close(code, reason);
}

void SignalingSession::send(std::string text) {
    std::lock_guard lock(mutex_);
    if (connection_) connection_->send(std::move(text));
}

void SignalingSession::replyResult(const RpcMessage& m, const json& result) {
    if (m.kind == RpcMessage::Kind::Request) send(protocol::rpcResult(m.id, result));
}

// methods (reference §2.3)

// The result is `{}` in the reference protocol; with TURN configured it carries the ICE servers
// for this device's participant (docs/protocol.md "ICE servers (TURN)"), an additive member the
// stock SDK ignores. Minted at each call, so a reconnecting device gets a fresh credential.
void SignalingSession::setMediaPreferences(const RpcMessage& m) {
    json result = json::object();
    bool wantsResume = resumableParam(m.params);
    if (auto resume = resumeOffer(wantsResume); !resume.is_null()) result["resume"] = resume;
    if (turn_) result["iceServers"] = iceServersJson(*turn_, identity_.participantId);
    replyResult(m, result);
}

void SignalingSession::offerSdp(const RpcMessage& m) {
    const auto& sdp = sdpParam(m.params, "sdpOffer");
    auto aliases = streamAliases(m.params);
    if (!media_) throw RpcError(RpcErrorCode::MediaServer, "no media server is configured");
    media_->offer(deviceId_, sdp, std::move(aliases),
                  replyLater<media::PublishAnswer>(m, weak_from_this()));
}

void SignalingSession::answerSdp(const RpcMessage& m) {
    const auto& sdp = sdpParam(m.params, "sdpAnswer");
    if (!media_) throw RpcError(RpcErrorCode::MediaServer, "no media server is configured");
    media_->answer(deviceId_, sdp, replyLater<bool>(m, weak_from_this()));
}

void SignalingSession::deviceDiagnostics(const RpcMessage& m) {
    diagnostics_.addReport(m.params, deviceId_);
    replyResult(m, json::object());
}

void SignalingSession::sendDtmf(const RpcMessage& m) {
    auto tones = dtmfTones(m.params);
    if (!media_) throw RpcError(RpcErrorCode::MediaServer, "no media server is configured");
    media_->deviceDtmf(deviceId_, tones, replyLater<int>(m, weak_from_this()));
}

// docs/protocol.md `restartIce`: media bounds the rate and says why it refuses.
void SignalingSession::restartIce(const RpcMessage& m) {
    if (!media_) throw RpcError(RpcErrorCode::MediaServer, "no media server is configured");
    media_->restartIce(deviceId_, replyLater<bool>(m, weak_from_this()));
}

void SignalingSession::setStreamMuted(const RpcMessage& m) {
    auto p = streamMuteParams(m.params);
    if (!media_) throw RpcError(RpcErrorCode::MediaServer, "no media server is configured");
    media_->setStreamMuted(deviceId_, p.endpointId, p.kind, p.muted,
                           replyLater<bool>(m, weak_from_this()));
}

void SignalingSession::leave(const RpcMessage& m) {
    {
        std::lock_guard lock(mutex_);
        left_ = true;
    }
    replyResult(m, json::object());
    reporter_.report(session::DeviceEvent::Leave);
    if (media_) media_->detachDevice(deviceId_);
    close(1000, "left");
}

}  // namespace sb::signaling
