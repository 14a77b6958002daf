#pragma once
// Parsing and validation of the participants and sessions REST bodies (reference §4.2–4.3), with
// the body and field readers of JsonBody.hpp. Every rejection is an HttpError naming the offending
// field; nothing is changed when a body is rejected.

#include <optional>
#include <string>
#include <string_view>

#include "server/session/Requests.hpp"
#include "server/state/Model.hpp"

namespace sb::api {

constexpr std::size_t kMaxTagLength = 50;  // reference §4.7
constexpr std::size_t kMaxCallbackUrlLength = 2048;
constexpr std::size_t kMaxIdLength = 128;
constexpr std::size_t kMaxAliasLength = 256;
constexpr std::size_t kMaxSubscribedParticipants = 100;
constexpr std::size_t kMaxAliasesPerParticipant = 32;

// An empty body means "all defaults".
session::CreateParticipantRequest parseCreateParticipant(std::string_view body);
session::CreateSessionRequest parseCreateSession(std::string_view body);
// An empty body means "no subscriptions". `pathSessionId` is the session of the URL; a body
// `sessionId` must name the same session.
std::optional<state::Subscriptions> parseSubscriptions(std::string_view body,
                                                       const std::string& pathSessionId);

}  // namespace sb::api
