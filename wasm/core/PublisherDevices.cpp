// Switching the device a published track comes from, by the application (switchDevice) or when
// the track ended on its own (trackEnded): a capture of the device, swapped into the published
// MediaStream, then sent with RTCRtpSender.replaceTrack (W3C WebRTC §5.2), which needs no new
// offer: the subscribers keep the stream, its msid and their connection.
#include "wasm/core/Errors.hpp"
#include "wasm/core/Publisher.hpp"

namespace sb::sdk {

void Publisher::switchDevice(const std::string& kind, const std::string& deviceId,
                             const std::string& streamId, PublishDone done) {
    enqueue(new Op{
        Op::Kind::Switch, LocalStream{streamId, {{deviceId, kind}}}, {}, {}, {}, std::move(done)});
}

void Publisher::trackEnded(const std::string& trackId) {
    for (const Published* s = streams_; s; s = s->next)
        for (const auto& t : s->tracks)
            if (t.id == trackId)
                return enqueue(new Op{Op::Kind::Switch,
                                      LocalStream{s->id, {{{}, t.kind}}},
                                      trackId,
                                      {},
                                      {},
                                      nullptr});
}

void Publisher::runSwitch() {
    const Op& op = *ops_;
    const LocalTrack& want = op.stream.tracks[0];
    for (const Published* s = streams_; s; s = s->next) {
        if (!op.stream.id.empty() && s->id != op.stream.id) continue;
        for (const auto& t : s->tracks) {
            if (t.kind != want.kind || (!op.alias.empty() && t.id != op.alias)) continue;
            switchStream_ = s->id;
            switchTrack_ = t.id;
            lostDevice_ = t.deviceId;
            // Media Capture §4.3.8 / §9.2: deviceId {exact} is that device or an
            // OverconstrainedError (no_device); `true` is the default device of the kind.
            // Built where it lies (set() returns the member and makes a non-object an object):
            // no Json moved in (size, bench/size/).
            Json request = Json::object();
            Json& constraints = request.set(want.kind, Json(true));
            if (!want.id.empty()) constraints.set("deviceId", Json::object()).set("exact", want.id);
            // The MediaPort outlives the Publisher (Ports.hpp): a capture that arrives after
            // close() is stopped through it.
            media_.getUserMedia(request.dump(), [this, &media = media_, alive = alive_.watch()](
                                                    const Error& e, const LocalStream& capture) {
                if (!alive.expired()) return captured(e, capture);
                if (!e.failed()) media.stopStream(capture.id);
            });
            return;
        }
    }
    // A fallback whose track is gone meanwhile (unpublished, or switched by the application)
    // has nothing left to do.
    if (!op.alias.empty()) return finish(noError());
    finish(errors::invalidState("No published stream has a track of that kind"));
}

void Publisher::captured(const Error& error, const LocalStream& capture) {
    if (error.failed()) return switched(error, "");
    spare_ = capture.id;
    if (capture.tracks.empty() || !pc_) {
        media_.stopStream(spare_);
        spare_.clear();
        return switched(errors::media("The capture has no track"), "");
    }
    const LocalTrack& track = capture.tracks[0];
    // The new track takes the old one's place (and its `enabled`) before it is sent, so a muted
    // microphone is never heard, and the application's MediaStream (its preview) follows.
    media_.swapTrack(switchStream_, switchTrack_, spare_);
    pc_->replaceTrack(
        switchTrack_, track.id, [this, track, alive = alive_.watch()](const Error& e) {
            if (alive.expired()) return;  // close() stopped the stream and the spare
            if (e.failed()) {
                media_.swapTrack(switchStream_, track.id, spare_);  // the old track back
            } else {
                for (Published* s = streams_; s; s = s->next)
                    for (auto& t : s->tracks)
                        if (s->id == switchStream_ && t.id == switchTrack_) t = track;
            }
            // The old track once replaced, else the new one that could not be sent.
            media_.stopStream(spare_);
            spare_.clear();
            if (e.failed())
                return switched(errors::media(e.message), "");  // "RTCPeerConnection: …"
            switched(noError(), track.deviceId.c_str());
        });
}

void Publisher::switched(const Error& error, const char* deviceId) {
    const Op& op = *ops_;
    std::string report;
    if (!op.alias.empty()) {
        Json j = Json::object();
        j.set("kind", op.stream.tracks[0].kind);
        j.set("lostDeviceId", lostDevice_);
        j.set("deviceId", deviceId);
        j.set("endpointId", op.stream.id);
        report = j.dump();
    }
    // Told last: the application's handler may disconnect, which closes this publisher.
    finish(error);
    if (fallback_ && *fallback_ && !report.empty()) (*fallback_)(error, report);
}

}  // namespace sb::sdk
