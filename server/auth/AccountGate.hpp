#pragma once
// The check at the top of every account-scoped REST handler (call control, voice, recordings):
// the caller's credentials for the path's {accountId}, then the account's request rate.

#include <string>

#include "server/auth/BasicAuth.hpp"
#include "server/base/RateLimiter.hpp"
#include "server/net/RequestContext.hpp"

namespace sb::auth {

// The prefix of every account-scoped REST path; its {accountId} is what authorize() checks.
constexpr const char* kAccountPrefix = "/v1/accounts/{accountId}";

struct AccountGate {
    const AccountAuthenticator& auth;
    base::RateLimiter& limiter;

    // Throws 401/403/429 as net::HttpError; returns the path's account id.
    const std::string& authorize(net::RequestContext& ctx) const;
};

}  // namespace sb::auth
