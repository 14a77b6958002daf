#pragma once
// Registration of the call-control REST API of reference §4.2 under /v1/accounts/{accountId}/.
// Every handler has the same shape: authorize → parse/validate → CallControl → reply.

#include "server/api/Validation.hpp"
#include "server/auth/AccountGate.hpp"
#include "server/auth/BasicAuth.hpp"
#include "server/base/RateLimiter.hpp"
#include "server/net/RequestContext.hpp"
#include "server/net/Router.hpp"
#include "server/session/CallControl.hpp"
#include "server/voice/OutboundPolicy.hpp"

namespace sb::api {

struct RestDeps {
    session::CallControl& calls;
    const auth::AccountAuthenticator& auth;
    base::RateLimiter& limiter;
    // Which addresses each account's callbacks may reach: a participant's callbackUrl whose host
    // is an address literal the account may not reach is refused when given. Null: public only.
    std::shared_ptr<const voice::OutboundPolicy> outbound = {};
};

constexpr const char* kAccountPrefix = auth::kAccountPrefix;

// Checks credentials for the path's account and its request rate; returns the account id.
const std::string& authorize(net::RequestContext& ctx, const RestDeps& deps);

void addParticipantRoutes(net::Router& router, RestDeps deps);
void addSessionRoutes(net::Router& router, RestDeps deps);

inline void addRestApi(net::Router& router, const RestDeps& deps) {
    addParticipantRoutes(router, deps);
    addSessionRoutes(router, deps);
}

}  // namespace sb::api
