#include "wasm/core/Subscriber.hpp"

#include "protocol/Methods.hpp"
#include "wasm/core/DataChannels.hpp"
#include "wasm/core/Errors.hpp"
#include "wasm/core/IceErrors.hpp"
#include "wasm/core/Sdp.hpp"

namespace sb::sdk {

Subscriber::Subscriber(JsonRpcClient& rpc, PeerConnectionFactory& peers, StreamRegistry& registry,
                       EventQueue& events, std::string configurationJson, LogFn log)
    : rpc_(rpc),
      peers_(peers),
      registry_(registry),
      events_(events),
      configuration_(std::move(configurationJson)),
      log_(std::move(log)) {}

void Subscriber::handleOffer(const Json& params) {
    Watch alive = alive_.watch();
    queue_.push([this, alive, params](const Fn<void()>& finished) {
        if (alive.expired()) return;  // closed: the queue was reset
        apply(params, finished);
    });
}

void Subscriber::apply(const Json& params, const Fn<void()>& finished) {
    double revision = params["sdpRevision"].asNumber(-1);
    const std::string& offer = params["sdpOffer"].asString();
    if (revision <= lastRevision_ || offer.empty()) {
        if (log_)
            log_(LogLevel::Debug,
                 "Dropping stale or empty sdpOffer (revision " + Json(revision).dump() + ")");
        return finished();
    }
    if (!pc_) createConnection();
    if (!pc_)
        return fail("create the subscribing connection",
                    errors::negotiation("no RTCPeerConnection"), finished);
    auto expected = sdp::sentTracksPerStream(offer);
    if (log_) {
        std::string streams;
        for (const auto& [id, count] : expected) streams += " " + id + "x" + decimal(count);
        log_(LogLevel::Debug,
             "sdpOffer revision " + Json(revision).dump() + ", streams:" + streams);
    }
    // Metadata first: `track` events fire while the offer is applied (W3C WebRTC §4.4.1.6).
    registry_.applyOffer(params["streamMetadata"], expected);
    Watch alive = alive_.watch();
    pc_->setRemoteDescription(
        "offer", offer, [this, alive, revision, finished](const Error& remoteError) {
            if (alive.expired()) return;  // closed: the queue was reset
            if (remoteError.failed())
                return fail("apply the server's offer", remoteError, finished);
            pc_->createAnswer([this, alive, revision, finished](const Error& answerError,
                                                                const std::string& answer) {
                if (alive.expired()) return;
                if (answerError.failed() || answer.empty())
                    return fail("create an answer", answerError, finished);
                sendAnswer(sdp::forcePassiveSetup(answer), revision, finished);
            });
        });
}

void Subscriber::sendAnswer(const std::string& answer, double revision,
                            const Fn<void()>& finished) {
    Watch alive = alive_.watch();
    pc_->setLocalDescription(
        "answer", answer, [this, alive, revision, answer, finished](const Error& localError) {
            if (alive.expired()) return;
            if (localError.failed()) return fail("apply the answer", localError, finished);
            lastRevision_ = revision;
            Json params = Json::object();
            params.set("sdpAnswer", answer);
            rpc_.request(protocol::method::kAnswerSdp, std::move(params),
                         [this, alive](const Error& rpcError, const Json&) {
                             if (!alive.expired() && rpcError.failed() && log_)
                                 log_(LogLevel::Warn, "answerSdp: " + rpcError.message);
                         });
            finished();
        });
}

void Subscriber::createConnection() {
    pc_ = peers_.create(configuration_);
    if (!pc_) return;
    lastRevision_ = 0;
    Watch alive = alive_.watch();
    PeerConnectionPort::Handlers handlers;
    handlers.onTrack = [this, alive](const RemoteTrack& track) {
        if (alive.expired()) return;
        EventQueue::Scope scope(events_);
        for (const auto& streamId : track.streamIds) registry_.trackAdded(streamId, track.id);
    };
    handlers.onTrackRemoved = [this, alive](const std::string& streamId,
                                            const std::string& trackId) {
        if (alive.expired()) return;
        EventQueue::Scope scope(events_);
        registry_.trackRemoved(streamId, trackId);
    };
    handlers.onConnectionState = [this, alive](const std::string& state) {
        if (!alive.expired() && log_) log_(LogLevel::Info, "Subscribing connection: " + state);
    };
    handlers.onIceCandidateError = iceErrorLogger(log_, "Subscribing");
    handlers.onChannelMessage = [this, alive](const std::string& label, const std::string& text) {
        if (!alive.expired() && pc_) channels::onMessage(*pc_, label, text, log_);
    };
    pc_->setHandlers(std::move(handlers));
    channels::open(*pc_);
}

void Subscriber::fail(const std::string& what, const Error& error, const Fn<void()>& finished) {
    // Swallowed like the stock SDK (reference §1.4), but at warn level so it is seen.
    if (log_) log_(LogLevel::Warn, "Cannot " + what + ": " + error.message);
    finished();
}

void Subscriber::getStats(Fn<void(const Error&, const std::string&)> done) {
    if (!pc_) return done({}, "[]");
    pc_->getStats(std::move(done));
}

void Subscriber::close() {
    alive_.renew();
    queue_.reset();
    if (pc_) pc_->close();
    pc_.reset();
    lastRevision_ = 0;
    registry_.clear();
}

}  // namespace sb::sdk
