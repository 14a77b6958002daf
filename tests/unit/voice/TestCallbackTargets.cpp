// callbacks (issue 9): Basic credentials, fallback URLs, callbackTimeout and Bandwidth's event
// bodies, through the real CallFlow against fake media and callbacks.
#include <catch2/catch.hpp>
#include <set>

#include "VoiceFakes.hpp"
#include "server/voice/CallFlow.hpp"
#include "server/voice/CallIds.hpp"
#include "server/voice/CallbackEvents.hpp"

using namespace sb::voice;
using namespace sb::voice::test;

namespace {

struct TargetFlow {
    ManualExecutor ex;
    FakeCallbacks cb;
    std::shared_ptr<FakeMedia> media = std::make_shared<FakeMedia>();
    TimePoint now{std::chrono::seconds(1714566896)};
    std::vector<std::pair<std::string, std::string>> ended;
    Call call;
    std::shared_ptr<CallFlow> flow;

    TargetFlow() {
        call.callId = newCallId();
        call.accountId = "acc";
        call.applicationId = "app-1";
        call.from = "+15555550100";
        call.to = "+15555550123";
        call.answerUrl = "http://app.example/voice/answer";
        call.startTime = now;
        call.answerTime = now;
        call.state = CallState::Answered;
        call.callUrl = "http://sb/api/v2/accounts/acc/calls/" + call.callId;
    }
    void start() {
        CallFlowHooks hooks;
        hooks.ended = [this](const std::string& c, const std::string& m) {
            ended.emplace_back(c, m);
        };
        flow = std::make_shared<CallFlow>(
            call, media, cb, ex, [this] { return now; }, hooks, 10);
        flow->start();
        ex.run();
    }
    std::vector<std::string> urls() const {
        std::vector<std::string> out;
        for (const auto& s : cb.sent) out.push_back(s.url);
        return out;
    }
};

std::set<std::string> keys(const nlohmann::json& j) {
    std::set<std::string> out;
    for (const auto& [k, v] : j.items()) out.insert(k);
    return out;
}

}  // namespace

TEST_CASE_METHOD(TargetFlow,
                 "a failed answerUrl falls back to answerFallbackUrl with the fallback credentials",
                 "[voice][callbacks]") {
    call.callbacks.username = "user";
    call.callbacks.password = "secret";
    call.callbacks.answerFallbackUrl = "http://backup.example/voice/answer";
    call.callbacks.fallbackUsername = "fbuser";
    call.callbacks.fallbackPassword = "fbsecret";
    call.callbacks.callbackTimeout = 3;
    cb.route(call.answerUrl, CallbackResult{503, "", {}});
    // The fallback's document runs, its relative URLs resolved against the fallback URL.
    cb.bxml(*call.callbacks.answerFallbackUrl,
            "<Response><Redirect redirectUrl=\"next\" username=\"r\" password=\"p\"/></Response>");
    cb.bxml("http://backup.example/voice/next", "<Response><Hangup/></Response>");
    start();
    REQUIRE(urls() == std::vector<std::string>{call.answerUrl, *call.callbacks.answerFallbackUrl,
                                               "http://backup.example/voice/next"});
    REQUIRE(cb.sent[0].scope.credentials);
    CHECK(cb.sent[0].scope.credentials->username == "user");
    CHECK(cb.sent[0].scope.credentials->password == "secret");
    CHECK(cb.sent[0].scope.timeout == std::chrono::milliseconds(3000));
    REQUIRE(cb.sent[1].scope.credentials);
    CHECK(cb.sent[1].scope.credentials->username == "fbuser");
    CHECK(cb.sent[1].body == cb.sent[0].body);  // the same answer event
    REQUIRE(cb.sent[2].scope.credentials);      // the <Redirect>'s own credentials
    CHECK(cb.sent[2].scope.credentials->username == "r");
    CHECK(cb.sent[2].body["eventType"] == "redirect");
    REQUIRE(ended.size() == 1);
    CHECK(ended[0].first == "hangup");
}

TEST_CASE_METHOD(TargetFlow, "when the fallback fails too the call ends naming both failures",
                 "[voice][callbacks]") {
    call.callbacks.answerFallbackUrl = "http://backup.example/a";
    cb.route(call.answerUrl, CallbackResult{500, "", {}});
    cb.route(*call.callbacks.answerFallbackUrl,
             CallbackResult{0, "", "connection refused while connecting"});
    start();
    REQUIRE(ended.size() == 1);
    CHECK(ended[0].first == "callback-error");
    CHECK(ended[0].second ==
          "callback failed: HTTP 500 from http://app.example/voice/answer; then the fallback: "
          "connection refused while connecting (http://backup.example/a)");
}

TEST_CASE_METHOD(TargetFlow,
                 "a <Redirect> that fails goes to its redirectFallbackUrl; no fallback without one",
                 "[voice][callbacks]") {
    cb.bxml(call.answerUrl,
            "<Response><Redirect redirectUrl=\"/down\" redirectFallbackUrl=\"/up\" "
            "redirectFallbackMethod=\"GET\" "
            "fallbackUsername=\"fu\" fallbackPassword=\"fp\"/></Response>");
    cb.route("http://app.example/down", CallbackResult{404, "", {}});
    cb.bxml("http://app.example/up", "<Response><Redirect redirectUrl=\"/down\"/></Response>");
    start();
    REQUIRE(urls() == std::vector<std::string>{call.answerUrl, "http://app.example/down",
                                               "http://app.example/up", "http://app.example/down"});
    CHECK(cb.sent[2].method == "GET");
    REQUIRE(cb.sent[2].scope.credentials);
    CHECK(cb.sent[2].scope.credentials->username == "fu");
    CHECK_FALSE(cb.sent[1].scope.credentials);
    REQUIRE(ended.size() == 1);
    CHECK(ended[0].second == "callback failed: HTTP 404 from http://app.example/down");
}

TEST_CASE("Bxml keeps the credentials and fallbacks of Redirect, Transfer and its targets",
          "[voice][callbacks][Bxml]") {
    auto verbs = bxml::parse(
        "<Response><Transfer transferCompleteUrl=\"/c\" transferCompleteFallbackUrl=\"/cf\" "
        "transferCompleteFallbackMethod=\"GET\" username=\"u\" password=\"p\"><PhoneNumber "
        "transferAnswerUrl=\"/a\" "
        "transferAnswerFallbackUrl=\"/af\" fallbackUsername=\"fu\" "
        "fallbackPassword=\"fp\">+15555550199</PhoneNumber>"
        "</Transfer></Response>");
    REQUIRE(verbs.size() == 1);
    const auto& t = std::get<bxml::Transfer>(verbs[0]);
    REQUIRE(t.transferComplete);
    CHECK(t.transferComplete->fallbackUrl == "/cf");
    CHECK(t.transferComplete->fallbackMethod == "GET");
    REQUIRE(t.transferComplete->credentials);
    CHECK(t.transferComplete->credentials->username == "u");
    CHECK(t.transferComplete->credentials->password == "p");
    CHECK_FALSE(t.transferComplete->fallbackCredentials);  // none given
    const auto& cb = bxml::callbacksOf(t.targets[0]);
    REQUIRE(cb.transferAnswer);
    CHECK(cb.transferAnswer->fallbackUrl == "/af");
    REQUIRE(cb.transferAnswer->fallbackCredentials);
    CHECK(cb.transferAnswer->fallbackCredentials->username == "fu");
    CHECK(cb.transferAnswer->fallbackCredentials->password == "fp");
    CHECK_THROWS_WITH(bxml::parse("<Response><Redirect redirectUrl=\"/x\" username=\"" +
                                  std::string(1025, 'a') + "\" password=\"p\"/></Response>"),
                      Catch::Contains("username must be at most 1024 characters"));
}

// Field names of the Bandwidth Voice API spec (bandwidth-sdk's bandwidth.yml, components/schemas
// answerCallback, initiateCallback, disconnectCallback, redirectCallback, transfer*Callback).
TEST_CASE("event bodies carry Bandwidth's fields and only those",
          "[voice][callbacks][CallbackEvents]") {
    Call call;
    call.callId = newCallId();
    call.accountId = "acc";
    call.applicationId = "app-1";
    call.from = "+15555550100";
    call.to = "+15555550123";
    call.direction = CallDirection::Outbound;
    call.startTime = TimePoint(std::chrono::milliseconds(1714566896123));
    call.answerTime = call.startTime + std::chrono::seconds(2);
    call.endTime = call.startTime + std::chrono::seconds(9);
    call.disconnectCause = "callback-error";
    call.errorMessage = "callback failed";
    call.tag = "t";
    call.callUrl = "http://sb/api/v2/accounts/acc/calls/" + call.callId;
    auto at = call.startTime + std::chrono::seconds(3);
    const std::set<std::string> common{
        "eventType", "eventTime", "accountId",    "applicationId", "from",       "to", "direction",
        "callId",    "callUrl",   "enqueuedTime", "startTime",     "answerTime", "tag"};

    auto answer = answerEvent(call, at);
    CHECK(keys(answer) == common);
    CHECK(answer["eventTime"] == "2024-05-01T12:34:59.123Z");
    CHECK(answer["enqueuedTime"] == "2024-05-01T12:34:56.123Z");
    CHECK(answer["answerTime"] == "2024-05-01T12:34:58.123Z");
    CHECK(answer["direction"] == "outbound");
    CHECK(answer["callUrl"] == call.callUrl);

    auto disconnect = disconnectEvent(call, at);
    auto expected = common;
    expected.insert({"endTime", "cause", "errorMessage"});
    CHECK(keys(disconnect) == expected);
    CHECK(disconnect["cause"] == "callback-error");
    CHECK(disconnect["endTime"] == "2024-05-01T12:35:05.123Z");

    CHECK(keys(redirectEvent(call, at)) == common);

    Call inbound = call;
    inbound.direction = CallDirection::Inbound;
    inbound.answerTime.reset();
    inbound.uui = "abc;encoding=base64";
    CHECK(keys(initiateEvent(inbound, at)) ==
          std::set<std::string>{"eventType", "eventTime", "accountId", "applicationId", "from",
                                "to", "direction", "callId", "callUrl", "startTime", "uui"});

    TransferLeg leg;
    leg.callId = newCallId();
    leg.transferCallerId = "+15555550100";
    leg.transferTo = "+15555550199";
    leg.startTime = at;
    leg.answerTime = at + std::chrono::seconds(1);
    leg.cause = "busy";
    auto complete = transferCompleteEvent(call, leg, at);
    auto completeKeys = common;
    completeKeys.insert({"transferCallerId", "transferTo", "cause"});
    CHECK(keys(complete) == completeKeys);
    CHECK(complete["callId"] == call.callId);

    auto answered = transferAnswerEvent(call, leg, at);
    auto legKeys = common;
    legKeys.insert(
        {"transferCallerId", "transferTo", "parentCallId"});  // parentCallId: our extension
    CHECK(keys(answered) == legKeys);
    CHECK(answered["callId"] == leg.callId);
    CHECK(answered["callUrl"] == "http://sb/api/v2/accounts/acc/calls/" + leg.callId);

    auto gone = transferDisconnectEvent(call, leg, at);
    legKeys.insert({"endTime", "cause"});
    CHECK(keys(gone) == legKeys);
    CHECK(gone["parentCallId"] == call.callId);
    CHECK(gone["cause"] == "busy");
}
