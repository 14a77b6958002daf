#include "server/web/DemoApp.hpp"

#include <nlohmann/json.hpp>

#include "server/api/ApiError.hpp"
#include "server/api/RequestContext.hpp"
#include "server/voice/TransferBxml.hpp"

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

api::CreatedParticipant DemoApp::phoneParticipant(const std::string& tag) {
    auto sessionId = demoSession();
    api::CreateParticipantRequest req;
    req.tag = tag;
    req.publishPermissions = {true, false};
    auto created = calls_.createParticipant(config_.accountId, req);
    calls_.addParticipantToSession(config_.accountId, sessionId, created.participant.id, state::Subscriptions{sessionId, {}});
    return created;
}

void DemoApp::addRoutes(api::Router& router) {
    router.add("POST", "/demo/call", "demoCall", [this](api::RequestContext& ctx) {
        if (!limiter_.allow("demo")) throw api::errors::rateLimited(1);
        if (!voice_) throw api::ApiError(api::ErrorCode::NotFound, "phone calls are not configured (no sipListen/sipTrunk)");
        auto body = nlohmann::json::parse(ctx.request().body, nullptr, false);
        if (body.is_discarded() || !body.is_object() || !body.contains("to") || !body["to"].is_string())
            throw api::errors::invalidField("to", "the number to call is required, e.g. +15551234567");
        voice::CreateCallRequest req;
        req.from = "+15550100000";
        req.to = body["to"].get<std::string>();
        req.answerUrl = baseUrl_ + "/demo/answer";
        req.tag = "demo";
        auto call = voice_->createCall(config_.accountId, req);
        return api::HttpResponse::json(201, nlohmann::json{{"callId", call.callId}}.dump());
    });
    // The application's answer/initiate callback: a new audio participant in the demo session,
    // and the call transferred to it (reference §5.1 transfer BXML).
    router.add("POST", "/demo/answer", "demoAnswer", [this](api::RequestContext& ctx) {
        auto event = nlohmann::json::parse(ctx.request().body, nullptr, false);
        std::string callId = event.is_object() ? event.value("callId", "") : "";
        auto created = phoneParticipant("phone");
        api::HttpResponse r;
        r.contentType = "application/xml";
        r.body = voice::generateTransferBxml(created.token, callId, sipUri_);
        return r;
    });

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
