#include "server/api/RestApi.hpp"

#include "server/auth/AccountGate.hpp"

namespace sb::api {

const std::string& authorize(net::RequestContext& ctx, const RestDeps& deps) {
    return auth::AccountGate{deps.auth, deps.limiter}.authorize(ctx);
}

}  // namespace sb::api
