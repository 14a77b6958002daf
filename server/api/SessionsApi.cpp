#include <nlohmann/json.hpp>

#include "protocol/SafeJson.hpp"
#include "server/api/RestApi.hpp"
#include "server/state/ModelJson.hpp"

namespace sb::api {

void addSessionRoutes(Router& router, RestDeps deps) {
    const std::string base = std::string(kAccountPrefix) + "/sessions";
    const std::string member = base + "/{sessionId}/participants/{participantId}";

    router.add("POST", base, "createSession", [deps](RequestContext& ctx) {
        const auto& account = authorize(ctx, deps);
        auto s = deps.calls.createSession(account, parseCreateSession(ctx.request().body));
        return HttpResponse::json(200, protocol::dumpJson(state::toJson(s)));
    });

    router.add("GET", base + "/{sessionId}", "getSession", [deps](RequestContext& ctx) {
        const auto& account = authorize(ctx, deps);
        return HttpResponse::json(
            200,
            protocol::dumpJson(state::toJson(deps.calls.session(account, ctx.param("sessionId")))));
    });

    router.add("DELETE", base + "/{sessionId}", "deleteSession", [deps](RequestContext& ctx) {
        const auto& account = authorize(ctx, deps);
        deps.calls.deleteSession(account, ctx.param("sessionId"));
        return HttpResponse::noContent();
    });

    router.add(
        "GET", base + "/{sessionId}/participants", "listSessionParticipants",
        [deps](RequestContext& ctx) {
            const auto& account = authorize(ctx, deps);
            nlohmann::json list = nlohmann::json::array();
            for (const auto& p : deps.calls.sessionParticipants(account, ctx.param("sessionId")))
                list.push_back(state::toJson(p));
            return HttpResponse::json(200, protocol::dumpJson(list));
        });

    router.add("PUT", member, "addParticipantToSession", [deps](RequestContext& ctx) {
        const auto& account = authorize(ctx, deps);
        const auto& sid = ctx.param("sessionId");
        auto subs = parseSubscriptions(ctx.request().body, sid);
        deps.calls.addParticipantToSession(account, sid, ctx.param("participantId"), subs);
        return HttpResponse::noContent();
    });

    router.add("DELETE", member, "removeParticipantFromSession", [deps](RequestContext& ctx) {
        const auto& account = authorize(ctx, deps);
        deps.calls.removeParticipantFromSession(account, ctx.param("sessionId"),
                                                ctx.param("participantId"));
        return HttpResponse::noContent();
    });

    router.add("GET", member + "/subscriptions", "getParticipantSubscriptions",
               [deps](RequestContext& ctx) {
                   const auto& account = authorize(ctx, deps);
                   auto subs = deps.calls.subscriptions(account, ctx.param("sessionId"),
                                                        ctx.param("participantId"));
                   return HttpResponse::json(200, protocol::dumpJson(state::toJson(subs)));
               });

    router.add("PUT", member + "/subscriptions", "updateParticipantSubscriptions",
               [deps](RequestContext& ctx) {
                   const auto& account = authorize(ctx, deps);
                   const auto& sid = ctx.param("sessionId");
                   auto subs = parseSubscriptions(ctx.request().body, sid);
                   deps.calls.updateSubscriptions(account, sid, ctx.param("participantId"), subs);
                   return HttpResponse::noContent();
               });
}

}  // namespace sb::api
