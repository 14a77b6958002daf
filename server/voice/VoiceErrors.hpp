#pragma once
// The voice API's error catalogue: every REST refusal of the voice routes is made here, as an
// api::ApiError, so Router::handle turns it into the usual reply.

#include <cstddef>
#include <string>

#include "server/api/ApiError.hpp"

namespace sb::voice::errors {

api::ApiError callNotFound(const std::string& callId);
// Toll-fraud protection (DESIGN.md): the destination matches none of the account's patterns.
api::ApiError destinationNotAllowed(const std::string& to);
api::ApiError callerIdNotAllowed(const std::string& from);
api::ApiError tooManyConcurrentCalls(std::size_t limit);
api::ApiError callRateExceeded(std::size_t perMinute, int retryAfterSeconds);
// The call's state does not allow the requested change (e.g. redirecting an ended call).
api::ApiError callNotModifiable(const std::string& callId, const std::string& state,
                                const std::string& what);
// A callback URL whose host is an IP literal in a range the account may not reach (OutboundPolicy).
api::ApiError callbackAddressNotAllowed(const std::string& field, const std::string& why);
// The SIP side refused to place the call.
api::ApiError placementFailed(const std::string& detail);

}  // namespace sb::voice::errors
