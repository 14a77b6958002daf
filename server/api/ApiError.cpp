#include "server/api/ApiError.hpp"

#include <nlohmann/json.hpp>

#include "protocol/SafeJson.hpp"

namespace sb::api {

int httpStatus(ErrorCode code) {
    switch (code) {
        case ErrorCode::InvalidArgument:
            return 400;
        case ErrorCode::Unauthorized:
            return 401;
        case ErrorCode::Forbidden:
            return 403;
        case ErrorCode::NotFound:
            return 404;
        case ErrorCode::MethodNotAllowed:
            return 405;
        case ErrorCode::Conflict:
            return 409;
        case ErrorCode::RangeNotSatisfiable:
            return 416;
        case ErrorCode::PayloadTooLarge:
            return 413;
        case ErrorCode::UnsupportedMediaType:
            return 415;
        case ErrorCode::UriTooLong:
            return 414;
        case ErrorCode::TooManyRequests:
            return 429;
        case ErrorCode::HeadersTooLarge:
            return 431;
        case ErrorCode::Internal:
            return 500;
    }
    return 500;
}

const char* errorCodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::InvalidArgument:
            return "invalid_argument";
        case ErrorCode::Unauthorized:
            return "unauthorized";
        case ErrorCode::Forbidden:
            return "forbidden";
        case ErrorCode::NotFound:
            return "not_found";
        case ErrorCode::MethodNotAllowed:
            return "method_not_allowed";
        case ErrorCode::Conflict:
            return "conflict";
        case ErrorCode::RangeNotSatisfiable:
            return "range_not_satisfiable";
        case ErrorCode::PayloadTooLarge:
            return "payload_too_large";
        case ErrorCode::UnsupportedMediaType:
            return "unsupported_media_type";
        case ErrorCode::UriTooLong:
            return "uri_too_long";
        case ErrorCode::TooManyRequests:
            return "too_many_requests";
        case ErrorCode::HeadersTooLarge:
            return "headers_too_large";
        case ErrorCode::Internal:
            return "internal";
    }
    return "internal";
}

HttpResponse errorResponse(const ApiError& e, const std::string& requestId) {
    nlohmann::json body;
    bool authError = e.code() == ErrorCode::Unauthorized || e.code() == ErrorCode::Forbidden;
    body[authError ? "message" : "error"] = e.what();
    body["code"] = errorCodeName(e.code());
    if (!e.field().empty()) body["field"] = e.field();
    body["requestId"] = requestId;
    auto r = HttpResponse::json(httpStatus(e.code()), protocol::dumpJson(body));
    r.headers = e.headers;
    return r;
}

namespace errors {

ApiError invalidJson(const std::string& detail) {
    return {ErrorCode::InvalidArgument, "Request body is not valid JSON: " + detail};
}
ApiError invalidField(const std::string& field, const std::string& message) {
    return {ErrorCode::InvalidArgument, field + ": " + message, field};
}
ApiError unauthorized() {
    ApiError e{ErrorCode::Unauthorized, "Unauthorized"};
    e.headers.emplace_back("WWW-Authenticate", "Basic realm=\"switchboard\", charset=\"UTF-8\"");
    return e;
}
ApiError forbiddenAccount() {
    return {ErrorCode::Forbidden, "These credentials do not give access to this account"};
}
ApiError accountNotFound(const std::string& accountId) {
    return {ErrorCode::Forbidden, "Account " + accountId + " is not served by this server"};
}
ApiError sessionNotFound(const std::string& sessionId) {
    return {ErrorCode::NotFound, "Session " + sessionId + " was not found", "sessionId"};
}
ApiError participantNotFound(const std::string& participantId) {
    return {ErrorCode::NotFound, "Participant " + participantId + " was not found",
            "participantId"};
}
ApiError participantNotInSession(const std::string& participantId, const std::string& sessionId) {
    return {ErrorCode::NotFound, "Participant " + participantId + " is not in session " + sessionId,
            "participantId"};
}
ApiError participantInOtherSession(const std::string& participantId) {
    return {ErrorCode::Conflict,
            "Participant " + participantId +
                " is already in another session; a participant belongs to at most one session",
            "participantId"};
}
ApiError sessionFull(const std::string& sessionId, std::size_t limit) {
    return {ErrorCode::Conflict,
            "Session " + sessionId + " already has the maximum of " + std::to_string(limit) +
                " participants",
            "sessionId"};
}
// 409 rather than 429: the cap frees up only when the account deletes something (or it expires),
// not by waiting and retrying, which is what 429 asks for.
ApiError tooManySessions(std::size_t limit) {
    return {ErrorCode::Conflict,
            "This account already has the maximum of " + std::to_string(limit) +
                " sessions; delete a session (or wait for one to expire) before creating another"};
}
ApiError tooManyParticipants(std::size_t limit) {
    return {ErrorCode::Conflict, "This account already has the maximum of " +
                                     std::to_string(limit) +
                                     " participants; delete a participant (or wait for one to "
                                     "expire) before creating another"};
}
ApiError routeNotFound(const std::string& path) {
    return {ErrorCode::NotFound, "No such resource: " + path};
}
ApiError methodNotAllowed(const std::string& method, const std::string& allow) {
    ApiError e{ErrorCode::MethodNotAllowed, "Method " + method + " is not allowed here"};
    e.headers.emplace_back("Allow", allow);
    return e;
}
ApiError bodyTooLarge(std::size_t limit) {
    return {ErrorCode::PayloadTooLarge,
            "Request body is larger than the limit of " + std::to_string(limit) + " bytes"};
}
ApiError rateLimited(int retryAfterSeconds) {
    ApiError e{ErrorCode::TooManyRequests, "Too many requests for this account; retry later"};
    e.headers.emplace_back("Retry-After", std::to_string(retryAfterSeconds));
    return e;
}
ApiError internal() {
    return {ErrorCode::Internal, "Internal server error"};
}
// The offending bytes are not quoted back: they are what could not be represented.
ApiError invalidUtf8(const std::string& where) {
    return {ErrorCode::InvalidArgument, "The request " + where + " is not valid UTF-8"};
}
ApiError uriTooLong(std::size_t limit) {
    return {ErrorCode::UriTooLong,
            "The request target is longer than the limit of " + std::to_string(limit) + " bytes"};
}
ApiError headersTooLarge(std::size_t limit) {
    return {ErrorCode::HeadersTooLarge,
            "The request headers are larger than the limit of " + std::to_string(limit) + " bytes"};
}
ApiError authThrottled(std::int64_t retryAfterSeconds) {
    ApiError e{ErrorCode::TooManyRequests,
               "Too many failed authentication attempts from this address or for this "
               "account; retry after " +
                   std::to_string(retryAfterSeconds) + " seconds"};
    e.headers.emplace_back("Retry-After", std::to_string(retryAfterSeconds));
    return e;
}

}  // namespace errors
}  // namespace sb::api
