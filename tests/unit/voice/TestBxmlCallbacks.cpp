// callbacks (issue 9): every verb's callback attributes are read by one helper
// (detail::Element::callback) into a CallbackTarget, and every verb callback is sent with its
// credentials and fallback through the real CallFlow (fake media and callback client).
#include <catch2/catch.hpp>
#include <pugixml.hpp>

#include "VoiceFakes.hpp"
#include "server/voice/BxmlElement.hpp"
#include "server/voice/CallFlow.hpp"
#include "server/voice/CallIds.hpp"

using namespace sb::voice;
using namespace sb::voice::test;
using Catch::Contains;

namespace {

std::string refused(const std::string& verbs) {
    try {
        bxml::parse("<Response>" + verbs + "</Response>");
    } catch (const bxml::BxmlError& e) {
        return e.what();
    }
    FAIL("parsed: " << verbs);
    return {};
}

// The helper on its own, on one element.
std::optional<CallbackTarget> callbackOf(const std::string& element, const std::string& prefix,
                                         bxml::detail::CallbackAttributes defined = {}) {
    pugi::xml_document doc;
    REQUIRE(doc.load_string(element.c_str()));
    bxml::detail::Element e(doc.first_child(), "verb 1 <X>");
    return e.callback(prefix, defined);
}

}  // namespace

TEST_CASE("the callback helper reads URL, method, credentials and fallback",
          "[voice][callbacks][Bxml]") {
    auto t = callbackOf(
        "<X fooUrl=' /a ' fooMethod='get' fooFallbackUrl='https://b.example/f' "
        "fooFallbackMethod='Get' "
        "username='u' password='p' fallbackUsername='fu' fallbackPassword='fp'/>",
        "foo");
    REQUIRE(t);
    CHECK(t->url == "/a");  // trimmed; relative URLs stay relative until the flow resolves them
    CHECK(t->method == "GET");
    REQUIRE(t->credentials);
    CHECK(t->credentials->username == "u");
    CHECK(t->credentials->password == "p");
    CHECK(t->fallbackUrl == "https://b.example/f");
    CHECK(t->fallbackMethod == "GET");
    REQUIRE(t->fallbackCredentials);
    CHECK(t->fallbackCredentials->username == "fu");
    CHECK_FALSE(t->timeoutSeconds);

    auto plain = callbackOf("<X fooUrl='http://a.example/x'/>", "foo");
    REQUIRE(plain);
    CHECK(plain->method == "POST");
    CHECK_FALSE(plain->credentials);
    CHECK_FALSE(plain->fallbackUrl);
    CHECK(plain->fallbackMethod == "POST");
    CHECK_FALSE(callbackOf("<X/>", "foo"));
    // fallback credentials without a fallback URL are not used
    auto noFallback = callbackOf("<X fooUrl='/x' fallbackUsername='fu'/>", "foo");
    REQUIRE(noFallback);
    CHECK_FALSE(noFallback->fallbackCredentials);

    auto timed = callbackOf("<X fooUrl='/x' callbackTimeout='2.5'/>", "foo", {true, true});
    REQUIRE(timed);
    CHECK(timed->timeoutSeconds == 2.5);
    CHECK_THROWS_WITH(callbackOf("<X fooUrl='/x' callbackTimeout='30'/>", "foo", {true, true}),
                      Contains("verb 1 <X>: callbackTimeout \"30\" is out of range: must be "
                               "between 1 and 25 seconds"));
}

TEST_CASE("bad callback attributes are refused with the verb and attribute named",
          "[voice][callbacks][Bxml]") {
    CHECK_THAT(refused("<Gather gatherUrl=\"ftp://x.example/g\"/>"),
               Contains("verb 1 <Gather>: gatherUrl \"ftp://x.example/g\" is not an http(s) URL or "
                        "a relative URL"));
    CHECK_THAT(refused("<Gather gatherUrl=\"/g\" gatherFallbackUrl=\"a b\"/>"),
               Contains("gatherFallbackUrl \"a b\" is not an http(s) URL"));
    CHECK_THAT(refused("<Gather gatherFallbackUrl=\"/f\"/>"),
               Contains("verb 1 <Gather>: gatherFallbackUrl is set but gatherUrl is not"));
    CHECK_THAT(
        refused("<Record recordCompleteFallbackUrl=\"/f\"/>"),
        Contains("verb 1 <Record>: recordCompleteFallbackUrl is set but recordCompleteUrl is not"));
    CHECK_THAT(
        refused("<Bridge bridgeTargetCompleteFallbackUrl=\"/f\">c-1</Bridge>"),
        Contains("bridgeTargetCompleteFallbackUrl is set but bridgeTargetCompleteUrl is not"));
    CHECK_THAT(refused("<Transfer "
                       "transferCompleteFallbackUrl=\"/f\"><PhoneNumber>+15555550100</"
                       "PhoneNumber></Transfer>"),
               Contains("transferCompleteFallbackUrl is set but transferCompleteUrl is not"));
    CHECK_THAT(refused("<Gather gatherUrl=\"/g\" gatherMethod=\"PUT\"/>"),
               Contains("gatherMethod \"PUT\" must be GET or POST"));
    CHECK_THAT(refused("<Record recordCompleteUrl=\"/r\" recordCompleteFallbackUrl=\"/f\" "
                       "recordCompleteFallbackMethod=\"DELETE\"/>"),
               Contains("recordCompleteFallbackMethod \"DELETE\" must be GET or POST"));
    CHECK_THAT(refused("<Gather gatherUrl=\"/g\" password=\"p\"/>"),
               Contains("verb 1 <Gather>: password is set but username is not"));
    CHECK_THAT(refused("<Gather gatherUrl=\"/g\" fallbackPassword=\"p\"/>"),
               Contains("fallbackPassword is set but fallbackUsername is not"));
    CHECK_THAT(refused("<Gather gatherUrl=\"/g\" username=\"" + std::string(1025, 'u') + "\"/>"),
               Contains("username must be at most 1024 characters"));
    // Bandwidth defines no fallback for dtmfUrl, transferDisconnectUrl or recordingAvailableUrl.
    CHECK_THAT(refused("<StartGather dtmfUrl=\"/d\" dtmfFallbackUrl=\"/f\"/>"),
               Contains("unknown attribute \"dtmfFallbackUrl\""));
    CHECK_THAT(
        refused(
            "<StartRecording recordingAvailableUrl=\"/a\" recordingAvailableFallbackUrl=\"/f\"/>"),
        Contains("unknown attribute \"recordingAvailableFallbackUrl\""));
    // No callback, no credentials: <Pause username> is not Bandwidth's.
    CHECK_THAT(refused("<Pause username=\"u\"/>"), Contains("unknown attribute \"username\""));
}

TEST_CASE("resolveTarget resolves the URL and the fallback URL against the document's URL",
          "[voice][callbacks]") {
    CallbackTarget t;
    t.url = "next";
    t.fallbackUrl = "/fb";
    auto r = resolveTarget("https://app.example/voice/answer?x=1", t);
    CHECK(r.url == "https://app.example/voice/next");
    CHECK(r.fallbackUrl == "https://app.example/fb");
    CHECK_FALSE(resolveTarget("https://app.example/", std::optional<CallbackTarget>{}));
}

namespace {

struct VerbFlow {
    ManualExecutor ex;
    FakeCallbacks cb;
    std::shared_ptr<FakeMedia> media = std::make_shared<FakeMedia>();
    TimePoint now{std::chrono::seconds(1714566896)};
    std::vector<std::pair<std::string, std::string>> ended;
    Call call;
    std::shared_ptr<CallFlow> flow;

    VerbFlow() {
        call.callId = newCallId();
        call.accountId = "acc";
        call.from = "+15555550100";
        call.to = "+15555550123";
        call.answerUrl = "http://app.example/voice/answer";
        call.startTime = now;
        call.answerTime = now;
        call.state = CallState::Answered;
        call.callbacks.callbackTimeout = 15;
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
    const SentCallback* to(const std::string& url) const {
        for (const auto& s : cb.sent)
            if (s.url == url) return &s;
        return nullptr;
    }
};

}  // namespace

TEST_CASE_METHOD(
    VerbFlow, "a Gather's callback carries its credentials and falls back with the fallback ones",
    "[voice][callbacks][ivr]") {
    cb.bxml(call.answerUrl,
            "<Response><Gather gatherUrl=\"gather\" gatherFallbackUrl=\"/fb/gather\" "
            "gatherFallbackMethod=\"GET\" "
            "username=\"gu\" password=\"gp\" fallbackUsername=\"fu\" fallbackPassword=\"fp\" "
            "maxDigits=\"1\"/>"
            "<Hangup/></Response>");
    cb.route("http://app.example/voice/gather", CallbackResult{500, "", {}});
    cb.bxml("http://app.example/fb/gather", "<Response><Pause duration=\"2\"/></Response>");
    start();
    media->press("7");
    ex.run();
    const auto* primary = to("http://app.example/voice/gather");
    REQUIRE(primary);
    REQUIRE(primary->scope.credentials);
    CHECK(primary->scope.credentials->username == "gu");
    CHECK(primary->scope.credentials->password == "gp");
    CHECK(primary->scope.timeout ==
          std::chrono::milliseconds(15000));  // the call's callbackTimeout
    const auto* fallback = to("http://app.example/fb/gather");
    REQUIRE(fallback);
    CHECK(fallback->method == "GET");
    REQUIRE(fallback->scope.credentials);
    CHECK(fallback->scope.credentials->username == "fu");
    CHECK(fallback->body.value("digits", "") == "7");
    // The fallback's document runs (a Pause), not the <Hangup> after the Gather.
    CHECK(ended.empty());
    ex.advance(std::chrono::seconds(2));
    ex.run();
    REQUIRE(ended.size() == 1);
    CHECK(ended[0].first == "hangup");
}

TEST_CASE_METHOD(VerbFlow,
                 "Bridge, StartGather and Transfer callbacks carry their verbs' credentials",
                 "[voice][callbacks]") {
    cb.bxml(call.answerUrl,
            "<Response><StartGather dtmfUrl=\"/dtmf\" username=\"du\" password=\"dp\"/>"
            "<Bridge bridgeCompleteUrl=\"/bc\" bridgeCompleteFallbackUrl=\"/bcf\" username=\"bu\" "
            "password=\"bp\" "
            "fallbackUsername=\"bfu\" fallbackPassword=\"bfp\">c-nope</Bridge></Response>");
    cb.route("http://app.example/bc", CallbackResult{0, "", "connection refused"});
    cb.bxml("http://app.example/bcf", "<Response><Pause duration=\"5\"/></Response>");
    start();
    media->press("5");
    ex.run();
    const auto* dtmf = to("http://app.example/dtmf");
    REQUIRE(dtmf);
    REQUIRE(dtmf->scope.credentials);
    CHECK(dtmf->scope.credentials->username == "du");
    const auto* bc = to("http://app.example/bc");
    REQUIRE(bc);  // the target call does not exist: bridgeComplete says so
    REQUIRE(bc->scope.credentials);
    CHECK(bc->scope.credentials->password == "bp");
    const auto* bcf = to("http://app.example/bcf");
    REQUIRE(bcf);
    REQUIRE(bcf->scope.credentials);
    CHECK(bcf->scope.credentials->username == "bfu");
    CHECK(ended.empty());  // the fallback's Pause runs
}
