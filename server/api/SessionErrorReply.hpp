#pragma once
// The REST replies of the session rules' refusals: the Router's translator (net::ErrorTranslator),
// so that a SessionError thrown under any handler (REST, demo app) answers the same status and
// body.

#include <exception>
#include <optional>

#include "server/net/HttpError.hpp"
#include "server/session/SessionError.hpp"

namespace sb::api {

net::HttpError toHttpError(const session::SessionError& e);
// toHttpError for a SessionError; nullopt for anything else.
std::optional<net::HttpError> translateError(const std::exception& e);

}  // namespace sb::api
