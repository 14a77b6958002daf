#include "server/voice/VoiceErrors.hpp"

namespace sb::voice::errors {

using api::ApiError;
using api::ErrorCode;

ApiError callNotFound(const std::string& callId) {
    return {ErrorCode::NotFound, "Call " + callId + " was not found", "callId"};
}

ApiError destinationNotAllowed(const std::string& to) {
    return {ErrorCode::Forbidden,
            "Calls to " + to +
                " are not allowed for this account: the destination matches none of its allowed "
                "destination patterns",
            "to"};
}

ApiError callerIdNotAllowed(const std::string& from) {
    return {ErrorCode::Forbidden,
            "Caller id " + from +
                " is not allowed for this account: it matches none of its allowed caller ids",
            "from"};
}

ApiError tooManyConcurrentCalls(std::size_t limit) {
    ApiError e{ErrorCode::TooManyRequests, "This account already has the maximum of " +
                                               std::to_string(limit) +
                                               " calls in progress; retry when one has ended"};
    e.headers.emplace_back("Retry-After", "1");
    return e;
}

ApiError callRateExceeded(std::size_t perMinute, int retryAfterSeconds) {
    ApiError e{ErrorCode::TooManyRequests,
               "This account may start at most " + std::to_string(perMinute) +
                   " calls per minute; retry in " + std::to_string(retryAfterSeconds) + " s"};
    e.headers.emplace_back("Retry-After", std::to_string(retryAfterSeconds));
    return e;
}

ApiError callNotModifiable(const std::string& callId, const std::string& state,
                           const std::string& what) {
    return {ErrorCode::Conflict, "Call " + callId + " is " + state + ": " + what, "callId"};
}

ApiError callbackAddressNotAllowed(const std::string& field, const std::string& why) {
    return api::errors::invalidField(field, "is refused: its host is " + why);
}

ApiError placementFailed(const std::string& detail) {
    return {ErrorCode::Internal, "The call could not be placed: " + detail};
}

}  // namespace sb::voice::errors
