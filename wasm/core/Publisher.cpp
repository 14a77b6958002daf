#include "wasm/core/Publisher.hpp"

#include "protocol/Methods.hpp"
#include "wasm/core/DataChannels.hpp"
#include "wasm/core/Errors.hpp"
#include "wasm/core/IceErrors.hpp"

namespace sb::sdk {

Publisher::Publisher(JsonRpcClient& rpc, PeerConnectionFactory& peers, MediaPort& media,
                     TimerPort& timers, std::string configurationJson, const LogFn& log)
    : rpc_(rpc),
      peers_(peers),
      media_(media),
      timers_(timers),
      configuration_(std::move(configurationJson)),
      log_(log) {
    ice_.onRestart([this] {
        for (const Op* op = ops_; op; op = op->next)
            if (op->kind == Op::Kind::IceRestart) return;  // one is on its way already
        enqueue(new Op{Op::Kind::IceRestart, {}, {}, {}, {}, nullptr});
    });
}

void Publisher::publish(const LocalStream& stream, const std::string& alias,
                        const std::string& codecPreferencesJson, PublishDone done) {
    if (has(stream.id)) {
        done(errors::invalidState("Stream " + stream.id + " is already published"), noStream());
        return;
    }
    enqueue(new Op{Op::Kind::Publish, stream, alias, codecPreferencesJson, {}, std::move(done)});
}

void Publisher::unpublish(std::vector<std::string> streamIds, Done done) {
    enqueue(new Op{Op::Kind::Unpublish,
                   {},
                   {},
                   {},
                   std::move(streamIds),
                   [done = std::move(done)](const Error& e, const StreamInfo&) {
                       if (done) done(e);
                   }});
}

// `op` is made where it is asked for, already on the heap (size: no Op moved in, bench/size/).
void Publisher::enqueue(Op* op) {
    Op** last = &ops_;
    while (*last) last = &(*last)->next;
    *last = op;
    runNext();
}

void Publisher::runNext() {
    if (busy_ || !ops_) return;
    busy_ = true;
    const Op& op = *ops_;
    switch (op.kind) {
        case Op::Kind::Publish:
            runPublish();
            break;
        case Op::Kind::Unpublish:
            runUnpublish(op);
            break;
        case Op::Kind::Switch:
            runSwitch();
            break;
        case Op::Kind::IceRestart:
            if (rebuild_) {
                rebuild_ = false;
                alive_.renew();  // the old connection's events
                if (pc_) pc_->close();
                return openConnection();
            }
            // JSEP §4.1.8.1: an offer with new ICE credentials restarts ICE.
            negotiate(true);
            break;
    }
}

void Publisher::finish(const Error& error) {
    finish(error, noStream());
}

void Publisher::finish(const Error& error, const StreamInfo& stream) {
    Op* op = ops_;
    if (!op) return;
    ops_ = op->next;
    busy_ = false;
    PublishDone done = std::move(op->done);
    delete op;
    if (done) done(error, stream);
    runNext();
}

void Publisher::runPublish() {
    if (pc_) return addStream();
    openConnection();
}

void Publisher::openConnection() {
    pc_ = peers_.create(configuration_);
    if (!pc_) return finish(errors::negotiation("Cannot create the publishing RTCPeerConnection"));
    Watch alive = alive_.watch();
    iceErrors_.seen.clear();
    iceErrors_.last = 0;
    pc_->setHandler([this, alive](PeerEvent event, const std::string& a, const std::string& b,
                                  int code, const RemoteTrack*) {
        if (alive.expired()) return;
        // Only a connection with something published is restarted (the stock SDK restarts
        // without bound; ours stops after maxRestarts, IceRestarter.hpp).
        if (event == PeerEvent::ConnectionState) {
            if (streams_ || a == "connected") ice_.onState(a);
        } else if (event == PeerEvent::ChannelMessage && pc_)
            channels::onMessage(*pc_, a, b, log_);
        else if (event == PeerEvent::IceCandidateError)
            iceErrors_(log_, a, code, b);
    });
    channels::open(*pc_);
    // First offer with the data channels only, like the stock SDK (reference §2.4).
    connecting_ = true;
    negotiate(false);
}

void Publisher::addStream() {
    const Op& op = *ops_;
    for (const auto& track : op.stream.tracks)
        pc_->addTrack(track, op.stream.id, op.codecPreferences);
    Published** last = &streams_;
    while (*last) last = &(*last)->next;
    *last = new Published{op.stream.id, op.alias, op.stream.tracks, op.codecPreferences, nullptr};
    negotiate(false);
}

void Publisher::addAll() {
    for (const Published* s = streams_; s; s = s->next)
        for (const auto& track : s->tracks) pc_->addTrack(track, s->id, s->codecPreferences);
    negotiate(false);
}

void Publisher::runUnpublish(const Op& op) {
    std::vector<std::string> ids = op.ids;
    if (ids.empty())
        for (const Published* s = streams_; s; s = s->next) ids.push_back(s->id);
    bool dropped = false;
    for (const auto& id : ids) {
        if (!has(id)) continue;
        drop(id);
        media_.stopStream(id);
        dropped = true;
    }
    if (!pc_ || !dropped) return finish(noError());
    negotiate(false);
}

void Publisher::negotiated(const Error& error) {
    if (connecting_) {
        // The connection's first offer (data channels alone): now the stream of the op.
        connecting_ = false;
        if (error.failed()) return finish(error);
        return ops_->kind == Op::Kind::Publish ? addStream() : addAll();
    }
    const Op& op = *ops_;
    if (!error.failed()) tellMuted();
    if (op.kind != Op::Kind::Publish) return finish(error);
    const std::string& id = op.stream.id;
    if (error.failed()) {
        drop(id);  // the server refused it: it is not published
        return finish(error);
    }
    StreamInfo info{id, {}, {}, op.alias};
    result_["streamMetadata"][id]["mediaTypes"].strings(info.mediaTypes);
    if (info.mediaTypes.empty()) info.mediaTypes.push_back("APPLICATION");
    finish(noError(), info);
}

void Publisher::negotiate(bool iceRestart) {
    pc_->createOffer(iceRestart, [this, alive = alive_.watch()](const Error& offerError,
                                                                const std::string& offer) {
        if (alive.expired()) return;
        if (offerError.failed() || offer.empty())
            return negotiated(offerError.failed() ? offerError
                                                  : errors::negotiation("createOffer gave no SDP"));
        offer_ = offer;
        Json params = Json::object();
        params.set("sdpOffer", offer);
        params.set("mediaMetadata", mediaMetadata());
        // Stock order (reference §2.4): the offer is applied only once the server has answered,
        // so a refused offer leaves the connection in "stable" with nothing to roll back.
        rpc_.request(protocol::method::kOfferSdp, std::move(params),
                     [this, alive](const Error& rpcError, const Json& result) {
                         if (alive.expired()) return;
                         if (rpcError.failed()) return negotiated(rpcError);
                         applyAnswer(result);
                     });
    });
}

void Publisher::applyAnswer(const Json& result) {
    if (result["sdpAnswer"].asString().empty())
        return negotiated(errors::badResponse("offerSdp result has no sdpAnswer"));
    result_ = Json(result);  // copy + move: no copy assignment of Json in the wasm
    // JSEP §5.5/§5.6: the local offer, then the remote answer completes the exchange.
    pc_->setLocalDescription(
        "offer", offer_, [this, alive = alive_.watch()](const Error& localError) {
            if (alive.expired()) return;
            if (localError.failed()) return negotiated(localError);
            pc_->setRemoteDescription("answer", result_["sdpAnswer"].asString(),
                                      [this, alive](const Error& remoteError) {
                                          if (!alive.expired()) negotiated(remoteError);
                                      });
        });
}

Json Publisher::mediaMetadata() const {
    // Each member built where it lies (set() returns it): no Json moved in (size, bench/size/).
    Json out = Json::object();
    Json& streams = out.set("mediaStreams", Json::object());
    for (const Published* s = streams_; s; s = s->next) {
        Json& entry = streams.set(s->id, Json::object());
        if (!s->alias.empty()) entry.set("alias", s->alias);
    }
    out.set("dataChannels", channels::metadata());
    return out;
}

void Publisher::drop(const std::string& streamId) {
    Published** link = &streams_;
    while (*link && (*link)->id != streamId) link = &(*link)->next;
    Published* p = *link;
    if (!p) return;
    if (pc_)
        for (const auto& track : p->tracks) pc_->removeTrack(track.id);
    *link = p->next;
    delete p;
}

bool Publisher::has(const std::string& streamId) const {
    for (const Published* s = streams_; s; s = s->next)
        if (s->id == streamId) return true;
    return false;
}

std::size_t Publisher::streamCount() const {
    std::size_t n = 0;
    for (const Published* s = streams_; s; s = s->next) ++n;
    return n;
}

void Publisher::tracks(std::vector<std::string>& out) const {
    for (const Published* s = streams_; s; s = s->next)
        for (const auto& t : s->tracks) {
            out.push_back(t.id);
            out.push_back(s->id);
        }
}

bool Publisher::sendDtmf(const std::string& tones, const std::string& streamId) {
    if (!pc_) return false;
    bool sent = false;
    for (const Published* s = streams_; s; s = s->next)
        if (streamId.empty() || s->id == streamId) sent = pc_->insertDtmf(s->id, tones) || sent;
    return sent;
}

void Publisher::setTracksEnabled(const std::string& kind, bool enabled,
                                 const std::string& streamId) {
    const unsigned char bit = kind == "audio" ? 1 : 2;
    for (Published* s = streams_; s; s = s->next) {
        if (!streamId.empty() && s->id != streamId) continue;
        media_.setTracksEnabled(s->id, kind, enabled);
        s->muted = enabled ? s->muted & ~bit : s->muted | bit;
        tellMuted(*s, kind.c_str(), !enabled);
    }
}

void Publisher::tellMuted() {
    for (const Published* s = streams_; s; s = s->next) {
        if (s->muted & 1) tellMuted(*s, "audio", true);
        if (s->muted & 2) tellMuted(*s, "video", true);
    }
}

// The others see it too (docs/protocol.md `setStreamMuted`): a notification, as there is nothing
// to do with its answer; a stream without tracks of this kind is not named.
void Publisher::tellMuted(const Published& s, const char* kind, bool muted) {
    for (const auto& t : s.tracks) {
        if (t.kind != kind) continue;
        Json params = Json::object();
        params.set("endpointId", s.id);
        params.set("kind", kind);
        params.set("muted", Json(muted));
        return rpc_.notify(protocol::method::kSetStreamMuted, std::move(params));
    }
}

void Publisher::getStats(Fn<void(const Error&, const std::string&)> done) {
    if (!pc_) return done(noError(), "[]");
    pc_->getStats(std::move(done));
}

void Publisher::close(bool notify) {
    alive_.renew();
    ice_.reset();
    if (!spare_.empty()) media_.stopStream(spare_);
    spare_.clear();
    while (Published* s = streams_) {
        streams_ = s->next;
        media_.stopStream(s->id);
        delete s;
    }
    if (pc_) pc_->close();
    pc_.reset();
    busy_ = false;
    connecting_ = rebuild_ = false;
    Op* ops = ops_;
    ops_ = nullptr;
    while (Op* op = ops) {
        ops = op->next;
        if (notify && op->done) op->done(errors::disconnected(), noStream());
        delete op;
    }
}

}  // namespace sb::sdk
