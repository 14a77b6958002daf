#include "wasm/browser/BrowserMedia.hpp"

#include "wasm/core/Errors.hpp"
#include "wasm/core/Json.hpp"

namespace sb::sdk::browser {

namespace {
val find(const std::map<std::string, val>& streams, const std::string& id) {
    auto it = streams.find(id);
    return it == streams.end() ? val::undefined() : it->second;
}
}  // namespace

void BrowserMedia::getUserMedia(const std::string& constraintsJson,
                                Fn<void(const Error&, const LocalStream&)> done) {
    val devices = val::global("navigator")["mediaDevices"];
    TryResult constraints = tryCall(val::global("JSON"), "parse", args(val(constraintsJson)));
    if (devices.isUndefined() || !constraints.ok) {
        // mediaDevices is missing outside secure contexts (Media Capture §9.2).
        JsCallbacks::then(val::global("Promise").call<val>("resolve"), [done](bool, val) {
            done(errors::media(
                     "navigator.mediaDevices is not available (a secure context is needed)"),
                 {});
        });
        return;
    }
    JsCallbacks::then(devices.call<val>("getUserMedia", constraints.value),
                      [this, done](bool ok, val stream) {
                          if (!ok) return done(errors::media(describe(stream)), {});
                          done({}, adopt(stream));
                      });
}

LocalStream BrowserMedia::adopt(const val& stream) {
    Json description =
        Json::parse(val::module_property("sbDescribe")(stream).as<std::string>()).value_or(Json());
    LocalStream out{description["id"].asString(), {}};
    for (const auto& track : description["tracks"].values())
        out.tracks.push_back(LocalTrack{track["id"].asString(), track["kind"].asString()});
    local_.insert_or_assign(out.id, stream);
    return out;
}

void BrowserMedia::stopStream(const std::string& streamId) {
    val stream = local(streamId);
    if (stream.isUndefined()) return;
    val tracks = stream.call<val>("getTracks");
    int count = tracks["length"].as<int>();
    for (int i = 0; i < count; ++i) tracks[i].call<void>("stop");
    local_.erase(streamId);
}

void BrowserMedia::setTracksEnabled(const std::string& streamId, const std::string& kind,
                                    bool enabled) {
    val stream = local(streamId);
    if (stream.isUndefined()) return;
    val tracks = stream.call<val>("getTracks");
    int count = tracks["length"].as<int>();
    for (int i = 0; i < count; ++i)
        if (tracks[i]["kind"].as<std::string>() == kind) tracks[i].set("enabled", enabled);
}

val BrowserMedia::local(const std::string& streamId) const {
    return find(local_, streamId);
}

val BrowserMedia::localTrack(const std::string& trackId) const {
    for (const auto& entry : local_) {
        val track = entry.second.call<val>("getTrackById", trackId);
        if (!track.isNull()) return track;
    }
    return val::undefined();
}

void BrowserMedia::rememberRemote(const val& stream) {
    remote_.insert_or_assign(stream["id"].as<std::string>(), stream);
}

val BrowserMedia::remote(const std::string& streamId) const {
    return find(remote_, streamId);
}

}  // namespace sb::sdk::browser
