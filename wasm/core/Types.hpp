#pragma once
// Value types shared by the SDK core, its ports and the bindings. Small enough to live together
// (STYLE.md: one Types.hpp per module rather than a file per enum).

#include <string>
#include <string_view>
#include <vector>

namespace sb::sdk {

// Connection state as the application sees it (`onConnectionStateChange`); transitions live in
// ConnectionState.cpp.
enum class State { Idle, Connecting, Connected, Reconnecting, Disconnected, Failed };

// What can happen to the connection; the input of nextState().
enum class Event {
    Connect,     // the application called connect()
    Opened,      // socket open and setMediaPreferences answered
    Lost,        // socket closed without being asked to
    Failure,     // connecting or reconnecting gave up (refused token, unreachable, timeout)
    Disconnect,  // the application called disconnect(), or the server closed normally
    IceFailed,   // a peer connection's ICE failed for good (its restarts are exhausted)
};

// How a broken peer connection is given another chance before the connection is reported
// `failed` with `ice_failed` (IceRestarter.hpp): an ICE restart (JSEP §4.1.8.1) when it is
// `failed`, when it stays `disconnected` for `disconnectedMs`, or when the network comes back;
// another every `delayMs` while it is not `connected`, at most `maxRestarts` in all. The
// publishing connection re-offers with new ICE credentials; the subscribing one asks the server
// for such an offer (`restartIce`). Connect options, bounded by the Client.
struct IceRestartPolicy {
    int maxRestarts = 5;
    int delayMs = 5000;
    int disconnectedMs = 2500;
};

enum class LogLevel { Error, Warn, Info, Debug };

const char* toString(State state);
const char* toString(Event event);
// std::to_string(long) without printf (Decimal.cpp).
std::string decimal(long value);
// Whether `s` begins with `prefix` (Decimal.cpp; no std::string::rfind in the wasm).
bool startsWith(std::string_view s, std::string_view prefix);

// An error surfaced to the application. `code` is a stable machine-readable name (catalogue in
// Errors.hpp); JSON-RPC error objects keep their numeric code in `rpcCode` and `data` as JSON text.
struct Error {
    std::string code;
    std::string message;
    int rpcCode = 0;
    std::string data;
    bool failed() const { return !code.empty(); }
};
// No error, to pass by reference (size: no empty Error made and destroyed at each call,
// bench/size/).
const Error& noError();

// A track of a local MediaStream, as the browser adapter describes it (W3C Media Capture §4.3).
struct LocalTrack {
    std::string id;
    std::string kind;           // "audio" | "video"
    std::string deviceId = {};  // getSettings().deviceId (§4.3.8), "" where there is none
};

struct LocalStream {
    std::string id;  // MediaStream.id, which is the msid the publishing SDP carries
    std::vector<LocalTrack> tracks;
};

// The server's StreamMetadata for one stream (docs/protocol.md), or the result of a publish.
// `streamId` is the MediaStream id, surfaced as RtcStream.endpointId like the stock SDK.
struct StreamInfo {
    std::string streamId;
    std::string participantId;
    std::vector<std::string> mediaTypes;  // "AUDIO" | "VIDEO" | "APPLICATION"
    std::string alias;                    // empty = no alias
};
// No stream, to pass by reference (size: no empty StreamInfo made at each call, bench/size/).
const StreamInfo& noStream();

// A remote track as RTCPeerConnection's `track` event reports it (W3C WebRTC §5.7).
struct RemoteTrack {
    std::string id;
    std::string kind;
    std::vector<std::string> streamIds;
};

}  // namespace sb::sdk
