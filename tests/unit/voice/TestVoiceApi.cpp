// The voice REST routes end to end through the Router: auth, validation, Bandwidth-shaped
// bodies, and the call's life as the SIP side reports it.
#include <catch2/catch.hpp>

#include "VoiceFakes.hpp"
#include "server/api/RestApi.hpp"
#include "server/auth/BasicAuth.hpp"
#include "server/auth/TokenService.hpp"
#include "server/state/MemorySessionStore.hpp"
#include "server/voice/CallIds.hpp"
#include "server/voice/VoiceApi.hpp"

using namespace sb;
using namespace sb::voice;
using namespace sb::voice::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const std::string kAuth = "Basic YWxpY2U6cHctYQ==";  // alice:pw-a

VoiceConfig config() {
    VoiceConfig c;
    c.publicBaseUrl = "http://sb.example:8080/";
    c.ringStartTimeout = 30000ms;
    auto policy = std::make_shared<OutboundPolicy>();
    policy->allow("acc", {"192.168.7.0/24"});
    c.outbound = policy;
    return c;
}

struct Api {
    state::MemorySessionStore store;
    auth::TokenService tokens{std::string(32, 'k'), "switchboard", 60, nullptr};
    session::CallControl control{store, tokens, {}, [] { return state::EpochSeconds{0}; }};
    auth::AccountAuthenticator authn{{{"acc", "alice", "pw-a"}}};
    base::RateLimiter limiter{0, 0};
    ManualExecutor ex;
    FakeCallbacks cb;
    FakePlacer placer;
    CallRegistry registry;
    TimePoint now{std::chrono::seconds(1714566896)};
    VoiceService voice{registry, placer, cb, ex, config(), [this] { return now; }};
    net::Router router;

    Api() {
        CallPolicy p;
        p.allowedDestinations = {R"(\+1555\d{7})", "sip:.*"};
        p.maxConcurrentCalls = 3;
        registry.setPolicy("acc", p);
        addVoiceRoutes(router, {authn, limiter}, voice);
    }
    net::HttpResponse request(const std::string& method, const std::string& path,
                              const std::string& body = {},
                              const std::string& authorization = kAuth) {
        net::HttpRequest r;
        r.method = method;
        r.path = path;
        r.body = body;
        r.authorization = authorization;
        r.requestId = "req-1";
        return router.handle(r).response;
    }
    json create(json body = json::object()) {
        json b = {{"from", "+15555550100"},
                  {"to", "+15555550123"},
                  {"answerUrl", "http://app.example/answer"},
                  {"disconnectUrl", "http://app.example/disconnect"},
                  {"tag", "t-1"}};
        b.update(body);
        auto r = request("POST", "/v1/accounts/acc/calls", b.dump());
        REQUIRE(r.status == 201);
        return json::parse(r.body);
    }
    json state(const std::string& callId) {
        auto r = request("GET", "/v1/accounts/acc/calls/" + callId);
        REQUIRE(r.status == 200);
        return json::parse(r.body);
    }
    net::HttpResponse update(const std::string& callId, const json& body) {
        return request("POST", "/v1/accounts/acc/calls/" + callId, body.dump());
    }
};

json errorBody(const net::HttpResponse& r) {
    return json::parse(r.body);
}

}  // namespace

TEST_CASE_METHOD(Api, "createCall answers 201 with Bandwidth's response shape",
                 "[voice][VoiceApi]") {
    auto body = create(
        {{"uui", "aaa.bbb.ccc;encoding=jwt"}, {"callTimeout", 15}, {"applicationId", "app-9"}});
    std::string id = body["callId"];
    CHECK(isCallId(id));
    CHECK(body["accountId"] == "acc");
    CHECK(body["applicationId"] == "app-9");
    CHECK(body["to"] == "+15555550123");
    CHECK(body["from"] == "+15555550100");
    CHECK(body["callUrl"] == "http://sb.example:8080/api/v2/accounts/acc/calls/" + id);
    CHECK(body["answerUrl"] == "http://app.example/answer");
    CHECK(body["answerMethod"] == "POST");
    CHECK(body["disconnectMethod"] == "POST");
    CHECK(body["callTimeout"] == 15);
    CHECK(body["tag"] == "t-1");
    CHECK(body["enqueuedTime"] == "2024-05-01T12:34:56.000Z");
    REQUIRE(placer.placed.size() == 1);
    CHECK(placer.placed[0].callId == id);
    CHECK(placer.placed[0].uui == std::optional<std::string>("aaa.bbb.ccc;encoding=jwt"));

    auto s = state(id);
    CHECK(s["state"] == "initiated");
    CHECK(s["direction"] == "outbound");
    CHECK(s["startTime"] == "2024-05-01T12:34:56.000Z");
    CHECK(s["answerTime"].is_null());
    CHECK(s["endTime"].is_null());
    CHECK(s["disconnectCause"].is_null());
}

TEST_CASE_METHOD(Api, "createCall validates every field by name", "[voice][VoiceApi]") {
    auto rejected = [&](json patch, const std::string& field) {
        json b = {{"from", "+15555550100"},
                  {"to", "+15555550123"},
                  {"answerUrl", "http://app.example/answer"}};
        b.update(patch);
        for (auto it = patch.begin(); it != patch.end(); ++it)
            if (it->is_null()) b.erase(it.key());
        auto r = request("POST", "/v1/accounts/acc/calls", b.dump());
        INFO(patch.dump() << " -> " << r.body);
        CHECK(r.status == 400);
        CHECK(errorBody(r).value("field", "") == field);
    };
    rejected({{"to", nullptr}}, "to");
    rejected({{"to", "5551234"}}, "to");
    rejected({{"to", 15555550123LL}}, "to");
    rejected({{"from", "sip:"}}, "from");
    rejected({{"answerUrl", nullptr}}, "answerUrl");
    rejected({{"answerUrl", "ftp://x/y"}}, "answerUrl");
    rejected({{"answerMethod", "PUT"}}, "answerMethod");
    rejected({{"disconnectUrl", "not a url"}}, "disconnectUrl");
    rejected({{"callTimeout", 0}}, "callTimeout");
    rejected({{"callTimeout", 301}}, "callTimeout");
    rejected({{"callTimeout", "30"}}, "callTimeout");
    rejected({{"uui", "abc"}}, "uui");
    rejected({{"uui", "x;encoding=gzip"}}, "uui");
    rejected({{"uui", std::string(340, 'a') + ";encoding=jwt"}}, "uui");
    rejected({{"tag", std::string(4097, 't')}}, "tag");
    // IP literals outside the public Internet are refused at once unless the account allows them.
    rejected({{"answerUrl", "http://127.0.0.1:9000/answer"}}, "answerUrl");
    rejected({{"answerUrl", "http://10.1.2.3/answer"}}, "answerUrl");
    rejected({{"answerUrl", "http://169.254.169.254/latest/meta-data/"}}, "answerUrl");
    rejected({{"answerUrl", "http://[::1]:9000/answer"}}, "answerUrl");
    rejected({{"answerUrl", "http://[::ffff:127.0.0.1]/answer"}}, "answerUrl");
    rejected({{"disconnectUrl", "http://[fd00:ec2::254]/x"}}, "disconnectUrl");
    CHECK(request("POST", "/v1/accounts/acc/calls", "{").status == 400);
    CHECK(request("POST", "/v1/accounts/acc/calls", "").status == 400);
    CHECK(request("POST", "/v1/accounts/acc/calls", "[]").status == 400);
    CHECK(placer.placed.empty());
}

TEST_CASE_METHOD(
    Api,
    "callback URLs on non-public literals: refused with the range, allowed by the account's list",
    "[voice][VoiceApi][outbound]") {
    json b = {{"from", "+15555550100"},
              {"to", "+15555550123"},
              {"answerUrl", "http://169.254.169.254/x"}};
    auto r = request("POST", "/v1/accounts/acc/calls", b.dump());
    CHECK(r.status == 400);
    CHECK_THAT(r.body, Catch::Contains("cloud metadata"));
    CHECK(placer.placed.empty());
    auto allowed =
        create({{"answerUrl", "http://192.168.7.20:8000/answer"}});  // in the account's list
    CHECK(allowed["answerUrl"] == "http://192.168.7.20:8000/answer");
    create({{"answerUrl", "http://app.example/answer"}});  // names are checked when resolved
    // A REST redirect to a refused literal is refused the same way (before any state check).
    auto id = allowed["callId"].get<std::string>();
    auto u = request("POST", "/v1/accounts/acc/calls/" + id,
                     json{{"redirectUrl", "http://127.0.0.1/x"}}.dump());
    CHECK(u.status == 400);
    CHECK(errorBody(u).value("field", "") == "redirectUrl");
}

TEST_CASE_METHOD(Api, "toll-fraud refusals and authentication", "[voice][VoiceApi]") {
    json b = {{"from", "+15555550100"},
              {"to", "+19005550123"},
              {"answerUrl", "http://app.example/answer"}};
    auto r = request("POST", "/v1/accounts/acc/calls", b.dump());
    CHECK(r.status == 403);
    CHECK_THAT(errorBody(r)["message"].get<std::string>(),
               Catch::Contains("+19005550123 are not allowed"));
    CHECK(request("POST", "/v1/accounts/acc/calls", b.dump(), "").status == 401);
    b["to"] = "+15555550123";
    for (int i = 0; i < 3; ++i)
        CHECK(request("POST", "/v1/accounts/acc/calls", b.dump()).status == 201);
    auto full = request("POST", "/v1/accounts/acc/calls", b.dump());
    CHECK(full.status == 429);
    CHECK(placer.placed.size() == 3);
    placer.fail = true;
    voice.callFailed(placer.placed[0].callId, "busy");
    auto failed = request("POST", "/v1/accounts/acc/calls", b.dump());
    CHECK(failed.status == 500);
    CHECK_THAT(errorBody(failed)["error"].get<std::string>(), Catch::Contains("no trunk"));
}

TEST_CASE_METHOD(Api, "an answered call runs BXML and is hung up over REST", "[voice][VoiceApi]") {
    cb.bxml("http://app.example/answer", "<Response><Pause duration=\"60\"/></Response>");
    std::string id = create()["callId"];
    voice.callRinging(id);
    now += 2s;
    auto media = std::make_shared<FakeMedia>();
    voice.callAnswered(id, media);
    ex.run();
    auto s = state(id);
    CHECK(s["state"] == "answered");
    CHECK(s["answerTime"] == "2024-05-01T12:34:58.000Z");
    CHECK(cb.last("answer"));
    CHECK(voice.activeFlows() == 1);

    auto r = update(id, {{"state", "completed"}});
    CHECK(r.status == 200);
    CHECK(r.body.empty());
    ex.run();
    CHECK(media->log == std::vector<std::string>{"hangup"});
    s = state(id);
    CHECK(s["state"] == "disconnected");
    CHECK(s["disconnectCause"] == "hangup");
    auto* d = cb.last("disconnect");
    REQUIRE(d);
    CHECK(d->url == "http://app.example/disconnect");
    CHECK(d->body["cause"] == "hangup");
    CHECK(d->body["tag"] == "t-1");
    CHECK(voice.activeFlows() == 0);
    CHECK(update(id, {{"state", "completed"}}).status == 200);  // idempotent
    CHECK(update(id, {{"redirectUrl", "http://app.example/r"}}).status == 409);
}

TEST_CASE_METHOD(Api, "redirect and tag over REST", "[voice][VoiceApi]") {
    cb.bxml("http://app.example/answer", "<Response><Pause duration=\"60\"/></Response>");
    cb.bxml("http://app.example/r", "<Response><Hangup/></Response>");
    std::string id = create()["callId"];
    CHECK(update(id, {{"redirectUrl", "http://app.example/r"}}).status == 409);  // not answered yet
    voice.callAnswered(id, std::make_shared<FakeMedia>());
    ex.run();
    CHECK(update(id, {{"state", "active"}, {"redirectUrl", "http://app.example/r"}, {"tag", "t-2"}})
              .status == 200);
    ex.run();
    auto* redirect = cb.last("redirect");
    REQUIRE(redirect);
    CHECK(redirect->body["tag"] == "t-2");
    CHECK(state(id)["state"] == "disconnected");

    CHECK(update(id, {{"state", "active"}}).status == 400);  // redirectUrl required
    CHECK(update(id, {{"state", "paused"}}).status == 400);
    CHECK(update(id, json::object()).status == 400);
    CHECK(update(id, {{"state", "completed"}, {"redirectUrl", "http://x/y"}}).status == 400);
    CHECK(update("c-00000000-00000000-0000-0000-0000-000000000000", {{"state", "completed"}})
              .status == 404);
    CHECK(request("GET", "/v1/accounts/acc/calls/not-a-call").status == 404);
}

TEST_CASE_METHOD(Api, "hanging up before answer cancels the call", "[voice][VoiceApi]") {
    std::string id = create()["callId"];
    CHECK(update(id, {{"state", "completed"}}).status == 200);
    CHECK(placer.cancelled == std::vector<std::string>{id});
    auto s = state(id);
    CHECK(s["state"] == "disconnected");
    CHECK(s["disconnectCause"] == "cancel");
    // A late 200 OK is hung up at once.
    auto media = std::make_shared<FakeMedia>();
    voice.callAnswered(id, media);
    CHECK(media->log == std::vector<std::string>{"hangup"});
}

TEST_CASE_METHOD(Api, "timeouts: no ringing, and ringing past callTimeout", "[voice][VoiceApi]") {
    std::string quiet = create()["callId"];
    std::string ringing = create({{"callTimeout", 5}})["callId"];
    voice.callRinging(ringing);
    ex.advance(5s);
    CHECK(state(ringing)["disconnectCause"] == "timeout");
    CHECK(state(quiet)["state"] == "initiated");
    ex.advance(25s);
    CHECK(state(quiet)["disconnectCause"] == "timeout");
    CHECK(placer.cancelled == std::vector<std::string>{ringing, quiet});
    CHECK(cb.eventTypes() == std::vector<std::string>{"disconnect", "disconnect"});
}

TEST_CASE_METHOD(Api, "failures reported by the SIP side reach the disconnect callback",
                 "[voice][VoiceApi]") {
    std::string id = create()["callId"];
    voice.callFailed(id, "busy", "486 Busy Here");
    auto* d = cb.last("disconnect");
    REQUIRE(d);
    CHECK(d->body["cause"] == "busy");
    CHECK(d->body["errorMessage"] == "486 Busy Here");
    CHECK(d->body["endTime"] == "2024-05-01T12:34:56.000Z");
    auto s = state(id);
    CHECK(s["disconnectCause"] == "busy");
    CHECK(s["errorMessage"] == "486 Busy Here");
    voice.callHungUp(id);  // ignored: already over
    CHECK(cb.eventTypes().size() == 1);
}

TEST_CASE_METHOD(Api, "an invalid answer document ends the call with invalid-bxml",
                 "[voice][VoiceApi]") {
    cb.bxml("http://app.example/answer", "<Response><Pause duration=\"0\"/></Response>");
    std::string id = create()["callId"];
    voice.callAnswered(id, std::make_shared<FakeMedia>());
    ex.run();
    auto s = state(id);
    CHECK(s["disconnectCause"] == "invalid-bxml");
    CHECK_THAT(s["errorMessage"].get<std::string>(),
               Catch::Contains("duration \"…\" is out of range"));
    CHECK(cb.last("disconnect")->body["cause"] == "invalid-bxml");
}

TEST_CASE_METHOD(Api, "inbound calls and the far end hanging up", "[voice][VoiceApi]") {
    cb.bxml("http://app.example/initiate", "<Response><Pause duration=\"30\"/></Response>");
    auto media = std::make_shared<FakeMedia>();
    InboundCall in{"acc",
                   "app-1",
                   "+15555550199",
                   "+15555550100",
                   "http://app.example/initiate",
                   "POST",
                   "http://app.example/disconnect",
                   "POST",
                   std::nullopt};
    auto call = voice.acceptInbound(in, media);
    ex.run();
    CHECK(cb.sent[0].body["eventType"] == "initiate");
    auto s = state(call.callId);
    CHECK(s["direction"] == "inbound");
    CHECK(s["state"] == "answered");
    voice.callHungUp(call.callId);
    ex.advance(60s);
    CHECK(media->log == std::vector<std::string>{"answer"});  // no hangup: the far end already did
    CHECK(state(call.callId)["disconnectCause"] == "hangup");
    CHECK(cb.last("disconnect"));
}
