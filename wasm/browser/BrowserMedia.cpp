#include "wasm/browser/BrowserMedia.hpp"

#include "wasm/core/Errors.hpp"

namespace sb::sdk::browser {

namespace {
enum { kEnded, kChanged, kListed };

// navigator.mediaDevices, undefined outside secure contexts (Media Capture §9.2).
val mediaDevices() {
    val navigator = val::global("navigator");
    return navigator.isUndefined() ? val::undefined() : js::get(navigator, "mediaDevices");
}
}  // namespace

void BrowserMedia::setHandler(Handler handler) {
    handler_ = std::move(handler);
    if (ended_ || !handler_) return;
    ended_ = js::add(js::to(this, dispatch, kEnded), false, this);
    val devices = mediaDevices();
    if (!devices.isUndefined())
        js::listen(devices, "devicechange", js::to(this, dispatch, kChanged), this);
}

// `ended` of a watched track (the event's target); `devicechange`, then its enumerateDevices().
void BrowserMedia::dispatch(void* self, int kind, const val& ok, const val& value) {
    auto* media = static_cast<BrowserMedia*>(self);
    if (!media->handler_) return;
    if (kind == kEnded)
        return media->handler_(MediaEvent::TrackEnded,
                               js::stringAt(js::get(value, "target"), "id"));
    if (kind == kChanged)
        return js::settle(web::jsTry(mediaDevices(), "enumerateDevices"),
                          js::to(self, dispatch, kListed), self);
    if (ok.isTrue()) media->handler_(MediaEvent::DevicesChanged, web::stringifyJson(value));
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
    LocalStream out{js::stringAt(stream, "id"), {}};
    local_.put(out.id, stream);
    val tracks = web::jsTry(stream, "getTracks").value;
    for (int i = 0, n = js::length(tracks); i < n; ++i) {
        val track = js::at(tracks, i);
        val settings = web::jsTry(track, "getSettings").value;
        out.tracks.push_back(LocalTrack{js::stringAt(track, "id"), js::stringAt(track, "kind"),
                                        js::stringAt(settings, "deviceId")});
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
    if (out.isNull() || out.isUndefined()) return;
    std::string kind = js::stringAt(out, "kind");
    val tracks = web::jsTry(other, "getTracks").value;
    for (int i = 0, n = js::length(tracks); i < n; ++i) {
        val in = js::at(tracks, i);
        if (js::stringAt(in, "kind") != kind) continue;
        js::set(in, "enabled", js::get(out, "enabled"));
        web::jsTry(stream, "removeTrack", out);
        web::jsTry(stream, "addTrack", in);
        web::jsTry(other, "removeTrack", in);
        web::jsTry(other, "addTrack", out);
        return;
    }
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
