#include "server/voice/VoiceErrors.hpp"

namespace sb::voice::errors {

using net::ErrorCode;
using net::HttpError;

HttpError callNotFound(const std::string& callId) {
    return {ErrorCode::NotFound, "Call " + callId + " was not found", "callId"};
}

HttpError destinationNotAllowed(const std::string& to) {
    return {ErrorCode::Forbidden,
            "Calls to " + to +
                " are not allowed for this account: the destination matches none of its allowed "
                "destination patterns",
            "to"};
}

HttpError callerIdNotAllowed(const std::string& from) {
    return {ErrorCode::Forbidden,
            "Caller id " + from +
                " is not allowed for this account: it matches none of its allowed caller ids",
            "from"};
}

HttpError tooManyConcurrentCalls(std::size_t limit) {
    HttpError e{ErrorCode::TooManyRequests, "This account already has the maximum of " +
                                                std::to_string(limit) +
                                                " calls in progress; retry when one has ended"};
    e.headers.emplace_back("Retry-After", "1");
    return e;
}

HttpError callRateExceeded(std::size_t perMinute, int retryAfterSeconds) {
    HttpError e{ErrorCode::TooManyRequests,
                "This account may start at most " + std::to_string(perMinute) +
                    " calls per minute; retry in " + std::to_string(retryAfterSeconds) + " s"};
    e.headers.emplace_back("Retry-After", std::to_string(retryAfterSeconds));
    return e;
}

HttpError callNotModifiable(const std::string& callId, const std::string& state,
                            const std::string& what) {
    return {ErrorCode::Conflict, "Call " + callId + " is " + state + ": " + what, "callId"};
}

HttpError callbackAddressNotAllowed(const std::string& field, const std::string& why) {
    return net::errors::invalidField(field, "is refused: its host is " + why);
}

HttpError placementFailed(const std::string& detail) {
    return {ErrorCode::Internal, "The call could not be placed: " + detail};
}

}  // namespace sb::voice::errors
