#include "server/signaling/SignalingSession.hpp"

#include <cctype>
#include <chrono>

#include "server/auth/RandomId.hpp"
#include "server/base/Log.hpp"
#include "server/signaling/MediaJson.hpp"

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
                                   std::shared_ptr<ResumableDevices> resumable)
    : deviceId_(std::move(deviceId)),
      identity_(std::move(identity)),
      media_(std::move(media)),
      diagnostics_(limits.maxDiagnosticsBytes),
      slot_(std::move(slot)),
      turn_(std::move(turn)),
      events_(std::move(events)),
      resumable_(std::move(resumable)) {}

const std::unordered_map<std::string, SignalingSession::Handler>& SignalingSession::handlers() {
    static const std::unordered_map<std::string, Handler> table{
        {protocol::method::kSetMediaPreferences, &SignalingSession::setMediaPreferences},
        {protocol::method::kOfferSdp, &SignalingSession::offerSdp},
        {protocol::method::kAnswerSdp, &SignalingSession::answerSdp},
        {protocol::method::kPing, &SignalingSession::ping},
        {protocol::method::kDeviceDiagnostics, &SignalingSession::deviceDiagnostics},
        {protocol::method::kLeave, &SignalingSession::leave},
        {protocol::method::kSendDtmf, &SignalingSession::sendDtmf},
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
    if (media_)
        media_->attachDevice(deviceId_, identity_.accountId, identity_.participantId,
                             shared_from_this());
    report(session::DeviceEvent::Connect);
}

void SignalingSession::onMessage(std::string text) {
    json id;
    // A request is a frame with an "id" member, null included (§4.1); only its absence makes a
    // notification, so the id's value cannot tell them apart.
    bool request = false;
    try {
        RpcMessage m = protocol::parseRpc(text, id);
        if (m.kind == RpcMessage::Kind::Response)
            return;  // we send no requests; ignore stray replies
        request = m.kind == RpcMessage::Kind::Request;
        if (left_) throw RpcError(RpcErrorCode::InvalidState, "the device has left");
        auto it = handlers().find(m.method);
        if (it == handlers().end())
            throw RpcError(RpcErrorCode::MethodNotFound, "Method not found: " + m.method);
        (this->*(it->second))(m);
    } catch (const RpcError& e) {
        // JSON-RPC 2.0 §5: errors for notifications are not answered, except parse/invalid
        // request errors, answered with id null.
        bool framing =
            e.code() == RpcErrorCode::ParseError || e.code() == RpcErrorCode::InvalidRequest;
        if (request || framing) send(protocol::rpcError(id, e));
    } catch (const std::exception& e) {
        base::log(base::LogLevel::Error, "device " + deviceId_ + ": " + e.what());
        if (request)
            send(protocol::rpcError(id, RpcError(RpcErrorCode::Internal, "Internal error")));
    }
}

// A lost WebSocket of a device that asked to be resumable parks it: its media stays attached (its
// streams keep flowing both ways) until it resumes or the grace period ends. Otherwise, and after
// `leave` or a close by the server, the device is released at once.
void SignalingSession::onClose() {
    auto registry = resumable_.lock();
    bool park = false;
    {
        std::lock_guard lock(mutex_);
        connection_.reset();
        park = registry && registry->grace().count() > 0 && !resumeSecret_.empty() && !left_ &&
               !closedByServer_;
        parked_ = park;
    }
    if (!park) return finish();
    base::log(base::LogLevel::Info, "device " + deviceId_ + " lost its connection: kept " +
                                        std::to_string(registry->grace().count()) +
                                        " s for a resume");
    report(session::DeviceEvent::Disconnect);
    registry->park(deviceId_, shared_from_this(), ResumableDevices::Clock::now());
}

void SignalingSession::finish() {
    base::log(base::LogLevel::Info, "device " + deviceId_ + " disconnected");
    if (media_) media_->detachDevice(deviceId_);
    slot_.reset();
    report(session::DeviceEvent::Disconnect);
    if (events_) events_->deviceGone({identity_.accountId, identity_.participantId, deviceId_});
}

bool SignalingSession::mayResume(const DeviceIdentity& who, const std::string& secret) const {
    if (who.accountId != identity_.accountId || who.participantId != identity_.participantId)
        return false;
    std::lock_guard lock(mutex_);
    if (!parked_ || resumeSecret_.empty() || secret.size() != resumeSecret_.size()) return false;
    unsigned char diff = 0;  // no early exit: the time taken does not tell how much matched
    for (std::size_t i = 0; i < secret.size(); ++i)
        diff |= static_cast<unsigned char>(secret[i] ^ resumeSecret_[i]);
    return diff == 0;
}

// The device is back on a new WebSocket: it gets a new secret (the old one was sent in the
// reconnect URL) and the sdpOffer media made while it was away.
void SignalingSession::resumed() {
    std::string secret = auth::randomHex(16);
    std::string pending;
    {
        std::lock_guard lock(mutex_);
        parked_ = false;
        // Closed by the server between this resume's check and now (its participant deleted):
        // the new connection gets the close the old one would have had.
        if (closedByServer_ && connection_) {
            connection_->close(serverClose_.first, serverClose_.second);
            return;
        }
        resumeSecret_ = secret;
        pending = std::move(pendingOffer_);
        pendingOffer_.clear();
    }
    base::log(base::LogLevel::Info,
              "device " + deviceId_ + " resumed: participant " + identity_.participantId);
    report(session::DeviceEvent::Resume);
    send(protocol::rpcNotification(protocol::method::kResumed,
                                   json{{"deviceId", deviceId_}, {"resumeSecret", secret}}));
    if (!pending.empty()) send(std::move(pending));
}

void SignalingSession::release(const char* why) {
    {
        std::lock_guard lock(mutex_);
        if (!parked_) return;
        parked_ = false;
    }
    base::log(base::LogLevel::Info, std::string("device ") + deviceId_ + " released: " + why);
    if (media_) media_->detachDevice(deviceId_);
    slot_.reset();
    report(session::DeviceEvent::Leave);
    if (events_) events_->deviceGone({identity_.accountId, identity_.participantId, deviceId_});
}

void SignalingSession::streamsOffered(const media::StreamsOffer& offer) {
    std::string text = protocol::rpcNotification(protocol::method::kSdpOffer, toJson(offer));
    {
        std::lock_guard lock(mutex_);
        // Parked: the latest offer replaces any earlier one (its revision is newer) and waits.
        if (parked_) {
            pendingOffer_ = std::move(text);
            return;
        }
    }
    send(std::move(text));
}

void SignalingSession::dtmfHeard(const media::HeardDtmf& dtmf) {
    send(protocol::rpcNotification(protocol::method::kDtmf, toJson(dtmf)));
}

// Removed by a server action (participant or session deleted): reference §4.5 onLeave. A parked
// device is released now; a connected one when its WebSocket closes.
void SignalingSession::closeDevice(media::CloseReason reason) {
    auto [code, text] = closeOf(reason);
    bool wasParked = false;
    {
        std::lock_guard lock(mutex_);
        closedByServer_ = true;
        serverClose_ = {code, text};
        wasParked = parked_;
    }
    auto registry = resumable_.lock();
    if (wasParked && registry && registry->remove(deviceId_))
        return release("its participant or session was deleted");
    report(session::DeviceEvent::Leave);
    close(code, text);
}

void SignalingSession::close(std::uint16_t code, const std::string& reason) {
    std::lock_guard lock(mutex_);
    if (connection_) connection_->close(code, reason);
}

void SignalingSession::report(session::DeviceEvent event) {
    if (!events_) return;
    if (event == session::DeviceEvent::Leave) {
        std::lock_guard lock(mutex_);
        if (leaveReported_) return;
        leaveReported_ = true;
    }
    events_->deviceEvent({identity_.accountId, identity_.participantId, deviceId_}, event);
}

void SignalingSession::send(std::string text) {
    std::lock_guard lock(mutex_);
    if (connection_) connection_->send(std::move(text));
}

void SignalingSession::replyResult(const RpcMessage& m, const json& result) {
    if (m.kind == RpcMessage::Kind::Request) send(protocol::rpcResult(m.id, result));
}

namespace {
json resultJson(const media::PublishAnswer& answer) {
    return toJson(answer);
}
json resultJson(bool) {
    return json::object();
}
json resultJson(int delivered) {
    return json{{"delivered", delivered}};
}
}  // namespace

template <class T>
media::MediaReply<T> SignalingSession::replyLater(const RpcMessage& m) {
    std::weak_ptr<SignalingSession> weak = shared_from_this();
    return [weak, id = m.id, request = m.kind == RpcMessage::Kind::Request](
               std::optional<media::MediaError> error, T result) {
        auto self = weak.lock();
        if (!self || !request) return;
        self->send(error ? protocol::rpcError(id, rpcErrorOf(*error))
                         : protocol::rpcResult(id, resultJson(result)));
    };
}

// methods (reference §2.3)

// The result is `{}` in the reference protocol; with TURN configured it carries the ICE servers
// for this device's participant (docs/protocol.md "ICE servers (TURN)"), an additive member the
// stock SDK ignores. Minted at each call, so a reconnecting device gets a fresh credential.
void SignalingSession::setMediaPreferences(const RpcMessage& m) {
    json result = json::object();
    // An additive request of our SDK (docs/protocol.md "Resuming a device"): keep this device for
    // a grace period if its WebSocket is lost, and hand it the secret to resume with.
    bool wantsResume = false;
    if (m.params.is_object()) {
        auto it = m.params.find("resumable");
        if (it != m.params.end() && !it->is_null()) {
            if (!it->is_boolean())
                throw RpcError(RpcErrorCode::InvalidParams, "resumable must be a boolean",
                               "resumable");
            wantsResume = it->get<bool>();
        }
    }
    auto registry = resumable_.lock();
    if (wantsResume && registry && registry->grace().count() > 0) {
        std::string secret;
        {
            std::lock_guard lock(mutex_);
            if (resumeSecret_.empty()) resumeSecret_ = auth::randomHex(16);
            secret = resumeSecret_;
        }
        result["resume"] = json{{"deviceId", deviceId_},
                                {"resumeSecret", secret},
                                {"graceSeconds", registry->grace().count()}};
    }
    if (turn_) {
        auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
        auto server = turn_->mint(identity_.participantId, now);
        result["iceServers"] = json::array({json{{"urls", server.urls},
                                                 {"username", server.username},
                                                 {"credential", server.credential}}});
    }
    replyResult(m, result);
}

void SignalingSession::offerSdp(const RpcMessage& m) {
    const auto& sdp = protocol::requireString(m.params, "sdpOffer");
    if (sdp.rfind("v=0", 0) != 0)
        throw RpcError(RpcErrorCode::InvalidParams, "sdpOffer is not an SDP description",
                       "sdpOffer");
    std::map<std::string, std::string> aliases;
    if (const auto* meta = protocol::optionalObject(m.params, "mediaMetadata")) {
        if (const auto* streams = protocol::optionalObject(*meta, "mediaStreams")) {
            for (const auto& [msid, info] : streams->items()) {
                if (!info.is_object())
                    throw RpcError(RpcErrorCode::InvalidParams,
                                   "mediaStreams entries must be objects",
                                   "mediaMetadata.mediaStreams");
                auto alias = info.find("alias");
                if (alias != info.end() && !alias->is_null()) {
                    if (!alias->is_string() || alias->get_ref<const std::string&>().size() > 256)
                        throw RpcError(RpcErrorCode::InvalidParams,
                                       "alias must be a string of at most 256 bytes",
                                       "mediaMetadata.mediaStreams." + msid + ".alias");
                    aliases[msid] = *alias;
                }
            }
        }
    }
    if (!media_) throw RpcError(RpcErrorCode::MediaServer, "no media server is configured");
    media_->offer(deviceId_, sdp, std::move(aliases), replyLater<media::PublishAnswer>(m));
}

void SignalingSession::answerSdp(const RpcMessage& m) {
    const auto& sdp = protocol::requireString(m.params, "sdpAnswer");
    if (sdp.rfind("v=0", 0) != 0)
        throw RpcError(RpcErrorCode::InvalidParams, "sdpAnswer is not an SDP description",
                       "sdpAnswer");
    if (!media_) throw RpcError(RpcErrorCode::MediaServer, "no media server is configured");
    media_->answer(deviceId_, sdp, replyLater<bool>(m));
}

void SignalingSession::ping(const RpcMessage& m) {
    replyResult(m, json::object());
}

void SignalingSession::deviceDiagnostics(const RpcMessage& m) {
    const auto* logs =
        m.params.is_object() && m.params.contains("logs") ? &m.params["logs"] : nullptr;
    if (!logs || !logs->is_array())
        throw RpcError(RpcErrorCode::InvalidParams, "logs must be an array", "logs");
    for (const auto& entry : *logs) {
        if (!diagnostics_.add(entry) && !diagnosticsDropLogged_) {
            diagnosticsDropLogged_ =
                true;  // said once per device: the device decides how much it sends
            base::log(
                base::LogLevel::Warn,
                "device " + deviceId_ + " sent more than the " +
                    std::to_string(diagnostics_.maxBytes()) +
                    " bytes of diagnostics kept per device: older or larger entries are dropped");
        }
    }
    if (base::logEnabled(base::LogLevel::Debug))
        base::log(base::LogLevel::Debug, "device " + deviceId_ + " diagnostics: " +
                                             std::to_string(logs->size()) + " entries");
    replyResult(m, json::object());
}

void SignalingSession::sendDtmf(const RpcMessage& m) {
    const auto& tones = protocol::requireString(m.params, "tones");
    // The characters of RTCDTMFSender.insertDTMF (W3C WebRTC §7.2), ',' being a 2 s pause there
    // and a 500 ms pause towards the phone.
    bool valid = !tones.empty() && tones.size() <= 32 &&
                 tones.find_first_not_of("0123456789*#ABCDabcd,") == std::string::npos;
    if (!valid)
        throw RpcError(RpcErrorCode::InvalidParams, "tones must be 1 to 32 of 0-9 * # A-D ,",
                       "tones");
    std::string upper = tones;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (!media_) throw RpcError(RpcErrorCode::MediaServer, "no media server is configured");
    media_->deviceDtmf(deviceId_, upper, replyLater<int>(m));
}

void SignalingSession::leave(const RpcMessage& m) {
    left_ = true;
    replyResult(m, json::object());
    report(session::DeviceEvent::Leave);
    if (media_) media_->detachDevice(deviceId_);
    close(1000, "left");
}

}  // namespace sb::signaling
