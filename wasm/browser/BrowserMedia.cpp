#include "wasm/browser/BrowserMedia.hpp"

#include "wasm/core/Errors.hpp"

namespace sb::sdk::browser {

namespace {
// navigator.mediaDevices, undefined outside secure contexts (Media Capture §9.2).
val mediaDevices() {
    val navigator = val::global("navigator");
    return navigator.isUndefined() ? val::undefined() : js::get(navigator, "mediaDevices");
}
}  // namespace

void BrowserMedia::setHandler(Handler handler) {
    handler_ = std::move(handler);
    if (!ended_) ended_ = js::add(js::to(this, ended, 0), false, this);
}

// `ended` of a watched track, the event's target.
void BrowserMedia::ended(void* self, int, const val&, const val& event) {
    auto* media = static_cast<BrowserMedia*>(self);
    if (media->handler_) media->handler_(js::stringAt(js::get(event, "target"), "id"));
}

void BrowserMedia::getUserMedia(const std::string& constraintsJson,
                                Fn<void(const Error&, const LocalStream&)> done) {
    val devices = mediaDevices();
    web::JsResult call = web::parseJson(constraintsJson);
    if (devices.isUndefined()) {
        // mediaDevices is missing outside secure contexts (Media Capture §9.2).
        call = {false, val("navigator.mediaDevices is not available (a secure context is needed)")};
    } else if (call.ok) {
        call = web::jsTry(devices, "getUserMedia", call.value);
    }
    js::settle(
        call,
        [this, done](const val& ok, const val& stream) {
            if (!ok.isTrue()) return done(rejection(stream), {});
            done({}, adopt(stream));
        },
        this);
}

// A DOMException (Media Capture §10.1: NotAllowedError, NotFoundError, ...) or, outside a secure
// context, our own text; the core classifies by the name (errors::userMedia).
Error BrowserMedia::rejection(const val& error) {
    std::string message = js::stringAt(error, "message");
    return errors::userMedia(js::stringAt(error, "name"),
                             message.empty() ? js::text(error) : message);
}

LocalStream BrowserMedia::adopt(const val& stream) {
    val tracks = web::jsTry(stream, "getTracks").value;
    int n = js::length(tracks);
    // Sized once, then filled: no growth path of a LocalTrack vector in the wasm (size).
    LocalStream out{js::stringAt(stream, "id"), std::vector<LocalTrack>(n)};
    local_.put(out.id, stream);
    for (int i = 0; i < n; ++i) {
        val track = js::at(tracks, i);
        val settings = web::jsTry(track, "getSettings").value;
        out.tracks[i] = LocalTrack{js::stringAt(track, "id"), js::stringAt(track, "kind"),
                                   js::stringAt(settings, "deviceId")};
        // A display capture (Screen Capture §5.4 displaySurface) that ends was stopped by the
        // user, with no device to fall back to: not watched.
        if (ended_ && js::stringAt(settings, "displaySurface").empty())
            web::jsTry(track, "addEventListener", "ended", js::on(ended_));
    }
    return out;
}

void BrowserMedia::swapTrack(const std::string& streamId, const std::string& trackId,
                             const std::string& otherStreamId) {
    val stream = local_.get(streamId);
    val other = local_.get(otherStreamId);
    val out = web::jsTry(stream, "getTrackById", trackId).value;
    val tracks = web::jsTry(other, "getTracks").value;
    if (out.isNull() || out.isUndefined() || js::length(tracks) != 1) return;
    val in = js::at(tracks, 0);
    js::set(in, "enabled", js::get(out, "enabled"));
    web::jsTry(stream, "removeTrack", out);
    web::jsTry(stream, "addTrack", in);
    web::jsTry(other, "removeTrack", in);
    web::jsTry(other, "addTrack", out);
}

void BrowserMedia::stopStream(const std::string& streamId) {
    val stream = local_.get(streamId);
    if (stream.isUndefined()) return;
    val tracks = web::jsTry(stream, "getTracks").value;
    for (int i = 0, n = js::length(tracks); i < n; ++i) web::jsTry(js::at(tracks, i), "stop");
    local_.erase(streamId);
}

void BrowserMedia::setTracksEnabled(const std::string& streamId, const std::string& kind,
                                    bool enabled) {
    val stream = local_.get(streamId);
    if (stream.isUndefined()) return;
    val tracks = web::jsTry(stream, "getTracks").value;
    for (int i = 0, n = js::length(tracks); i < n; ++i) {
        val track = js::at(tracks, i);
        if (js::stringAt(track, "kind") == kind) js::set(track, "enabled", val(enabled));
    }
}

}  // namespace sb::sdk::browser
