#pragma once
// What a caller asks CallControl to create, already validated (api/Validation.cpp parses the REST
// bodies into these; the demo app fills them itself).

#include <optional>
#include <string>

#include "server/state/Model.hpp"

namespace sb::session {

struct CreateParticipantRequest {
    std::optional<std::string> callbackUrl;
    state::PublishPermissions publishPermissions{true, true};  // default: audio and video
    std::optional<std::string> tag;
    std::string deviceApiVersion = "V3";
};

struct CreateSessionRequest {
    std::optional<std::string> tag;
};

}  // namespace sb::session
