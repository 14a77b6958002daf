#include "server/web/DemoApp.hpp"
#include "protocol/SafeJson.hpp"

#include <nlohmann/json.hpp>

#include "server/base/Utf8.hpp"
#include "server/net/HttpError.hpp"
#include "server/net/JsonBody.hpp"
#include "server/net/RequestContext.hpp"
#include "server/session/SessionError.hpp"
#include "server/voice/TransferBxml.hpp"

namespace sb::web {

bool demoDestinationAllowed(const std::vector<std::string>& allowed, const std::string& to) {
    for (const auto& entry : allowed) {
        if (!entry.empty() && entry.back() == '*') {
            if (to.size() + 1 >= entry.size() &&
                to.compare(0, entry.size() - 1, entry, 0, entry.size() - 1) == 0)
                return true;
        } else if (to == entry) {
            return true;
        }
    }
    return false;
}

void DemoApp::admit(const net::RequestContext& ctx, const std::string& route) {
    const auto& request = ctx.request();
    if (!(config_.trustLocalClients && request.fromThisHost)) {
        if (request.authorization.empty() || !auth_) {
            net::HttpError e(net::ErrorCode::Unauthorized,
                             "The demo routes answer other machines only with the demo account's "
                             "HTTP Basic credentials");
            e.headers = net::errors::unauthorized().headers;
            throw e;
        }
        // The same check, and failed-password throttling, as the REST API.
        auth_->authorize(request.authorization, config_.accountId, request.remoteAddress);
    }
    if (!limiter_.allow(route)) throw net::errors::rateLimited(1);
}

std::string DemoApp::demoSession() {
    std::lock_guard lock(mutex_);
    if (!sessionId_.empty()) {
        try {
            calls_.session(config_.accountId, sessionId_);
            return sessionId_;
        } catch (const session::SessionError&) {
            // expired or deleted: start a new one
        }
    }
    session::CreateSessionRequest req;
    req.tag = "demo";
    sessionId_ = calls_.createSession(config_.accountId, req).id;
    return sessionId_;
}

session::CreatedParticipant DemoApp::phoneParticipant(const std::string& tag) {
    auto sessionId = demoSession();
    session::CreateParticipantRequest req;
    req.tag = tag;
    req.publishPermissions = {true, false};
    auto created = calls_.createParticipant(config_.accountId, req);
    calls_.addParticipantToSession(config_.accountId, sessionId, created.participant.id,
                                   state::Subscriptions{sessionId, {}});
    return created;
}

void DemoApp::addRoutes(net::Router& router) {
    router.add("POST", "/demo/call", "demoCall", [this](net::RequestContext& ctx) {
        admit(ctx, "call");
        // Toll fraud: the demo dials out only where its operator said it may.
        if (config_.callDestinations.empty())
            throw net::HttpError(
                net::ErrorCode::Forbidden,
                "The demo may not dial out: no demoCallDestinations are configured");
        auto body = nlohmann::json::parse(ctx.request().body, nullptr, false);
        if (body.is_discarded() || !body.is_object() || !body.contains("to") ||
            !body["to"].is_string() || body["to"].get_ref<const std::string&>().empty() ||
            body["to"].get_ref<const std::string&>().size() > 32)
            throw net::errors::invalidField("to",
                                            "the number to call is required, e.g. +15551234567");
        std::string to = body["to"].get<std::string>();
        if (!demoDestinationAllowed(config_.callDestinations, to))
            throw net::HttpError(
                net::ErrorCode::Forbidden,
                "The demo may not dial this number: it is not in demoCallDestinations", "to");
        if (!voice_)
            throw net::HttpError(net::ErrorCode::NotFound,
                                 "phone calls are not configured (no sipListen/sipTrunk)");
        voice::CreateCallRequest req;
        req.from = "+15550100000";
        req.to = to;
        req.answerUrl = baseUrl_ + "/demo/answer";
        req.tag = "demo";
        auto call = voice_->createCall(config_.accountId, req);
        return net::HttpResponse::json(201,
                                       protocol::dumpJson(nlohmann::json{{"callId", call.callId}}));
    });
    // "Hang up" on the demo page: ends a call that /demo/call placed (cancelled while it rings).
    // Only the demo's own calls: the route must not end the account's other calls.
    router.add(
        "POST", "/demo/calls/{callId}/hangup", "demoHangup", [this](net::RequestContext& ctx) {
            admit(ctx, "hangup");
            if (!voice_)
                throw net::HttpError(net::ErrorCode::NotFound,
                                     "phone calls are not configured (no sipListen/sipTrunk)");
            const auto& callId = ctx.param("callId");
            if (voice_->call(config_.accountId, callId).tag != "demo")
                throw net::HttpError(net::ErrorCode::NotFound, "no such call placed by the demo");
            voice::UpdateCallRequest req;
            req.state = "completed";
            voice_->updateCall(config_.accountId, callId, req);
            return net::HttpResponse::noContent();
        });
    // The application's answer/initiate callback: a new audio participant in the demo session,
    // and the call transferred to it (reference §5.1 transfer BXML).
    router.add("POST", "/demo/answer", "demoAnswer", [this](net::RequestContext& ctx) {
        admit(ctx, "answer");
        auto event = nlohmann::json::parse(ctx.request().body, nullptr, false);
        std::string callId = event.is_object() ? event.value("callId", "") : "";
        auto created = phoneParticipant("phone");
        net::HttpResponse r;
        r.contentType = "application/xml";
        r.body = voice::generateTransferBxml(created.token, callId, sipUri_);
        return r;
    });

    router.add("POST", "/demo/join", "demoJoin", [this](net::RequestContext& ctx) {
        admit(ctx, "join");
        std::optional<std::string> name;
        if (!ctx.request().body.empty()) {
            auto body = net::parseObject(ctx.request().body);
            if (body.contains("name") && body["name"].is_string())
                name = base::truncateUtf8(body["name"].get<std::string>(),
                                          50);  // never inside a character
        }
        auto sessionId = demoSession();
        session::CreateParticipantRequest req;
        req.tag = name;
        auto created = calls_.createParticipant(config_.accountId, req);
        calls_.addParticipantToSession(config_.accountId, sessionId, created.participant.id,
                                       state::Subscriptions{sessionId, {}});
        nlohmann::json out{{"token", created.token},
                           {"participantId", created.participant.id},
                           {"sessionId", sessionId}};
        return net::HttpResponse::json(200, protocol::dumpJson(out));
    });
}

}  // namespace sb::web
