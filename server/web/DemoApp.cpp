#include "server/web/DemoApp.hpp"

#include <nlohmann/json.hpp>

#include "server/api/ApiError.hpp"
#include "server/api/RequestContext.hpp"

namespace sb::web {

std::string DemoApp::demoSession() {
    std::lock_guard lock(mutex_);
    if (!sessionId_.empty()) {
        try {
            calls_.session(config_.accountId, sessionId_);
            return sessionId_;
        } catch (const api::ApiError&) {
            // expired or deleted: start a new one
        }
    }
    api::CreateSessionRequest req;
    req.tag = "demo";
    sessionId_ = calls_.createSession(config_.accountId, req).id;
    return sessionId_;
}

void DemoApp::addRoutes(api::Router& router) {
    router.add("POST", "/demo/join", "demoJoin", [this](api::RequestContext& ctx) {
        if (!limiter_.allow("demo")) throw api::errors::rateLimited(1);
        std::optional<std::string> name;
        if (!ctx.request().body.empty()) {
            auto body = nlohmann::json::parse(ctx.request().body, nullptr, false);
            if (body.is_discarded() || !body.is_object()) throw api::errors::invalidJson("expected an object");
            if (body.contains("name") && body["name"].is_string()) name = body["name"].get<std::string>().substr(0, 50);
        }
        auto sessionId = demoSession();
        api::CreateParticipantRequest req;
        req.tag = name;
        auto created = calls_.createParticipant(config_.accountId, req);
        calls_.addParticipantToSession(config_.accountId, sessionId, created.participant.id,
                                       state::Subscriptions{sessionId, {}});
        nlohmann::json out{{"token", created.token},
                           {"participantId", created.participant.id},
                           {"sessionId", sessionId}};
        return api::HttpResponse::json(200, out.dump());
    });
}

}  // namespace sb::web
