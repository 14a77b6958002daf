#pragma once
// The two negotiated data channels every peer connection carries for the stock protocol
// (reference §2.5): `__heartbeat__` (SCTP stream 0; the server sends PING, we answer PONG) and
// `__diagnostics__` (stream 1; text from the server is only logged).

#include <string>

#include "wasm/core/Json.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk::channels {

inline constexpr const char* kHeartbeat = "__heartbeat__";
inline constexpr const char* kDiagnostics = "__diagnostics__";

inline void open(PeerConnectionPort& pc) {
    pc.createDataChannel(kHeartbeat, 0);
    pc.createDataChannel(kDiagnostics, 1);
}

inline void onMessage(PeerConnectionPort& pc, const std::string& label, const std::string& text,
                      const LogFn& log) {
    if (label == kHeartbeat && text == "PING") {
        pc.sendOnChannel(kHeartbeat, "PONG");
    } else if (log) {
        std::string message = label;  // appended in place (size, bench/size/)
        message += ": ";
        message += text;
        log(LogLevel::Info, message);
    }
}

// mediaMetadata.dataChannels of offerSdp (docs/protocol.md): the channels above, from one
// literal (size: no objects built member by member, bench/size/).
inline Json metadata() {
    return *Json::parse(R"({"__heartbeat__":{"label":"__heartbeat__","streamId":0},)"
                        R"("__diagnostics__":{"label":"__diagnostics__","streamId":1}})");
}

}  // namespace sb::sdk::channels
