#include "server/api/SessionErrorReply.hpp"

namespace sb::api {

namespace {
net::ErrorCode codeOf(session::SessionErrorKind kind) {
    switch (kind) {
        case session::SessionErrorKind::NotFound:
            return net::ErrorCode::NotFound;
        // A limit is a 409 too, rather than 429: the cap frees up only when the account deletes
        // something (or it expires), not by waiting and retrying, which is what 429 asks for.
        case session::SessionErrorKind::Conflict:
        case session::SessionErrorKind::LimitReached:
            return net::ErrorCode::Conflict;
    }
    return net::ErrorCode::Internal;
}
}  // namespace

net::HttpError toHttpError(const session::SessionError& e) {
    return {codeOf(e.kind()), e.what(), e.field()};
}

std::optional<net::HttpError> translateError(const std::exception& e) {
    if (const auto* refusal = dynamic_cast<const session::SessionError*>(&e))
        return toHttpError(*refusal);
    return std::nullopt;
}

}  // namespace sb::api
