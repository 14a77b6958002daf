#pragma once
// Names and error codes of the device signaling protocol v3 (docs/protocol.md). Header-only and
// dependency-free so the server, the wasm SDK and the tests share one definition.

#include <cstddef>

namespace sb::protocol {

namespace method {
inline constexpr const char* kSetMediaPreferences = "setMediaPreferences";
inline constexpr const char* kOfferSdp = "offerSdp";
inline constexpr const char* kAnswerSdp = "answerSdp";
inline constexpr const char* kPing = "ping";
inline constexpr const char* kDeviceDiagnostics = "deviceDiagnostics";
inline constexpr const char* kLeave = "leave";
inline constexpr const char* kSdpOffer = "sdpOffer";  // server → client notification
// Extensions (docs/protocol.md), ignored by the stock SDK:
inline constexpr const char* kSendDtmf = "sendDtmf";  // client → server: DTMF towards phones
inline constexpr const char* kDtmf = "dtmf";          // server → client: DTMF from a phone
// server → client, additive (docs/protocol.md "Resuming a device"): the device resumed; its new
// resume secret.
inline constexpr const char* kResumed = "resumed";
// client → server (docs/protocol.md `restartIce`): a new subscriber offer with new ICE
// credentials; server → client (`mediaReset`): the device's media legs were lost, it re-offers.
inline constexpr const char* kRestartIce = "restartIce";
inline constexpr const char* kMediaReset = "mediaReset";
// docs/protocol.md "Remote mute and active speaker": client → server, a stream it publishes was
// muted or unmuted; server → client, the state of a stream it receives.
inline constexpr const char* kSetStreamMuted = "setStreamMuted";
inline constexpr const char* kRemoteMuteChange = "remoteMuteChange";
inline constexpr const char* kActiveSpeakerChange = "activeSpeakerChange";
}  // namespace method

// WebSocket close code a device sends when it gives up on a connection it still wants to resume
// from (a `resumed` greeting that never came): the server keeps the device as if the connection
// had been lost (docs/protocol.md "Resuming a device"). In RFC 6455 §7.4.2's private range.
inline constexpr int kCloseKeepForResume = 4001;

// JSON-RPC 2.0 §5.1 codes, then ours in the implementation-defined server-error range.
enum class RpcErrorCode : int {
    ParseError = -32700,
    InvalidRequest = -32600,
    MethodNotFound = -32601,
    InvalidParams = -32602,
    Internal = -32603,
    NotPermitted = -32001,
    MediaServer = -32002,
    InvalidState = -32003,
};

// Limits of a device connection.
inline constexpr std::size_t kMaxFrameBytes = std::size_t{256} * 1024;
inline constexpr int kMaxFramesPerSecond = 100;

}  // namespace sb::protocol
