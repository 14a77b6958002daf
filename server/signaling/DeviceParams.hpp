#pragma once
// The params of the device methods (docs/protocol.md "Methods"), read and checked: each throws a
// protocol::RpcError (InvalidParams, naming the member) for what a device may not send.

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "server/auth/TurnCredentials.hpp"

namespace sb::signaling {

// params[field], which must be an SDP description ("v=0…").
const std::string& sdpParam(const nlohmann::json& params, const char* field);
// offerSdp's mediaMetadata.mediaStreams: msid → alias (at most 256 bytes each).
std::map<std::string, std::string> streamAliases(const nlohmann::json& params);
// sendDtmf's tones: 1 to 32 of the insertDTMF characters, upper-cased.
std::string dtmfTones(const nlohmann::json& params);
// setStreamMuted's params (docs/protocol.md "Remote mute and active speaker").
struct StreamMute {
    std::string endpointId;  // 1 to 256 bytes
    std::string kind;        // "audio" | "video"
    bool muted = false;
};
StreamMute streamMuteParams(const nlohmann::json& params);
// setMediaPreferences' additive `resumable` (absent or null: false).
bool resumableParam(const nlohmann::json& params);
// setMediaPreferences' additive `iceServers`: a TURN credential for `participantId`, minted now.
nlohmann::json iceServersJson(const auth::TurnCredentials& turn, const std::string& participantId);

}  // namespace sb::signaling
