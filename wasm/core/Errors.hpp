#pragma once
// Catalogue of the errors the SDK reports, so tests assert codes rather than strings (STYLE.md 5).
// The token_* codes are the server's own (docs/protocol.md, "Connecting"), passed through.

#include <string>

#include "wasm/core/Json.hpp"
#include "wasm/core/Types.hpp"

namespace sb::sdk::errors {

inline Error make(const char* code, std::string message) {
    return Error{code, std::move(message), 0, {}};
}
// A literal text: its std::string made here rather than at every call site (size, bench/size/).
[[gnu::noinline]] inline Error make(const char* code, const char* message) {
    return make(code, std::string(message));
}

inline Error serverUnreachable(const std::string& url) {
    return make("server_unreachable", "Cannot reach the signaling server at " + url);
}
inline Error connectTimeout() {
    return make("connect_timeout", "The signaling server did not answer in time");
}
inline Error websocketFailed() {
    return make("websocket_failed",
                "The server accepts the token but the WebSocket connection failed");
}
inline Error serverRefused(int status) {
    return make("server_refused",
                "The server refused the connection (HTTP " + decimal(status) + ")");
}
inline Error socketClosed() {
    return make("socket_closed", "The signaling connection closed");
}
// The server closed the signaling connection with one of its 4xxx codes (4404 participant
// deleted, 4409 resumed elsewhere, 4410 session deleted): `data` is {"closeCode": n}.
inline Error endedByServer(int closeCode) {
    return Error{"ended_by_server", "The server ended this device's call", 0,
                 "{\"closeCode\":" + decimal(closeCode) + "}"};
}
inline Error invalidState(const std::string& what) {
    return make("invalid_state", what);
}
inline Error invalidState(const char* what) {
    return make("invalid_state", what);
}
inline Error requestTimeout(const std::string& method) {
    return make("request_timeout", "No answer to '" + method + "' in time");
}
inline Error badResponse(const std::string& what) {
    return make("bad_response", what);
}
inline Error badResponse(const char* what) {
    return make("bad_response", what);
}
inline Error negotiation(const std::string& what) {
    return make("negotiation_failed", what);
}
inline Error negotiation(const char* what) {
    return make("negotiation_failed", what);
}
inline Error media(const std::string& what) {
    return make("media_failed", what);
}
inline Error media(const char* what) {
    return make("media_failed", what);
}
// getUserMedia's rejection, told apart by the error's name (W3C Media Capture and Streams
// §9.2 getUserMedia() steps; OverconstrainedError §10.1), which `data` keeps with the browser's
// message as {"name", "message"}:
//   permission_denied  NotAllowedError (the user or a policy refused), SecurityError (user-agent
//                      policy, e.g. a Permissions-Policy that does not allow the device);
//   no_device          NotFoundError (no device of the kind asked for), OverconstrainedError
//                      (no device satisfies the constraints);
//   media_failed       everything else, NotReadableError included: the device exists and the
//                      user allowed it, but the OS or hardware would not give it (most often
//                      another application holds it), so neither of the above advice fits;
//                      AbortError, TypeError (bad constraints) and a missing mediaDevices too.
inline Error userMedia(const std::string& name, const std::string& message) {
    const char* code = "media_failed";
    const char* what = "Cannot get the microphone or camera";
    if (name == "NotAllowedError" || name == "SecurityError") {
        code = "permission_denied";
        what = "Permission to use the microphone or camera was denied";
    } else if (name == "NotFoundError" || name == "OverconstrainedError") {
        code = "no_device";
        what = "No microphone or camera matches the request";
    } else if (name == "NotReadableError") {
        what = "The microphone or camera is in use or cannot be read";
    }
    // "<what> (<name>: <message>)", either part left out when empty; appended in place (size,
    // bench/size/).
    std::string text = what;
    if (!name.empty() || !message.empty()) {
        text += " (";
        text += name;
        if (!name.empty() && !message.empty()) text += ": ";
        text += message;
        text += ")";
    }
    Json cause = Json::object();
    cause.set("name", name);
    cause.set("message", message);
    return Error{code, std::move(text), 0, cause.dump()};
}
// A peer connection whose ICE failed for good: no media can flow on it (W3C WebRTC §4.3.3
// RTCPeerConnectionState "failed"). `connection` is "publishing" or "subscribing"; `restarts`:
// how many ICE restarts were tried.
inline Error iceFailed(const char* connection, int restarts) {
    std::string text = "ICE failed on the ";  // appended in place (size, bench/size/)
    text += connection;
    text += " connection after ";
    text += decimal(restarts);
    text += " ICE restart(s)";
    return make("ice_failed", std::move(text));
}
// A server offer of the subscribing connection that could not be applied or answered; the
// streams it carried are in the subscribeFailed event, not in the error.
inline Error subscribeFailed(const char* what, const std::string& message) {
    std::string text = "Cannot ";  // appended in place (size, bench/size/)
    text += what;
    if (!message.empty()) {
        text += ": ";
        text += message;
    }
    return make("subscribe_failed", std::move(text));
}
inline Error disconnected() {
    return make("disconnected", "disconnect() was called");
}
inline Error rpc(int code, std::string message, std::string data) {
    return Error{"rpc_error", std::move(message), code, std::move(data)};
}

}  // namespace sb::sdk::errors
