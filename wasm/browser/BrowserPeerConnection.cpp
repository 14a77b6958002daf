#include "wasm/browser/BrowserPeerConnection.hpp"

#include <cstdlib>

#include "wasm/core/Errors.hpp"

namespace sb::sdk::browser {

bool BrowserPeerConnection::open(const std::string& configurationJson) {
    cb_ = js::add([this](int kind, int, const std::string& text) { onEvent(kind, text); }, false);
    pc_ = sb_pc_create(configurationJson.c_str(), cb_);
    return pc_ != 0;
}

void BrowserPeerConnection::onEvent(int kind, const std::string& text) {
    if (kind == 2) {
        if (handlers_.onConnectionState) handlers_.onConnectionState(text);
        return;
    }
    if (kind == 4) {
        auto error = js::split(text, 3);
        if (error.size() == 3 && handlers_.onIceCandidateError)
            handlers_.onIceCandidateError(
                error[0], static_cast<int>(std::strtol(error[1].c_str(), nullptr, 10)), error[2]);
        return;
    }
    auto fields = js::split(text, kind == 0 ? 0 : 2);
    if (fields.size() < 2) return;
    if (kind == 0) {
        // §5.7: the receiver's track and the ids of the streams of its msid.
        RemoteTrack track{fields[0], fields[1], {fields.begin() + 2, fields.end()}};
        if (handlers_.onTrack) handlers_.onTrack(track);
    } else if (kind == 1) {
        if (handlers_.onTrackRemoved) handlers_.onTrackRemoved(fields[0], fields[1]);
    } else if (handlers_.onChannelMessage) {
        handlers_.onChannelMessage(fields[0], fields[1]);
    }
}

int BrowserPeerConnection::settle(SdpDone done) {
    Watch alive = alive_.watch();
    return js::add(
        [alive, done](int ok, int, const std::string& text) {
            if (alive.expired()) return;
            if (ok)
                done({}, text);
            else
                done(errors::negotiation("RTCPeerConnection: " + text), {});
        },
        true);
}

int BrowserPeerConnection::settle(Done done) {
    return settle(SdpDone([done](const Error& e, const std::string&) { done(e); }));
}

void BrowserPeerConnection::close() {
    alive_.renew();
    if (cb_) js::remove(cb_);
    if (pc_) sb_pc_close(pc_);
    pc_ = cb_ = 0;
}

}  // namespace sb::sdk::browser
