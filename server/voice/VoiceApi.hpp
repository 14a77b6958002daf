#pragma once
// The voice REST routes, shaped as Bandwidth's Voice API (bandwidth.yml: createCall, listCalls,
// getCallState, updateCall, updateCallBxml) under Bandwidth's own paths
// /api/v2/accounts/{accountId}/calls…, so that Bandwidth's SDKs work with only their base URL
// changed. /v1/accounts/{accountId}/calls… are kept as aliases (same handlers, our usual error
// bodies). Handlers: authorize → parse/validate → VoiceService → reply; every refusal is an
// HttpError naming the field. The /api/v2 routes add Bandwidth's error fields (`type`,
// `description`, `id`: what the SDKs' error classes read) to our usual error body.

#include <nlohmann/json.hpp>
#include <string_view>

#include "server/auth/AccountGate.hpp"
#include "server/net/Router.hpp"
#include "server/voice/VoiceService.hpp"

namespace sb::voice {

constexpr std::size_t kMaxCreateCallTagLength = 4096;  // Bandwidth: tag max 4096 characters
constexpr std::size_t kMaxCallbackUrlLength = 2048;    // Bandwidth: answerUrl & co. max 2048
constexpr std::size_t kMaxApplicationIdLength = 128;
constexpr std::size_t kMaxDisplayNameLength = 256;          // Bandwidth: displayName max 256
constexpr std::size_t kMaxCallbackCredentialLength = 1024;  // Bandwidth: username/password max 1024
constexpr std::size_t kMaxListQueryLength = 4096;
constexpr const char* kVoiceV2Prefix = "/api/v2/accounts/{accountId}";

// Body of POST …/calls (bandwidth.yml `createCall`). Unknown fields, `machineDetection` and
// `privacy: true` are refused (400 naming the field).
CreateCallRequest parseCreateCall(std::string_view body);
// Body of POST …/calls/{callId} (bandwidth.yml `updateCall`).
UpdateCallRequest parseUpdateCall(std::string_view body);
// Query of GET …/calls (bandwidth.yml `listCalls`).
CallFilter parseListCalls(const std::string& query);
// Body of PUT …/calls/{callId}/bxml: the BXML document. @bandwidth/voice 5 sends it as a JSON
// string literal (its modifyCallBxml JSON-encodes the string) with Content-Type application/xml;
// both that and the plain document are accepted. Throws 400 if it is not valid BXML.
std::string parseBxmlBody(const std::string& body);

// 201 body of createCall (Bandwidth's createCallResponse).
nlohmann::json createCallResponse(const Call& call);
// 200 body of getCallState (Bandwidth's callState; `state` in its vocabulary
// initiated|answered|disconnected).
nlohmann::json callStateJson(const Call& call);

void addVoiceRoutes(net::Router& router, auth::AccountGate gate, VoiceService& voice);

// conf (issue 9)
// Adds Bandwidth's error fields (`type`, `description`, `id`) to a handler's HttpError replies.
net::Handler bandwidthShaped(net::Handler handler);
// True for application/xml and text/xml (with or without parameters).
bool isXmlContentType(const std::string& contentType);
// The conferences routes (ConferencesApi.cpp) over voice.conferences().
void addConferenceRoutes(net::Router& router, auth::AccountGate gate, VoiceService& voice);

}  // namespace sb::voice
