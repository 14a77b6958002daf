#pragma once
// The voice API's error catalogue: every REST refusal of the voice routes is made here, as an
// net::HttpError, so Router::handle turns it into the usual reply.

#include <cstddef>
#include <string>

#include "server/net/HttpError.hpp"

namespace sb::voice::errors {

net::HttpError callNotFound(const std::string& callId);
// Toll-fraud protection (DESIGN.md): the destination matches none of the account's patterns.
net::HttpError destinationNotAllowed(const std::string& to);
net::HttpError callerIdNotAllowed(const std::string& from);
net::HttpError tooManyConcurrentCalls(std::size_t limit);
net::HttpError callRateExceeded(std::size_t perMinute, int retryAfterSeconds);
// The call's state does not allow the requested change (e.g. redirecting an ended call).
net::HttpError callNotModifiable(const std::string& callId, const std::string& state,
                                 const std::string& what);
// A callback URL whose host is an IP literal in a range the account may not reach (OutboundPolicy).
net::HttpError callbackAddressNotAllowed(const std::string& field, const std::string& why);
// The SIP side refused to place the call.
net::HttpError placementFailed(const std::string& detail);

}  // namespace sb::voice::errors
