// The voice routes at Bandwidth's paths (/api/v2/accounts/{a}/calls…): the fields of
// bandwidth.yml's createCall/updateCall honoured or refused by name, Bandwidth's error fields,
// listCalls and updateCallBxml.
#include <catch2/catch.hpp>

#include "VoiceFakes.hpp"
#include "server/api/RestApi.hpp"
#include "server/auth/BasicAuth.hpp"
#include "server/auth/TokenService.hpp"
#include "server/state/MemorySessionStore.hpp"
#include "server/voice/VoiceApi.hpp"

using namespace sb;
using namespace sb::voice;
using namespace sb::voice::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

struct V2 {
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
    VoiceService voice{registry, placer, cb, ex, {}, [this] { return now; }};
    net::Router router;

    V2() {
        CallPolicy p;
        p.allowedDestinations = {R"(\+1555\d{7})"};
        p.maxConcurrentCalls = 10;
        p.maxCallsPerMinute = 100;
        registry.setPolicy("acc", p);
        addVoiceRoutes(router, {authn, limiter}, voice);
    }
    net::HttpResponse request(const std::string& method, const std::string& path,
                              const std::string& body = {},
                              const std::string& contentType = "application/json") {
        net::HttpRequest r;
        r.method = method;
        auto q = path.find('?');
        r.path = path.substr(0, q);
        if (q != std::string::npos) r.query = path.substr(q + 1);
        r.body = body;
        r.contentType = contentType;
        r.authorization = "Basic YWxpY2U6cHctYQ==";
        r.requestId = "req-7";
        return router.handle(r).response;
    }
    static json base() {
        return {{"from", "+15555550100"},
                {"to", "+15555550123"},
                {"answerUrl", "http://app.example/answer"},
                {"applicationId", "app-1"}};
    }
    net::HttpResponse create(const json& patch) {
        json b = base();
        b.update(patch);
        return request("POST", "/api/v2/accounts/acc/calls", b.dump());
    }
};

}  // namespace

TEST_CASE_METHOD(V2, "createCall at /api/v2 stores and echoes Bandwidth's fields",
                 "[voice][VoiceApi][v2]") {
    auto r = create({{"displayName", "Front \"Desk\""},
                     {"priority", 2},
                     {"callbackTimeout", 7.5},
                     {"answerFallbackUrl", "http://fallback.example/answer"},
                     {"answerFallbackMethod", "get"},
                     {"username", "u"},
                     {"password", "p"},
                     {"fallbackUsername", "fu"},
                     {"fallbackPassword", "fp"},
                     {"privacy", false},
                     {"machineDetection", nullptr},
                     {"tag", "t"}});
    INFO(r.body);
    REQUIRE(r.status == 201);
    auto body = json::parse(r.body);
    CHECK(body["callUrl"].get<std::string>().find("/api/v2/accounts/acc/calls/c-") !=
          std::string::npos);
    CHECK(body["callbackTimeout"] == 7.5);
    CHECK(body["priority"] == 2);
    CHECK(body["answerFallbackUrl"] == "http://fallback.example/answer");
    CHECK(body["answerFallbackMethod"] == "GET");
    CHECK(body["username"] == "u");
    CHECK(body["fallbackPassword"] == "fp");
    REQUIRE(placer.placed.size() == 1);
    const auto& c = placer.placed[0];
    CHECK(c.displayName == std::optional<std::string>("Front \"Desk\""));
    CHECK(c.callbacks.callbackTimeout == 7.5);
    CHECK(c.callbacks.username == std::optional<std::string>("u"));
    CHECK(c.callbacks.password == std::optional<std::string>("p"));
    CHECK(c.callbacks.fallbackUsername == std::optional<std::string>("fu"));
    CHECK(c.callbacks.answerFallbackUrl ==
          std::optional<std::string>("http://fallback.example/answer"));
    auto stored = registry.find(body["callId"]);
    REQUIRE(stored);
    CHECK(stored->callbacks.fallbackPassword == std::optional<std::string>("fp"));
}

TEST_CASE_METHOD(V2, "createCall refuses what it would otherwise ignore, naming the field",
                 "[voice][VoiceApi][v2]") {
    auto refused = [&](json patch, const std::string& field, int status = 400) {
        auto r = create(patch);
        INFO(patch.dump() << " -> " << r.body);
        CHECK(r.status == status);
        auto e = json::parse(r.body);
        CHECK(e.value("field", "") == field);
        // Bandwidth's voiceApiError fields, which @bandwidth/voice's ExternalApiError reads.
        CHECK(e.value("type", "") == "validation");
        CHECK(e.value("description", "").find(field) != std::string::npos);
        CHECK(e.value("id", "") == "req-7");
    };
    refused({{"machineDetection", {{"mode", "async"}}}}, "machineDetection");
    refused({{"privacy", true}}, "privacy");
    refused({{"privacy", "yes"}}, "privacy");
    refused({{"callbackTimout", 5}}, "callbackTimout");  // misspelt: not silently ignored
    refused({{"callbackTimeout", 0.5}}, "callbackTimeout");
    refused({{"callbackTimeout", 26}}, "callbackTimeout");
    refused({{"priority", 0}}, "priority");
    refused({{"priority", 2.5}}, "priority");
    refused({{"displayName", std::string(257, 'd')}}, "displayName");
    refused({{"displayName", "a\r\nX-Evil: 1"}}, "displayName");
    refused({{"username", "u"}}, "password");
    refused({{"password", "p"}}, "username");
    refused({{"username", "a:b"}, {"password", "p"}}, "username");
    refused({{"username", std::string(1025, 'u')}, {"password", "p"}}, "username");
    refused({{"answerFallbackUrl", "ftp://x/y"}}, "answerFallbackUrl");
    refused({{"answerFallbackUrl", "http://127.0.0.1/x"}}, "answerFallbackUrl");
    refused({{"answerFallbackMethod", "PUT"}}, "answerFallbackMethod");
    refused({{"fallbackUsername", "a"}, {"fallbackPassword", "b"}},
            "fallbackUsername");  // no fallback URL
    CHECK(placer.placed.empty());
}

TEST_CASE_METHOD(V2, "errors at /api/v2 carry Bandwidth's type; /v1 keeps our shape",
                 "[voice][VoiceApi][v2]") {
    auto r = request("GET",
                     "/api/v2/accounts/acc/calls/c-00000000-00000000-0000-0000-0000-000000000000");
    CHECK(r.status == 404);
    CHECK(json::parse(r.body)["type"] == "not-found");
    r = request("GET", "/v1/accounts/acc/calls/c-00000000-00000000-0000-0000-0000-000000000000");
    CHECK(r.status == 404);
    CHECK_FALSE(json::parse(r.body).contains("type"));
    net::HttpRequest bad;
    bad.method = "GET";
    bad.path = "/api/v2/accounts/acc/calls";
    bad.authorization = "Basic YWxpY2U6d3Jvbmc=";
    auto unauthorized = router.handle(bad).response;
    CHECK(unauthorized.status == 401);
    CHECK(json::parse(unauthorized.body)["type"] == "authentication-error");
    auto refused = request("DELETE", "/api/v2/accounts/acc/calls");
    CHECK(refused.status == 405);
    CHECK_FALSE(json::parse(refused.body).contains("type"));  // the router's, before any handler
}

TEST_CASE("client errors Bandwidth has no type for keep a client error's type",
          "[voice][VoiceApi][v2]") {
    auto typeOf = [](net::ErrorCode code) {
        auto handler = bandwidthShaped([code](net::RequestContext&) -> net::HttpResponse {
            throw net::HttpError(code, "no");
        });
        net::HttpRequest req;
        net::RequestContext ctx(req, {});
        return json::parse(handler(ctx).body).value("type", "");
    };
    CHECK(typeOf(net::ErrorCode::RangeNotSatisfiable) == "range-not-satisfiable");
    CHECK(typeOf(net::ErrorCode::PayloadTooLarge) == "payload-too-large");
    CHECK(typeOf(net::ErrorCode::MethodNotAllowed) == "method-not-allowed");
    CHECK(typeOf(net::ErrorCode::Internal) == "internal-server-error");
    CHECK(typeOf(net::ErrorCode::Conflict) == "conflict");
}

TEST_CASE_METHOD(V2, "updateCall fields: redirect credentials stored, unknown fields refused",
                 "[voice][VoiceApi][v2]") {
    cb.bxml("http://app.example/answer", "<Response><Pause duration=\"60\"/></Response>");
    cb.bxml("http://app.example/r", "<Response><Pause duration=\"60\"/></Response>");
    std::string id = json::parse(create(json::object()).body)["callId"];
    voice.callAnswered(id, std::make_shared<FakeMedia>());
    ex.run();
    auto path = "/api/v2/accounts/acc/calls/" + id;
    auto refused = [&](const json& body, const std::string& field) {
        auto r = request("POST", path, body.dump());
        INFO(body.dump() << " -> " << r.body);
        CHECK(r.status == 400);
        CHECK(json::parse(r.body).value("field", "") == field);
    };
    refused({{"redirectUrl", "http://app.example/r"}, {"redirectFalbackUrl", "http://x.example/"}},
            "redirectFalbackUrl");
    refused({{"tag", "x"}, {"username", "u"}, {"password", "p"}},
            "username");  // nothing to authenticate
    refused({{"redirectUrl", "http://app.example/r"}, {"username", "u"}}, "password");
    cb.route("http://app.example/r", CallbackResult{500, "", {}});
    cb.bxml("http://fb.example/r", "<Response><Pause duration=\"60\"/></Response>");
    auto r = request("POST", path,
                     json{{"redirectUrl", "http://app.example/r"},
                          {"redirectFallbackUrl", "http://fb.example/r"},
                          {"redirectFallbackMethod", "GET"},
                          {"username", "u"},
                          {"password", "p"},
                          {"fallbackUsername", "fu"},
                          {"fallbackPassword", "fp"}}
                         .dump());
    INFO(r.body);
    CHECK(r.status == 200);
    ex.run();
    // The redirect goes to redirectUrl with the credentials, then (HTTP 500) to the fallback with
    // its own.
    const SentCallback* primary = nullptr;
    const SentCallback* fallback = nullptr;
    for (const auto& s : cb.sent) {
        if (s.url == "http://app.example/r") primary = &s;
        if (s.url == "http://fb.example/r") fallback = &s;
    }
    REQUIRE(primary);
    REQUIRE(primary->scope.credentials);
    CHECK(primary->scope.credentials->username == "u");
    CHECK(primary->scope.credentials->password == "p");
    REQUIRE(fallback);
    CHECK(fallback->method == "GET");
    CHECK(fallback->body.value("eventType", "") == "redirect");
    REQUIRE(fallback->scope.credentials);
    CHECK(fallback->scope.credentials->username == "fu");
    CHECK(fallback->scope.credentials->password == "fp");
}

TEST_CASE_METHOD(V2, "PUT …/bxml replaces the running document", "[voice][VoiceApi][v2]") {
    cb.bxml("http://app.example/answer", "<Response><Pause duration=\"60\"/></Response>");
    std::string id = json::parse(create(json::object()).body)["callId"];
    auto path = "/api/v2/accounts/acc/calls/" + id + "/bxml";
    const std::string doc =
        "<?xml version=\"1.0\"?><Response><SendDtmf>12</SendDtmf><Hangup/></Response>";
    CHECK(request("PUT", path, doc, "application/xml").status == 409);  // not answered yet
    auto media = std::make_shared<FakeMedia>();
    voice.callAnswered(id, media);
    ex.run();
    CHECK(media->log.empty());  // pausing
    auto r = request("PUT", path, doc, "text/plain");
    CHECK(r.status == 415);
    CHECK(json::parse(r.body)["type"] == "unsupported-media-type");
    r = request("PUT", path, "<Response><Nope/></Response>", "application/xml");
    CHECK(r.status == 400);
    CHECK(json::parse(r.body)["field"] == "body");
    CHECK(request("PUT", path, "", "application/xml").status == 400);
    // @bandwidth/voice 5 sends JSON.stringify(document) with Content-Type application/xml.
    r = request("PUT", path, json(doc).dump(), "application/xml; charset=utf-8");
    INFO(r.body);
    CHECK(r.status == 204);
    CHECK(r.body.empty());
    ex.run();
    CHECK(media->log == std::vector<std::string>{"dtmf 12 200/400", "hangup"});
    auto s = json::parse(request("GET", "/api/v2/accounts/acc/calls/" + id).body);
    CHECK(s["state"] == "disconnected");
    CHECK(request("PUT", path, doc, "application/xml").status == 409);  // over
}

TEST_CASE_METHOD(V2, "listCalls filters and pages", "[voice][VoiceApi][v2]") {
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) {
        now += 1s;
        ids.push_back(
            json::parse(create({{"to", "+1555555012" + std::to_string(i % 2)}}).body)["callId"]);
    }
    voice.callFailed(ids[0], "busy");
    auto list = [&](const std::string& q) {
        auto r = request("GET", "/api/v2/accounts/acc/calls" + q);
        INFO(q << " -> " << r.body);
        REQUIRE(r.status == 200);
        std::vector<std::string> out;
        for (auto& c : json::parse(r.body)) out.push_back(c["callId"]);
        return out;
    };
    CHECK(list("") == ids);
    CHECK(list("?to=%2B15555550121") == std::vector<std::string>{ids[1], ids[3]});
    CHECK(list("?disconnectCause=busy") == std::vector<std::string>{ids[0]});
    CHECK(list("?pageSize=2") == std::vector<std::string>{ids[0], ids[1]});
    CHECK(list("?pageSize=2&pageToken=" + ids[1]) == std::vector<std::string>{ids[2], ids[3]});
    CHECK(list("?minStartTime=2024-05-01T12:34:59Z&maxStartTime=2024-05-01T12:35:00.000Z") ==
          std::vector<std::string>{ids[2], ids[3]});
    for (std::string q :
         {"?pageSize=0", "?pageSize=10001", "?pageSize=x", "?minStartTime=yesterday", "?sort=asc",
          "?to=a&to=b", "?pageToken=c-00000000-00000000-0000-0000-0000-000000000000"})
        CHECK(request("GET", "/api/v2/accounts/acc/calls" + q).status == 400);
}

TEST_CASE_METHOD(V2, "listCalls pages through Link: <…>; rel=\"next\" as Bandwidth",
                 "[voice][VoiceApi][v2]") {
    std::vector<std::string> ids;
    for (int i = 0; i < 7; ++i) {
        now += 1s;
        ids.push_back(
            json::parse(create({{"to", "+1555555012" + std::to_string(i % 2)}}).body)["callId"]);
    }
    auto link = [](const net::HttpResponse& r) -> std::string {
        for (const auto& [k, v] : r.headers)
            if (k == "Link") return v;
        return {};
    };
    // Follow the links from the first page, as the SDKs do, until a page has none.
    std::vector<std::string> seen, links;
    std::string next = "/api/v2/accounts/acc/calls?pageSize=3";
    for (int pages = 0; !next.empty() && pages < 10; ++pages) {
        auto r = request("GET", next);
        INFO(next << " -> " << r.body);
        REQUIRE(r.status == 200);
        for (auto& c : json::parse(r.body)) seen.push_back(c["callId"]);
        auto l = link(r);
        links.push_back(l);
        next.clear();
        if (l.empty()) break;
        REQUIRE(l.rfind("<http://127.0.0.1:8080/api/v2/accounts/acc/calls?", 0) == 0);
        REQUIRE(l.size() > 13);
        REQUIRE(l.substr(l.size() - 13) == ">; rel=\"next\"");
        next = l.substr(std::string("<http://127.0.0.1:8080").size(),
                        l.size() - 13 - std::string("<http://127.0.0.1:8080").size());
    }
    CHECK(seen == ids);
    REQUIRE(links.size() == 3);  // 3 + 3 + 1
    CHECK(links[0] == "<http://127.0.0.1:8080/api/v2/accounts/acc/calls?pageSize=3&pageToken=" +
                          ids[2] + ">; rel=\"next\"");
    CHECK(links[2].empty());
    // Filters carry over to the next page; a page that ends exactly at the last call has no link.
    auto r = request("GET", "/api/v2/accounts/acc/calls?to=%2B15555550121&pageSize=2");
    CHECK(
        link(r) ==
        "<http://127.0.0.1:8080/api/v2/accounts/acc/calls?to=%2B15555550121&pageSize=2&pageToken=" +
            ids[3] + ">; rel=\"next\"");
    r = request("GET",
                "/api/v2/accounts/acc/calls?to=%2B15555550121&pageSize=2&pageToken=" + ids[3]);
    CHECK(json::parse(r.body).size() == 1);
    CHECK(link(r).empty());
    CHECK(link(request("GET", "/api/v2/accounts/acc/calls?pageSize=7")).empty());
    CHECK_FALSE(link(request("GET", "/api/v2/accounts/acc/calls?pageSize=6")).empty());
}
