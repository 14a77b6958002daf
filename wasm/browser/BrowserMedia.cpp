#include "wasm/browser/BrowserMedia.hpp"

#include "wasm/core/Errors.hpp"

namespace sb::sdk::browser {

void BrowserMedia::getUserMedia(const std::string& constraintsJson,
                                Fn<void(const Error&, const LocalStream&)> done) {
    val navigator = val::global("navigator");
    val devices = navigator.isUndefined() ? val::undefined() : js::get(navigator, "mediaDevices");
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
        out.tracks.push_back(LocalTrack{js::stringAt(track, "id"), js::stringAt(track, "kind")});
    }
    return out;
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
