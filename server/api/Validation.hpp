#pragma once
// Parsing and validation of REST request bodies (reference §4.2–4.3). Every rejection is an
// ApiError naming the offending field; nothing is changed when a body is rejected.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "server/state/Model.hpp"

namespace sb::api {

constexpr std::size_t kMaxTagLength = 50;            // reference §4.7
constexpr std::size_t kMaxCallbackUrlLength = 2048;
constexpr std::size_t kMaxIdLength = 128;
constexpr std::size_t kMaxAliasLength = 256;
constexpr std::size_t kMaxSubscribedParticipants = 100;
constexpr std::size_t kMaxAliasesPerParticipant = 32;

struct CreateParticipantRequest {
    std::optional<std::string> callbackUrl;
    state::PublishPermissions publishPermissions{true, true};  // default: audio and video
    std::optional<std::string> tag;
    std::string deviceApiVersion = "V3";
};

struct CreateSessionRequest {
    std::optional<std::string> tag;
};

// An empty body means "all defaults".
CreateParticipantRequest parseCreateParticipant(std::string_view body);
CreateSessionRequest parseCreateSession(std::string_view body);
// An empty body means "no subscriptions". `pathSessionId` is the session of the URL; a body
// `sessionId` must name the same session.
std::optional<state::Subscriptions> parseSubscriptions(std::string_view body,
                                                       const std::string& pathSessionId);

// Only spaces, tabs and line ends (a body that means "all defaults", or a missing one).
bool isBlank(std::string_view body);
// A request body that must be one JSON object (the REST APIs' and the Voice API's); an
// invalid-json ApiError saying where the syntax breaks, or what was found instead, otherwise.
nlohmann::json parseObject(std::string_view body);

// Number of Unicode code points in valid UTF-8, or nullopt if `s` is not valid UTF-8.
std::optional<std::size_t> utf8Length(std::string_view s);

}  // namespace sb::api
