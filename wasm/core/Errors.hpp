#pragma once
// Catalogue of the errors the SDK reports, so tests assert codes rather than strings (STYLE.md 5).
// The token_* codes are the server's own (docs/protocol.md, "Connecting"), passed through.

#include <string>

#include "wasm/core/Types.hpp"

namespace sb::sdk::errors {

inline Error make(const char* code, std::string message) {
    return Error{code, std::move(message), 0, {}};
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
inline Error invalidState(const std::string& what) {
    return make("invalid_state", what);
}
inline Error requestTimeout(const std::string& method) {
    return make("request_timeout", "No answer to '" + method + "' in time");
}
inline Error badResponse(const std::string& what) {
    return make("bad_response", what);
}
inline Error negotiation(const std::string& what) {
    return make("negotiation_failed", what);
}
inline Error media(const std::string& what) {
    return make("media_failed", what);
}
inline Error disconnected() {
    return make("disconnected", "disconnect() was called");
}
inline Error rpc(int code, std::string message, std::string data) {
    return Error{"rpc_error", std::move(message), code, std::move(data)};
}

}  // namespace sb::sdk::errors
