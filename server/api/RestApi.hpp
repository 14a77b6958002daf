#pragma once
// Registration of the call-control REST API of reference §4.2 under /v1/accounts/{accountId}/.
// Every handler has the same shape: authorize → parse/validate → CallControl → reply.

#include "server/api/BasicAuth.hpp"
#include "server/api/CallControl.hpp"
#include "server/api/RequestContext.hpp"
#include "server/api/Router.hpp"
#include "server/ops/RateLimiter.hpp"

namespace sb::api {

struct RestDeps {
    CallControl& calls;
    const AccountAuthenticator& auth;
    ops::RateLimiter& limiter;
};

constexpr const char* kAccountPrefix = "/v1/accounts/{accountId}";

// Checks credentials for the path's account and its request rate; returns the account id.
const std::string& authorize(RequestContext& ctx, const RestDeps& deps);

void addParticipantRoutes(Router& router, RestDeps deps);
void addSessionRoutes(Router& router, RestDeps deps);

inline void addRestApi(Router& router, RestDeps deps) {
    addParticipantRoutes(router, deps);
    addSessionRoutes(router, deps);
}

}  // namespace sb::api
