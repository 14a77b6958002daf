#pragma once
// The error type every HTTP handler throws; Router::handle turns it into a reply (the one place).
// Errors of lower layers (session::SessionError) reach it through the Router's translator.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "server/net/HttpTypes.hpp"

namespace sb::net {

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

class HttpError : public std::runtime_error {
  public:
    HttpError(ErrorCode code, const std::string& message, std::string field = {})
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
HttpResponse errorResponse(const HttpError& e, const std::string& requestId);

// The catalogue of the failures the HTTP framework and its handlers share; each module adds its
// own (voice/VoiceErrors.hpp, session/SessionError.hpp).
namespace errors {
HttpError invalidJson(const std::string& detail);
HttpError invalidField(const std::string& field, const std::string& message);
HttpError unauthorized();
HttpError forbiddenAccount();
HttpError accountNotFound(const std::string& accountId);
HttpError routeNotFound(const std::string& path);
HttpError methodNotAllowed(const std::string& method, const std::string& allow);
HttpError bodyTooLarge(std::size_t limit);
HttpError rateLimited(int retryAfterSeconds);
HttpError internal();
HttpError invalidUtf8(const std::string& where);
HttpError uriTooLong(std::size_t limit);
HttpError headersTooLarge(std::size_t limit);
HttpError authThrottled(std::int64_t retryAfterSeconds);
}  // namespace errors

}  // namespace sb::net
