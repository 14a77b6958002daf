#include <nlohmann/json.hpp>

#include "protocol/SafeJson.hpp"
#include "server/api/RestApi.hpp"
#include "server/state/ModelJson.hpp"

namespace sb::api {

void addSessionRoutes(net::Router& router, RestDeps deps) {
    const std::string base = std::string(kAccountPrefix) + "/sessions";
    const std::string member = base + "/{sessionId}/participants/{participantId}";

    router.add("POST", base, "createSession", [deps](net::RequestContext& ctx) {
        const auto& account = authorize(ctx, deps);
        auto s = deps.calls.createSession(account, parseCreateSession(ctx.request().body));
        return net::HttpResponse::json(200, protocol::dumpJson(state::toJson(s)));
    });

    router.add("GET", base + "/{sessionId}", "getSession", [deps](net::RequestContext& ctx) {
        const auto& account = authorize(ctx, deps);
        return net::HttpResponse::json(
            200,
            protocol::dumpJson(state::toJson(deps.calls.session(account, ctx.param("sessionId")))));
    });

    router.add("DELETE", base + "/{sessionId}", "deleteSession", [deps](net::RequestContext& ctx) {
        const auto& account = authorize(ctx, deps);
        deps.calls.deleteSession(account, ctx.param("sessionId"));
        return net::HttpResponse::noContent();
    });

    router.add(
        "GET", base + "/{sessionId}/participants", "listSessionParticipants",
        [deps](net::RequestContext& ctx) {
            const auto& account = authorize(ctx, deps);
            nlohmann::json list = nlohmann::json::array();
            for (const auto& p : deps.calls.sessionParticipants(account, ctx.param("sessionId")))
                list.push_back(state::toJson(p));
            return net::HttpResponse::json(200, protocol::dumpJson(list));
        });

    router.add("PUT", member, "addParticipantToSession", [deps](net::RequestContext& ctx) {
        const auto& account = authorize(ctx, deps);
        const auto& sid = ctx.param("sessionId");
        auto subs = parseSubscriptions(ctx.request().body, sid);
        deps.calls.addParticipantToSession(account, sid, ctx.param("participantId"), subs);
        return net::HttpResponse::noContent();
    });

    router.add("DELETE", member, "removeParticipantFromSession", [deps](net::RequestContext& ctx) {
        const auto& account = authorize(ctx, deps);
        deps.calls.removeParticipantFromSession(account, ctx.param("sessionId"),
                                                ctx.param("participantId"));
        return net::HttpResponse::noContent();
    });

    router.add("GET", member + "/subscriptions", "getParticipantSubscriptions",
               [deps](net::RequestContext& ctx) {
                   const auto& account = authorize(ctx, deps);
                   auto subs = deps.calls.subscriptions(account, ctx.param("sessionId"),
                                                        ctx.param("participantId"));
                   return net::HttpResponse::json(200, protocol::dumpJson(state::toJson(subs)));
               });

    router.add("PUT", member + "/subscriptions", "updateParticipantSubscriptions",
               [deps](net::RequestContext& ctx) {
                   const auto& account = authorize(ctx, deps);
                   const auto& sid = ctx.param("sessionId");
                   auto subs = parseSubscriptions(ctx.request().body, sid);
                   deps.calls.updateSubscriptions(account, sid, ctx.param("participantId"), subs);
                   return net::HttpResponse::noContent();
               });
}

}  // namespace sb::api
