#include "server/signaling/DeviceParams.hpp"

#include <cctype>
#include <chrono>

#include "protocol/JsonRpc.hpp"

namespace sb::signaling {

using nlohmann::json;
using protocol::RpcError;
using protocol::RpcErrorCode;

const std::string& sdpParam(const json& params, const char* field) {
    const auto& sdp = protocol::requireString(params, field);
    if (sdp.rfind("v=0", 0) != 0)
        throw RpcError(RpcErrorCode::InvalidParams,
                       std::string(field) + " is not an SDP description", field);
    return sdp;
}

std::map<std::string, std::string> streamAliases(const json& params) {
    std::map<std::string, std::string> aliases;
    const auto* meta = protocol::optionalObject(params, "mediaMetadata");
    const auto* streams = meta ? protocol::optionalObject(*meta, "mediaStreams") : nullptr;
    if (!streams) return aliases;
    for (const auto& [msid, info] : streams->items()) {
        if (!info.is_object())
            throw RpcError(RpcErrorCode::InvalidParams, "mediaStreams entries must be objects",
                           "mediaMetadata.mediaStreams");
        auto alias = info.find("alias");
        if (alias == info.end() || alias->is_null()) continue;
        if (!alias->is_string() || alias->get_ref<const std::string&>().size() > 256)
            throw RpcError(RpcErrorCode::InvalidParams,
                           "alias must be a string of at most 256 bytes",
                           "mediaMetadata.mediaStreams." + msid + ".alias");
        aliases[msid] = *alias;
    }
    return aliases;
}

std::string dtmfTones(const json& params) {
    const auto& tones = protocol::requireString(params, "tones");
    // The characters of RTCDTMFSender.insertDTMF (W3C WebRTC §7.2), ',' being a 2 s pause there
    // and a 500 ms pause towards the phone.
    bool valid = !tones.empty() && tones.size() <= 32 &&
                 tones.find_first_not_of("0123456789*#ABCDabcd,") == std::string::npos;
    if (!valid)
        throw RpcError(RpcErrorCode::InvalidParams, "tones must be 1 to 32 of 0-9 * # A-D ,",
                       "tones");
    std::string upper = tones;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return upper;
}

StreamMute streamMuteParams(const json& params) {
    StreamMute m{protocol::requireString(params, "endpointId"),
                 protocol::requireString(params, "kind")};
    if (m.endpointId.empty() || m.endpointId.size() > 256)
        throw RpcError(RpcErrorCode::InvalidParams, "endpointId must be 1 to 256 bytes",
                       "endpointId");
    if (m.kind != "audio" && m.kind != "video")
        throw RpcError(RpcErrorCode::InvalidParams, "kind must be \"audio\" or \"video\"", "kind");
    auto muted = params.find("muted");
    if (muted == params.end() || !muted->is_boolean())
        throw RpcError(RpcErrorCode::InvalidParams, "muted must be a boolean", "muted");
    m.muted = muted->get<bool>();
    return m;
}

bool resumableParam(const json& params) {
    if (!params.is_object()) return false;
    auto it = params.find("resumable");
    if (it == params.end() || it->is_null()) return false;
    if (!it->is_boolean())
        throw RpcError(RpcErrorCode::InvalidParams, "resumable must be a boolean", "resumable");
    return it->get<bool>();
}

json iceServersJson(const auth::TurnCredentials& turn, const std::string& participantId) {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    auto server = turn.mint(participantId, now);
    return json::array({json{
        {"urls", server.urls}, {"username", server.username}, {"credential", server.credential}}});
}

}  // namespace sb::signaling
