#include <nlohmann/json.hpp>

#include "protocol/SafeJson.hpp"
#include "server/api/RestApi.hpp"
#include "server/state/ModelJson.hpp"

namespace sb::api {

void addParticipantRoutes(net::Router& router, RestDeps deps) {
    const std::string base = std::string(kAccountPrefix) + "/participants";

    router.add("POST", base, "createParticipant", [deps](net::RequestContext& ctx) {
        const auto& account = authorize(ctx, deps);
        auto req = parseCreateParticipant(ctx.request().body);
        auto created = deps.calls.createParticipant(account, req);
        nlohmann::json body{{"participant", state::toJson(created.participant)},
                            {"token", created.token}};
        return net::HttpResponse::json(200, protocol::dumpJson(body));
    });

    router.add("GET", base + "/{participantId}", "getParticipant",
               [deps](net::RequestContext& ctx) {
                   const auto& account = authorize(ctx, deps);
                   auto p = deps.calls.participant(account, ctx.param("participantId"));
                   return net::HttpResponse::json(200, protocol::dumpJson(state::toJson(p)));
               });

    router.add("DELETE", base + "/{participantId}", "deleteParticipant",
               [deps](net::RequestContext& ctx) {
                   const auto& account = authorize(ctx, deps);
                   deps.calls.deleteParticipant(account, ctx.param("participantId"));
                   return net::HttpResponse::noContent();
               });
}

}  // namespace sb::api
