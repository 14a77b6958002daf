#include "wasm/browser/BrowserPeerConnection.hpp"

#include "wasm/core/Errors.hpp"
#include "wasm/core/Json.hpp"

namespace sb::sdk::browser {

namespace {
enum { kTrack, kState, kIceError, kMessage, kRemoveTrack };
enum { kSdp, kDescribed, kStats };
}  // namespace

bool BrowserPeerConnection::open(const std::string& configurationJson) {
    web::JsResult config = web::parseJson(configurationJson);
    web::JsResult created =
        web::jsTryNew(val::global("RTCPeerConnection"), config.ok ? config.value : val::object());
    if (!created.ok) return false;
    pc_ = created.value;
    js::listen(pc_, "track", js::to(this, dispatch, kTrack), this);
    js::listen(pc_, "connectionstatechange", js::to(this, dispatch, kState), this);
    js::listen(pc_, "icecandidateerror", js::to(this, dispatch, kIceError), this);
    return true;
}

// The events of the connection, its data channels and its remote streams (js::to).
void BrowserPeerConnection::dispatch(void* self, int kind, const val&, const val& e) {
    auto* pc = static_cast<BrowserPeerConnection*>(self);
    if (kind == kTrack) return pc->onTrack(e);
    const Handler& handler = pc->handler_;
    if (!handler) return;
    if (kind == kState) {
        // §4.3.3 connectionState
        handler(PeerEvent::ConnectionState, js::stringAt(pc->pc_, "connectionState"), {}, 0,
                nullptr);
    } else if (kind == kIceError) {
        // §4.8.2 RTCPeerConnectionIceErrorEvent: url, errorCode, errorText.
        handler(PeerEvent::IceCandidateError, js::stringAt(e, "url"), js::stringAt(e, "errorText"),
                js::intAt(e, "errorCode", 0), nullptr);
    } else if (kind == kMessage) {
        // Text messages within the JSON bound only (as the signaling socket's). The event's
        // target is the RTCDataChannel (§6.2), whose label the core knows it by.
        auto text = js::boundedString(js::get(e, "data"), Json::kMaxTextBytes);
        if (text)
            handler(PeerEvent::ChannelMessage, js::stringAt(js::get(e, "target"), "label"), *text,
                    0, nullptr);
    } else {
        // `removetrack` on a remote stream, the event's target (§4.4.1.6).
        handler(PeerEvent::TrackRemoved, js::stringAt(js::get(e, "target"), "id"),
                js::stringAt(js::get(e, "track"), "id"), 0, nullptr);
    }
}

// §5.7 `track`: the receiver's track and the streams of its msid. A remote stream is watched
// once for `removetrack` (§4.4.1.6); each track for `ended`.
void BrowserPeerConnection::onTrack(const val& event) {
    val track = js::get(event, "track");
    RemoteTrack remote{js::stringAt(track, "id"), js::stringAt(track, "kind"), {}};
    val streams = js::get(event, "streams");
    for (int i = 0, n = js::length(streams); i < n; ++i) {
        val stream = js::at(streams, i);
        std::string id = js::stringAt(stream, "id");
        remote.streamIds.push_back(id);
        remote_.put(id, stream);
        bool seen = false;
        for (const auto& w : watched_) seen = seen || w == id;
        if (seen) continue;
        watched_.push_back(id);
        js::listen(stream, "removetrack", js::to(this, dispatch, kRemoveTrack), this);
    }
    js::listen(
        track, "ended",
        [this, remote, alive = alive_.watch()](const val&, const val&) {
            // Each call can end in the application's streamUnavailable handler, which may
            // disconnect and so destroy this object (Subscriber::close): checked before each.
            for (const auto& id : remote.streamIds) {
                if (alive.expired()) return;
                Handler handler = handler_;  // a copy outlives a destroyed handler_
                if (handler) handler(PeerEvent::TrackRemoved, id, remote.id, 0, nullptr);
            }
        },
        this);
    if (handler_) handler_(PeerEvent::Track, {}, {}, 0, &remote);
}

// A negotiated data channel with a fixed SCTP stream id (§6.2), as the stock SDK's.
void BrowserPeerConnection::createDataChannel(const std::string& label, int id) {
    if (pc_.isUndefined()) return;
    val init = js::object(R"({"negotiated":true,"protocol":"udp"})");
    js::set(init, "id", val(id));
    web::JsResult dc = web::jsTry(pc_, "createDataChannel", label, init);
    if (!dc.ok) return;
    js::listen(dc.value, "message", js::to(this, dispatch, kMessage), this);
    channels_.put(label, dc.value);
}

void BrowserPeerConnection::sendOnChannel(const std::string& label, const std::string& text) {
    val dc = channels_.get(label);
    if (js::stringAt(dc, "readyState") == "open") web::jsTry(dc, "send", text);
}

// addTransceiver(track, {direction: "sendonly", streams: [stream]}) (§5.1), then
// setCodecPreferences (§5.4) with the entries of the track's kind in `prefs` ({audio?, video?}).
void BrowserPeerConnection::addTrack(const LocalTrack& track, const std::string& streamId,
                                     const std::string& codecPreferencesJson) {
    val stream = local_.get(streamId);
    if (stream.isUndefined() || pc_.isUndefined()) return;
    val mediaTrack = web::jsTry(stream, "getTrackById", track.id).value;
    if (mediaTrack.isNull() || mediaTrack.isUndefined()) return;
    val init = js::object(R"({"direction":"sendonly"})");
    js::set(init, "streams", web::jsTry(val::global("Array"), "of", stream).value);
    web::JsResult t = web::jsTry(pc_, "addTransceiver", mediaTrack, init);
    if (!t.ok) return;
    Sender** last = &senders_;
    while (*last) last = &(*last)->next;
    *last = new Sender{track.id, streamId, track.kind, t.value, nullptr};
    if (codecPreferencesJson.empty()) return;
    web::JsResult prefs = web::parseJson(codecPreferencesJson);
    if (!prefs.ok || !web::typeIs(prefs.value, "object") || prefs.value.isNull()) return;
    val list = js::get(prefs.value, track.kind.c_str());
    if (!list.isUndefined()) web::jsTry(t.value, "setCodecPreferences", list);
}

// Stops the transceiver that sends the track (§5.4 stop()); older browsers: removeTrack (§4.4.1.7).
void BrowserPeerConnection::removeTrack(const std::string& trackId) {
    for (Sender** link = &senders_; *link; link = &(*link)->next) {
        Sender* s = *link;
        if (s->trackId != trackId) continue;
        if (!web::jsTry(s->transceiver, "stop").ok)
            web::jsTry(pc_, "removeTrack", js::get(s->transceiver, "sender"));
        *link = s->next;
        delete s;
        return;
    }
}

// RTCRtpSender.replaceTrack (§5.2) with the track now in the sender's stream: no negotiation.
void BrowserPeerConnection::replaceTrack(const std::string& oldTrackId, const std::string& trackId,
                                         Done done) {
    Sender* s = senders_;
    while (s && s->trackId != oldTrackId) s = s->next;
    val track =
        s ? web::jsTry(local_.get(s->streamId), "getTrackById", trackId).value : val::undefined();
    // A null track would be accepted: the sender would send nothing.
    web::JsResult call{false, val("no such track")};
    if (!track.isNull() && !track.isUndefined())
        call = web::jsTry(js::get(s->transceiver, "sender"), "replaceTrack", track);
    settle(call, kDescribed, nullptr, [s, trackId, done](const Error& e) {
        if (!e.failed()) s->trackId = trackId;
        done(e);
    });
}

void BrowserPeerConnection::settle(const web::JsResult& call, int kind, SdpDone text, Done done) {
    // Once closed, the connection's callbacks are gone (close: removeAll), so this never runs
    // on a closed or destroyed connection.
    js::settle(
        call,
        [kind, text, done](const val& ok, const val& value) {
            Error e;
            if (!ok.isTrue()) e = errors::negotiation("RTCPeerConnection: " + js::text(value));
            if (kind == kDescribed) return done(e);
            if (e.failed()) return text(e, {});
            if (kind == kSdp) return text(e, js::stringAt(value, "sdp"));
            // getStats() as a JSON array of the report's dictionaries (§8.2).
            std::string json = web::stringifyJson(
                web::jsTry(val::global("Array"), "from", web::jsTry(value, "values").value).value);
            // A report that cannot be serialized is a failure, not an empty answer.
            if (json.empty()) return text(errors::media("getStats: the report cannot be read"), {});
            text({}, json);
        },
        this);
}

// createOffer with the stock SDK's legacy options (reference §2.4): send-only.
void BrowserPeerConnection::createOffer(bool iceRestart, SdpDone done) {
    val options = js::object(
        iceRestart
            ? R"({"iceRestart":true,"offerToReceiveAudio":false,"offerToReceiveVideo":false,"voiceActivityDetection":true})"
            : R"({"iceRestart":false,"offerToReceiveAudio":false,"offerToReceiveVideo":false,"voiceActivityDetection":true})");
    settle(invoke("createOffer", options), kSdp, done, nullptr);
}

void BrowserPeerConnection::createAnswer(SdpDone done) {
    settle(invoke("createAnswer"), kSdp, done, nullptr);
}

namespace {
val description(const std::string& type, const std::string& sdp) {
    val d = val::object();
    js::set(d, "type", val(type));
    js::set(d, "sdp", val(sdp));
    return d;
}
}  // namespace

void BrowserPeerConnection::setLocalDescription(const std::string& type, const std::string& sdp,
                                                Done done) {
    settle(invoke("setLocalDescription", description(type, sdp)), kDescribed, nullptr, done);
}

void BrowserPeerConnection::setRemoteDescription(const std::string& type, const std::string& sdp,
                                                 Done done) {
    settle(invoke("setRemoteDescription", description(type, sdp)), kDescribed, nullptr, done);
}

// RTCDTMFSender.insertDTMF on the stream's first audio sender (§7.2); false when there is none.
bool BrowserPeerConnection::insertDtmf(const std::string& streamId, const std::string& tones) {
    for (const Sender* s = senders_; s; s = s->next) {
        if (s->streamId != streamId || s->kind != "audio") continue;
        val dtmf = js::get(js::get(s->transceiver, "sender"),
                           "dtmf");  // §7.1: null when it cannot send DTMF
        return !dtmf.isNull() && !dtmf.isUndefined() && web::jsTry(dtmf, "insertDTMF", tones).ok;
    }
    return false;
}

// getStats() as a JSON array of the report's dictionaries (§8.2).
void BrowserPeerConnection::getStats(Fn<void(const Error&, const std::string&)> done) {
    settle(invoke("getStats"), kStats, done, nullptr);
}

void BrowserPeerConnection::close() {
    alive_.renew();
    js::removeAll(this);
    channels_.clear();
    while (Sender* s = senders_) {
        senders_ = s->next;
        delete s;
    }
    if (!pc_.isUndefined()) web::jsTry(pc_, "close");
    pc_ = val::undefined();
}

}  // namespace sb::sdk::browser
