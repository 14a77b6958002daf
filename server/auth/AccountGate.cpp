#include "server/auth/AccountGate.hpp"

#include "server/net/HttpError.hpp"

namespace sb::auth {

const std::string& AccountGate::authorize(net::RequestContext& ctx) const {
    const auto& accountId = ctx.param("accountId");
    auth.authorize(ctx.request().authorization, accountId, ctx.request().remoteAddress);
    if (!limiter.allow(accountId)) throw net::errors::rateLimited(1);
    return accountId;
}

}  // namespace sb::auth
