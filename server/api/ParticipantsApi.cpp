#include <nlohmann/json.hpp>

#include "protocol/SafeJson.hpp"
#include "server/api/RestApi.hpp"
#include "server/state/ModelJson.hpp"
#include "server/voice/VoiceErrors.hpp"

namespace sb::api {

void addParticipantRoutes(net::Router& router, RestDeps deps) {
    const std::string base = std::string(kAccountPrefix) + "/participants";

    router.add("POST", base, "createParticipant", [deps](net::RequestContext& ctx) {
        const auto& account = authorize(ctx, deps);
        auto req = parseCreateParticipant(ctx.request().body);
        // Participant webhooks go through the outbound policy (docs/security.md): an address
        // literal the account may not reach would never be delivered, so it is refused now.
        if (req.callbackUrl) {
            auto why = deps.outbound
                           ? deps.outbound->literalRefusal(account, *req.callbackUrl)
                           : voice::OutboundPolicy().literalRefusal(account, *req.callbackUrl);
            if (why) throw voice::errors::callbackAddressNotAllowed("callbackUrl", *why);
        }
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

    // Token refresh (an addition to Bandwidth's API, in /openapi.json): a new device token for a
    // participant whose devices must stay connected past the first token's expiry.
    router.add("POST", base + "/{participantId}/tokens", "createParticipantToken",
               [deps](net::RequestContext& ctx) {
                   const auto& account = authorize(ctx, deps);
                   auto token = deps.calls.mintToken(account, ctx.param("participantId"));
                   return net::HttpResponse::json(
                       200, protocol::dumpJson(nlohmann::json{{"token", token}}));
               });

    router.add("DELETE", base + "/{participantId}", "deleteParticipant",
               [deps](net::RequestContext& ctx) {
                   const auto& account = authorize(ctx, deps);
                   deps.calls.deleteParticipant(account, ctx.param("participantId"));
                   return net::HttpResponse::noContent();
               });
}

}  // namespace sb::api
