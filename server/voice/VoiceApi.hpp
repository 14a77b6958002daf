#pragma once
// The voice REST routes, shaped as Bandwidth's Voice API (createCall, getCallState, updateCall)
// under /v1/accounts/{accountId}/calls. Handlers: authorize → parse/validate → VoiceService →
// reply; every refusal is an ApiError naming the field.

#include <nlohmann/json.hpp>
#include <string_view>

#include "server/api/RestApi.hpp"
#include "server/voice/VoiceService.hpp"

namespace sb::voice {

constexpr std::size_t kMaxCreateCallTagLength = 4096;  // Bandwidth: tag max 4096 characters
constexpr std::size_t kMaxCallbackUrlLength = 2048;
constexpr std::size_t kMaxApplicationIdLength = 128;

// Body of POST …/calls: {from, to, answerUrl, answerMethod?, disconnectUrl?, disconnectMethod?,
// callTimeout?, tag?, uui?, applicationId?}. Other Bandwidth fields are accepted and ignored.
CreateCallRequest parseCreateCall(std::string_view body);
// Body of POST …/calls/{callId}: {state?: "active"|"completed", redirectUrl?, redirectMethod?, tag?}.
UpdateCallRequest parseUpdateCall(std::string_view body);

// 201 body of createCall (Bandwidth's CreateCallResponse).
nlohmann::json createCallResponse(const Call& call);
// 200 body of getCallState (Bandwidth's CallState; `state` in its vocabulary
// initiated|answered|disconnected; unknown values are null).
nlohmann::json callStateJson(const Call& call);

void addVoiceRoutes(api::Router& router, api::RestDeps deps, VoiceService& voice);

}  // namespace sb::voice
