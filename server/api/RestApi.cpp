#include "server/api/RestApi.hpp"

#include "server/api/ApiError.hpp"

namespace sb::api {

const std::string& authorize(RequestContext& ctx, const RestDeps& deps) {
    const auto& accountId = ctx.param("accountId");
    deps.auth.authorize(ctx.request().authorization, accountId, ctx.request().remoteAddress);
    if (!deps.limiter.allow(accountId)) throw errors::rateLimited(1);
    return accountId;
}

}  // namespace sb::api
