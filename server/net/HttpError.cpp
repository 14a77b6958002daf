#include "server/net/HttpError.hpp"

#include <nlohmann/json.hpp>

#include "protocol/SafeJson.hpp"

namespace sb::net {

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

HttpResponse errorResponse(const HttpError& e, const std::string& requestId) {
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

HttpError invalidJson(const std::string& detail) {
    return {ErrorCode::InvalidArgument, "Request body is not valid JSON: " + detail};
}
HttpError invalidField(const std::string& field, const std::string& message) {
    return {ErrorCode::InvalidArgument, field + ": " + message, field};
}
HttpError unauthorized() {
    HttpError e{ErrorCode::Unauthorized, "Unauthorized"};
    e.headers.emplace_back("WWW-Authenticate", "Basic realm=\"switchboard\", charset=\"UTF-8\"");
    return e;
}
HttpError forbiddenAccount() {
    return {ErrorCode::Forbidden, "These credentials do not give access to this account"};
}
HttpError accountNotFound(const std::string& accountId) {
    return {ErrorCode::Forbidden, "Account " + accountId + " is not served by this server"};
}
HttpError routeNotFound(const std::string& path) {
    return {ErrorCode::NotFound, "No such resource: " + path};
}
HttpError methodNotAllowed(const std::string& method, const std::string& allow) {
    HttpError e{ErrorCode::MethodNotAllowed, "Method " + method + " is not allowed here"};
    e.headers.emplace_back("Allow", allow);
    return e;
}
HttpError bodyTooLarge(std::size_t limit) {
    return {ErrorCode::PayloadTooLarge,
            "Request body is larger than the limit of " + std::to_string(limit) + " bytes"};
}
HttpError rateLimited(int retryAfterSeconds) {
    HttpError e{ErrorCode::TooManyRequests, "Too many requests for this account; retry later"};
    e.headers.emplace_back("Retry-After", std::to_string(retryAfterSeconds));
    return e;
}
HttpError internal() {
    return {ErrorCode::Internal, "Internal server error"};
}
// The offending bytes are not quoted back: they are what could not be represented.
HttpError invalidUtf8(const std::string& where) {
    return {ErrorCode::InvalidArgument, "The request " + where + " is not valid UTF-8"};
}
HttpError uriTooLong(std::size_t limit) {
    return {ErrorCode::UriTooLong,
            "The request target is longer than the limit of " + std::to_string(limit) + " bytes"};
}
HttpError headersTooLarge(std::size_t limit) {
    return {ErrorCode::HeadersTooLarge,
            "The request headers are larger than the limit of " + std::to_string(limit) + " bytes"};
}
HttpError authThrottled(std::int64_t retryAfterSeconds) {
    HttpError e{ErrorCode::TooManyRequests,
                "Too many failed authentication attempts from this address or for this "
                "account; retry after " +
                    std::to_string(retryAfterSeconds) + " seconds"};
    e.headers.emplace_back("Retry-After", std::to_string(retryAfterSeconds));
    return e;
}

}  // namespace errors
}  // namespace sb::net
