#include "wasm/browser/BrowserPeerConnection.hpp"

#include "wasm/core/Errors.hpp"

namespace sb::sdk::browser {

namespace {

Error failure(const char* what, const val& error) {
    return errors::negotiation(std::string(what) + ": " + describe(error));
}

val description(const std::string& type, const std::string& sdp) {
    val d = val::object();
    d.set("type", type);
    d.set("sdp", sdp);
    return d;
}

}  // namespace

std::unique_ptr<PeerConnectionPort> BrowserPeerFactory::create(
    const std::string& configurationJson) {
    TryResult config = tryCall(val::global("JSON"), "parse", args(val(configurationJson)));
    // W3C WebRTC §4.4.1.1: the constructor throws on an invalid configuration (bad ICE URL).
    TryResult pc = tryNew("RTCPeerConnection", args(config.ok ? config.value : val::object()));
    if (!pc.ok) return nullptr;
    return std::make_unique<BrowserPeerConnection>(pc.value, media_);
}

BrowserPeerConnection::BrowserPeerConnection(val pc, BrowserMedia& media)
    : pc_(std::move(pc)), media_(media) {
    pc_.set("ontrack", listen("track", [this](val event) { onTrack(event); }));
    pc_.set("onconnectionstatechange", listen("state", [this](val) {
                if (handlers_.onConnectionState)
                    handlers_.onConnectionState(pc_["connectionState"].as<std::string>());
            }));
}

val BrowserPeerConnection::listen(const char*, Fn<void(val)> fn) {
    int id = 0;
    val f = JsCallbacks::listener(std::move(fn), id);
    listeners_.push_back(id);
    return f;
}

void BrowserPeerConnection::onTrack(val event) {
    // §5.7: the track event carries the receiver's track and the streams of its msid.
    val track = event["track"];
    val streams = event["streams"];
    RemoteTrack remote{track["id"].as<std::string>(), track["kind"].as<std::string>(), {}};
    int count = streams["length"].as<int>();
    for (int i = 0; i < count; ++i) {
        val stream = streams[i];
        remote.streamIds.push_back(stream["id"].as<std::string>());
        media_.rememberRemote(stream);
        watchRemoteStream(stream);
    }
    auto ids = remote.streamIds;
    track.set("onended", listen("ended", [this, ids, trackId = remote.id](val) {
                  for (const auto& id : ids)
                      if (handlers_.onTrackRemoved) handlers_.onTrackRemoved(id, trackId);
              }));
    if (handlers_.onTrack) handlers_.onTrack(remote);
}

void BrowserPeerConnection::watchRemoteStream(val stream) {
    std::string id = stream["id"].as<std::string>();
    if (!watchedStreams_.insert(id).second) return;
    // §4.4.1.6 "process the removal of a remote track" fires removetrack on the stream.
    stream.set("onremovetrack", listen("removetrack", [this, id](val event) {
                   if (handlers_.onTrackRemoved)
                       handlers_.onTrackRemoved(id, event["track"]["id"].as<std::string>());
               }));
}

void BrowserPeerConnection::createDataChannel(const std::string& label, int id) {
    // §6.2: negotiated channels with fixed SCTP ids, as the stock SDK (reference §2.5).
    val init = val::object();
    init.set("negotiated", true);
    init.set("id", id);
    init.set("protocol", std::string("udp"));
    TryResult channel = tryCall(pc_, "createDataChannel", args(val(label), init));
    if (!channel.ok) return;
    channel.value.set("onmessage", listen("message", [this, label](val event) {
                          val data = event["data"];
                          if (data.isString() && handlers_.onChannelMessage)
                              handlers_.onChannelMessage(label, data.as<std::string>());
                      }));
    channels_.insert_or_assign(label, channel.value);
}

void BrowserPeerConnection::sendOnChannel(const std::string& label, const std::string& text) {
    auto it = channels_.find(label);
    if (it != channels_.end() && it->second["readyState"].as<std::string>() == "open")
        tryCall(it->second, "send", args(val(text)));
}

void BrowserPeerConnection::addTrack(const LocalTrack& track, const std::string& streamId,
                                     const std::string& codecPreferencesJson) {
    val init = val::object();
    init.set("direction", std::string("sendonly"));
    init.set("streams", args(media_.local(streamId)));
    // §5.1 addTransceiver(track, init): one sendonly transceiver per track, msid = the stream.
    TryResult transceiver = tryCall(pc_, "addTransceiver", args(media_.localTrack(track.id), init));
    if (!transceiver.ok) return;
    senders_.push_back(Sender{track.id, streamId, track.kind, transceiver.value});
    if (codecPreferencesJson.empty()) return;
    TryResult prefs = tryCall(val::global("JSON"), "parse", args(val(codecPreferencesJson)));
    // §5.4 setCodecPreferences, with the list of the track's kind ({audio?, video?}).
    if (prefs.ok && !prefs.value[track.kind].isUndefined())
        tryCall(transceiver.value, "setCodecPreferences", args(prefs.value[track.kind]));
}

void BrowserPeerConnection::removeTrack(const std::string& trackId) {
    for (auto it = senders_.begin(); it != senders_.end(); ++it) {
        if (it->trackId != trackId) continue;
        // §5.4 stop(); older browsers only have removeTrack(sender) (§4.4.1.7).
        if (!tryCall(it->transceiver, "stop", val::array()).ok)
            tryCall(pc_, "removeTrack", args(it->transceiver["sender"]));
        senders_.erase(it);
        return;
    }
}

void BrowserPeerConnection::await(const val& promise, Fn<void(const Error&, val)> done) {
    std::weak_ptr<char> alive = alive_;
    JsCallbacks::then(promise, [alive, done](bool ok, val value) {
        if (alive.expired()) return;
        done(ok ? Error{} : failure("RTCPeerConnection", value), value);
    });
}

void BrowserPeerConnection::createOffer(bool iceRestart, SdpDone done) {
    val options = val::object();
    options.set("iceRestart", iceRestart);
    // The stock SDK's legacy options (reference §2.4); send-only, nothing to receive here.
    options.set("offerToReceiveAudio", false);
    options.set("offerToReceiveVideo", false);
    options.set("voiceActivityDetection", true);
    await(pc_.call<val>("createOffer", options), [done](const Error& e, val offer) {
        done(e, e.failed() ? std::string() : offer["sdp"].as<std::string>());
    });
}

void BrowserPeerConnection::createAnswer(SdpDone done) {
    await(pc_.call<val>("createAnswer"), [done](const Error& e, val answer) {
        done(e, e.failed() ? std::string() : answer["sdp"].as<std::string>());
    });
}

void BrowserPeerConnection::setLocalDescription(const std::string& type, const std::string& sdp,
                                                Done done) {
    await(pc_.call<val>("setLocalDescription", description(type, sdp)),
          [done](const Error& e, val) { done(e); });
}

void BrowserPeerConnection::setRemoteDescription(const std::string& type, const std::string& sdp,
                                                 Done done) {
    await(pc_.call<val>("setRemoteDescription", description(type, sdp)),
          [done](const Error& e, val) { done(e); });
}

bool BrowserPeerConnection::insertDtmf(const std::string& streamId, const std::string& tones) {
    for (const auto& s : senders_) {
        if (s.streamId != streamId || s.kind != "audio") continue;
        val dtmf = s.transceiver["sender"]["dtmf"];  // §7.1: null when DTMF cannot be sent
        return !dtmf.isNull() && !dtmf.isUndefined() &&
               tryCall(dtmf, "insertDTMF", args(val(tones))).ok;
    }
    return false;
}

void BrowserPeerConnection::getStats(Fn<void(const Error&, const std::string&)> done) {
    await(pc_.call<val>("getStats"), [done](const Error& e, val report) {
        if (e.failed()) return done(e, "");
        // §8.2: RTCStatsReport is maplike; its values are plain dictionaries.
        val list = val::global("Array").call<val>("from", report.call<val>("values"));
        done({}, val::global("JSON").call<std::string>("stringify", list));
    });
}

void BrowserPeerConnection::close() {
    if (!alive_) return;
    alive_.reset();
    for (int id : listeners_) JsCallbacks::remove(id);
    listeners_.clear();
    tryCall(pc_, "close", val::array());
}

}  // namespace sb::sdk::browser
