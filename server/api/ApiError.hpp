#pragma once
// The error type every REST handler throws; Router::handle turns it into a reply (the one place).

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "server/api/HttpTypes.hpp"

namespace sb::api {

enum class ErrorCode {
    InvalidArgument,       // 400
    Unauthorized,          // 401
    Forbidden,             // 403
    NotFound,              // 404
    MethodNotAllowed,      // 405
    Conflict,              // 409
    PayloadTooLarge,       // 413
    UnsupportedMediaType,  // 415
    UriTooLong,            // 414
    TooManyRequests,       // 429
    HeadersTooLarge,       // 431 (RFC 6585 §5)
    RangeNotSatisfiable,   // 416 (RFC 9110 §15.5.17)
    Internal,              // 500
};

int httpStatus(ErrorCode code);
const char* errorCodeName(ErrorCode code);

class ApiError : public std::runtime_error {
  public:
    ApiError(ErrorCode code, const std::string& message, std::string field = {})
        : std::runtime_error(message), code_(code), field_(std::move(field)) {}
    ErrorCode code() const { return code_; }
    const std::string& field() const { return field_; }
    std::vector<std::pair<std::string, std::string>> headers;

  private:
    ErrorCode code_;
    std::string field_;
};

// The JSON body and status for an error, in the shapes of reference §4.1: 401/403 carry
// `message`, the others `error`; all carry `code`, `requestId` and, for bad input, `field`.
HttpResponse errorResponse(const ApiError& e, const std::string& requestId);

// The error catalogue: every REST failure is made by one of these.
namespace errors {
ApiError invalidJson(const std::string& detail);
ApiError invalidField(const std::string& field, const std::string& message);
ApiError unauthorized();
ApiError forbiddenAccount();
ApiError accountNotFound(const std::string& accountId);
ApiError sessionNotFound(const std::string& sessionId);
ApiError participantNotFound(const std::string& participantId);
ApiError participantNotInSession(const std::string& participantId, const std::string& sessionId);
ApiError participantInOtherSession(const std::string& participantId);
ApiError sessionFull(const std::string& sessionId, std::size_t limit);
ApiError tooManySessions(std::size_t limit);
ApiError tooManyParticipants(std::size_t limit);
ApiError routeNotFound(const std::string& path);
ApiError methodNotAllowed(const std::string& method, const std::string& allow);
ApiError bodyTooLarge(std::size_t limit);
ApiError rateLimited(int retryAfterSeconds);
ApiError internal();
ApiError invalidUtf8(const std::string& where);
ApiError uriTooLong(std::size_t limit);
ApiError headersTooLarge(std::size_t limit);
ApiError authThrottled(std::int64_t retryAfterSeconds);
}  // namespace errors

}  // namespace sb::api
