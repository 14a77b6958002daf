#include "wasm/core/Subscriber.hpp"

#include <algorithm>

#include "protocol/Methods.hpp"
#include "wasm/core/DataChannels.hpp"
#include "wasm/core/Errors.hpp"
#include "wasm/core/IceErrors.hpp"
#include "wasm/core/Sdp.hpp"

namespace sb::sdk {

namespace {

// The MediaStream ids an offer describes: its msids and its streamMetadata keys, each once,
// written into `ids` (the member itself: no vector to move in, bench/size/).
void offeredStreams(const sdp::TrackCounts& tracks, const Json& metadata,
                    std::vector<std::string>& ids) {
    ids.clear();
    // One loop over both objects' keys: one copy of the search and append (size, bench/size/).
    for (const Json* object : {&tracks, &metadata})
        for (const auto& id : object->keys())
            if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
}

}  // namespace

Subscriber::Subscriber(JsonRpcClient& rpc, PeerConnectionFactory& peers, StreamRegistry& registry,
                       EventQueue& events, TimerPort& timers, std::string configurationJson,
                       Listener listener, const LogFn& log)
    : rpc_(rpc),
      peers_(peers),
      registry_(registry),
      events_(events),
      timers_(timers),
      configuration_(std::move(configurationJson)),
      listener_(std::move(listener)),
      log_(log) {
    // The server's offer follows as an sdpOffer; a refusal (no subscriber there any more, asked
    // too soon) is retried by the next restart.
    ice_.onRestart(
        [this] { rpc_.request(protocol::method::kRestartIce, Json::object(), nullptr); });
    ice_.onReport(listener_.onIce);
}

void Subscriber::handleOffer(const Json& params) {
    offers_.push_back(params);
    runOffers();
}

void Subscriber::runOffers() {
    if (inside_) return;  // the loop below goes on when apply() returns
    while (!busy_ && nextOffer_ < offers_.size()) {
        Json params = std::move(offers_[nextOffer_++]);
        busy_ = true;
        inside_ = true;
        apply(params);
        inside_ = false;
    }
    // Taken from the front by index, the vector emptied once all are taken (size: no erase
    // at the front, bench/size/).
    if (nextOffer_ == offers_.size()) {
        offers_.clear();
        nextOffer_ = 0;
    }
}

void Subscriber::apply(const Json& params) {
    double revision = params["sdpRevision"].asNumber(-1);
    const std::string& offer = params["sdpOffer"].asString();
    if (revision == lastRevision_ && answerLost_ && !offer.empty()) {
        // The server re-sends its latest offer after a resume (docs/protocol.md "Resuming a
        // device"); the answer to it went with the lost socket: the same answer again.
        postAnswer(false);
        return finishOffer();
    }
    if (revision <= lastRevision_ || offer.empty()) {
        if (log_)
            log_(LogLevel::Debug,
                 "Dropping stale or empty sdpOffer (revision " + Json(revision).dump() + ")");
        return finishOffer();
    }
    auto expected = sdp::sentTracksPerStream(offer);
    const Json& metadata = params["streamMetadata"];
    offeredStreams(expected, metadata, offerStreams_);
    offerRevision_ = revision;
    if (!pc_) createConnection();
    if (!pc_)
        return failOffer("create the subscribing connection",
                         errors::negotiation("no RTCPeerConnection"));
    // The streams it carries are in the registry's events (size: no per-stream log, bench/size/).
    if (log_) log_(LogLevel::Debug, "sdpOffer revision " + Json(revision).dump());
    // Metadata first: `track` events fire while the offer is applied (W3C WebRTC §4.4.1.6).
    registry_.applyOffer(metadata, expected);
    pc_->setRemoteDescription("offer", offer, described(false));
}

// One callable type for both descriptions' results (size, bench/size/): the server's offer
// applied (`local` false), then the answer created and applied (`local` true).
Fn<void(const Error&)> Subscriber::described(bool local) {
    return [this, alive = alive_.watch(), local](const Error& error) {
        if (alive.expired()) return;  // closed: the queue was reset
        if (error.failed())
            return failOffer(local ? "apply the answer" : "apply the server's offer", error);
        if (local) {
            lastRevision_ = offerRevision_;
            postAnswer(true);
            return finishOffer();
        }
        pc_->createAnswer([this, alive](const Error& answerError, const std::string& answer) {
            if (alive.expired()) return;
            if (answerError.failed() || answer.empty())
                return failOffer("create an answer", answerError);
            answer_ = sdp::forcePassiveSetup(answer);
            pc_->setLocalDescription("answer", answer_, described(true));
        });
    };
}

void Subscriber::postAnswer(bool report) {
    answerLost_ = false;
    Json params = Json::object();
    params.set("sdpAnswer", answer_);
    rpc_.request(protocol::method::kAnswerSdp, std::move(params),
                 [this, alive = alive_.watch(), report,
                  streams = report ? std::move(offerStreams_) : std::vector<std::string>{}](
                     const Error& rpcError, const Json&) {
                     if (alive.expired()) return;
                     // A lost socket is the connection's failure, reported by its state; the
                     // answer is sent again when the server re-sends the offer.
                     if (rpcError.code == "socket_closed" || rpcError.code == "disconnected") {
                         answerLost_ = true;
                         return;
                     }
                     // A repeated answer the server had already taken is refused: nothing lost.
                     if (rpcError.failed() && report)
                         fail("have the answer accepted by the server", rpcError, streams);
                 });
}

void Subscriber::createConnection() {
    pc_ = peers_.create(configuration_);
    if (!pc_) return;
    lastRevision_ = 0;
    Watch alive = alive_.watch();
    iceErrors_.seen.clear();
    pc_->setHandler([this, alive](PeerEvent event, const std::string& a, const std::string& b,
                                  int code, const RemoteTrack* track) {
        if (alive.expired()) return;
        EventQueue::Scope scope(events_);
        if (event == PeerEvent::Track) {
            for (const auto& streamId : track->streamIds) registry_.trackAdded(streamId, track->id);
        } else if (event == PeerEvent::TrackRemoved) {
            registry_.trackRemoved(a, b);
        } else if (event == PeerEvent::ConnectionState) {
            if (log_) log_(LogLevel::Info, "Subscribing connection: " + a);
            ice_.onState(a);
        } else if (event == PeerEvent::ChannelMessage) {
            if (pc_) channels::onMessage(*pc_, a, b, log_);
        } else {
            iceErrors_(log_, a, code, b);
        }
    });
    channels::open(*pc_);
}

void Subscriber::fail(const char* what, const Error& error,
                      const std::vector<std::string>& streams) {
    Error reported = errors::subscribeFailed(what, error.message);
    if (log_) log_(LogLevel::Warn, reported.message);
    if (listener_.onNegotiationFailed)
        events_.post([cb = listener_.onNegotiationFailed, reported, streams]() {
            if (*cb) (*cb)(reported, streams);
        });
}

void Subscriber::failOffer(const char* what, const Error& error) {
    fail(what, error, offerStreams_);
    finishOffer();
}

void Subscriber::finishOffer() {
    if (!busy_) return;  // closed meanwhile
    busy_ = false;
    runOffers();
}

void Subscriber::getStats(Fn<void(const Error&, const std::string&)> done) {
    if (!pc_) return done(noError(), "[]");
    pc_->getStats(std::move(done));
}

void Subscriber::close() {
    alive_.renew();
    ice_.reset();
    offers_.clear();
    nextOffer_ = 0;
    busy_ = false;
    if (pc_) pc_->close();
    pc_.reset();
    lastRevision_ = 0;
    registry_.clear();
}

}  // namespace sb::sdk
