// BXML execution for one call, against fake media, callbacks and a virtual-time executor.
#include <catch2/catch.hpp>

#include "VoiceFakes.hpp"
#include "server/voice/CallFlow.hpp"
#include "server/voice/CallIds.hpp"

using namespace sb::voice;
using namespace sb::voice::test;
using namespace std::chrono_literals;

namespace {

std::string doc(const std::string& verbs) {
    return "<Response>" + verbs + "</Response>";
}

struct Flow {
    ManualExecutor ex;
    FakeCallbacks cb;
    std::shared_ptr<FakeMedia> media = std::make_shared<FakeMedia>();
    TimePoint now{std::chrono::seconds(1714566896)};
    std::vector<std::pair<std::string, std::string>> ended;
    int answered = 0;
    std::vector<std::optional<std::string>> tags;
    Call call;
    std::shared_ptr<CallFlow> flow;
    int maxRedirectHops = 10;

    Flow() {
        call.callId = newCallId();
        call.accountId = "acc";
        call.applicationId = "app-1";
        call.from = "+15555550100";
        call.to = "+15555550123";
        call.answerUrl = "http://app.example/voice/answer";
        call.startTime = now;
        call.answerTime = now;
        call.state = CallState::Answered;
        call.callUrl = "http://sb/v1/accounts/acc/calls/" + call.callId;
    }
    void start() {
        CallFlowHooks hooks;
        hooks.answered = [this] { ++answered; };
        hooks.tagChanged = [this](const std::optional<std::string>& t) { tags.push_back(t); };
        hooks.ended = [this](const std::string& c, const std::string& m) {
            ended.emplace_back(c, m);
        };
        flow = std::make_shared<CallFlow>(
            call, media, cb, ex, [this] { return now; }, hooks, maxRedirectHops);
        flow->start();
        ex.run();
    }
    std::string endCause() const { return ended.empty() ? "" : ended.front().first; }
    std::string endMessage() const { return ended.empty() ? "" : ended.front().second; }
};

}  // namespace

TEST_CASE_METHOD(Flow, "<PlayAudio> files are fetched with the verb's own credentials",
                 "[voice][CallFlow]") {
    cb.bxml(call.answerUrl,
            doc("<PlayAudio username=\"cdn\" password=\"pw\">audio/hi.wav</PlayAudio>"));
    start();
    CHECK(media->log ==
          std::vector<std::string>{"play http://app.example/voice/audio/hi.wav as cdn", "hangup"});
}

TEST_CASE_METHOD(Flow, "answer callback, verbs in order, hang up at the end", "[voice][CallFlow]") {
    cb.bxml(
        call.answerUrl,
        doc("<PlayAudio>audio/hi.wav</PlayAudio><SendDtmf toneDuration=\"100\">12#</SendDtmf>"));
    start();
    REQUIRE(cb.sent.size() == 1);
    const auto& answer = cb.sent[0].body;
    CHECK(answer["eventType"] == "answer");
    CHECK(answer["callId"] == call.callId);
    CHECK(answer["accountId"] == "acc");
    CHECK(answer["applicationId"] == "app-1");
    CHECK(answer["direction"] == "outbound");
    CHECK(answer["answerTime"] == "2024-05-01T12:34:56.000Z");
    CHECK(answer["callUrl"] == call.callUrl);
    CHECK(cb.sent[0].method == "POST");
    CHECK(media->log == std::vector<std::string>{"play http://app.example/voice/audio/hi.wav",
                                                 "dtmf 12# 100/400", "hangup"});
    REQUIRE(ended.size() == 1);
    CHECK(ended[0] == std::make_pair(std::string("hangup"), std::string()));
    CHECK(flow->finished());
}

TEST_CASE_METHOD(Flow, "an empty answer document hangs up", "[voice][CallFlow]") {
    cb.bxml(call.answerUrl, "");
    start();
    CHECK(media->log == std::vector<std::string>{"hangup"});
    CHECK(endCause() == "hangup");
}

TEST_CASE_METHOD(Flow, "Pause and Ring wait on the executor's timer", "[voice][CallFlow]") {
    cb.bxml(call.answerUrl, doc("<Pause duration=\"2\"/><Ring "
                                "duration=\"0.5\"/><Hangup/><PlayAudio>x.wav</PlayAudio>"));
    start();
    CHECK(ex.pendingTimers() == 1);
    ex.advance(1999ms);
    CHECK(ended.empty());
    ex.advance(1ms);
    CHECK(ended.empty());
    ex.advance(500ms);
    CHECK(endCause() == "hangup");
    CHECK(media->log == std::vector<std::string>{"hangup"});  // nothing after <Hangup> runs
}

TEST_CASE_METHOD(Flow, "Redirect fetches the next document, relative URLs resolved",
                 "[voice][CallFlow]") {
    cb.bxml(
        call.answerUrl,
        doc("<Redirect redirectUrl=\"/step2?x=1\" redirectMethod=\"GET\" tag=\"t2\"/><Hangup/>"));
    cb.bxml("http://app.example/step2?x=1", doc("<Tag>t3</Tag><PlayAudio>/a.wav</PlayAudio>"));
    start();
    REQUIRE(cb.sent.size() == 2);
    CHECK(cb.sent[1].url == "http://app.example/step2?x=1");
    CHECK(cb.sent[1].method == "GET");
    CHECK(cb.sent[1].body["eventType"] == "redirect");
    CHECK(cb.sent[1].body["tag"] == "t2");
    CHECK(media->log == std::vector<std::string>{"play http://app.example/a.wav", "hangup"});
    CHECK(tags == std::vector<std::optional<std::string>>{"t2", "t3"});
    CHECK(endCause() == "hangup");
}

TEST_CASE_METHOD(Flow, "failures end the call with Bandwidth's causes and a reason",
                 "[voice][CallFlow]") {
    SECTION("the callback answers 500") {
        cb.route(call.answerUrl, CallbackResult{500, "oops", {}});
        start();
        CHECK(endCause() == "callback-error");
        CHECK_THAT(endMessage(), Catch::Contains("HTTP 500 from http://app.example/voice/answer"));
    }
    SECTION("the callback cannot be reached") {
        cb.route(call.answerUrl, CallbackResult{0, "", "connection refused"});
        start();
        CHECK(endCause() == "callback-error");
        CHECK_THAT(endMessage(), Catch::Contains("connection refused"));
    }
    SECTION("invalid BXML") {
        cb.bxml(call.answerUrl, doc("<Pause duration=\"0\"/>"));
        start();
        CHECK(endCause() == "invalid-bxml");
        CHECK_THAT(endMessage(), Catch::Contains("verb 1 <Pause>: duration \"…\" is out of range"));
    }
    SECTION("an unsupported verb") {
        cb.bxml(call.answerUrl, doc("<StartStream destination=\"wss://x\"/>"));
        start();
        CHECK(endCause() == "application-error");
        CHECK(endMessage() == "<StartStream> is not supported by this server");
    }
    SECTION("media fails to play") {
        media->autoComplete = false;
        cb.bxml(call.answerUrl, doc("<PlayAudio>http://cdn/x.ogg</PlayAudio>"));
        start();
        REQUIRE(media->pending.size() == 1);
        media->pending[0](false, "unsupported format");
        ex.run();
        CHECK(endCause() == "application-error");
        CHECK(endMessage() == "<PlayAudio> failed: unsupported format");
    }
    CHECK(media->log.back() == "hangup");
    CHECK(ended.size() == 1);
}

TEST_CASE_METHOD(Flow, "Transfer without transferCompleteUrl continues after the B-leg ends",
                 "[voice][CallFlow]") {
    cb.bxml(call.answerUrl, doc("<Transfer transferCallerId=\"+15555550999\" callTimeout=\"12\">"
                                "<SipUri uui=\"aaa.bbb.ccc;encoding=jwt\" "
                                "transferAnswerUrl=\"/ta\" transferDisconnectUrl=\"/td\">"
                                "sip:sipx.webrtc.bandwidth.com:5060</SipUri></"
                                "Transfer><PlayAudio>bye.wav</PlayAudio>"));
    start();
    REQUIRE(media->log == std::vector<std::string>{"transfer 1"});
    const auto& req = media->lastTransfer;
    CHECK(req.callId == call.callId);
    CHECK(req.from == "+15555550999");
    CHECK(req.callTimeout == 12);
    REQUIRE(req.legCallIds.size() == 1);
    CHECK(isCallId(req.legCallIds[0]));
    const auto& sip = std::get<bxml::SipUriTarget>(req.targets[0]);
    CHECK(sip.uui == std::optional<std::string>("aaa.bbb.ccc;encoding=jwt"));
    REQUIRE(sip.callbacks.transferAnswer);
    CHECK(sip.callbacks.transferAnswer->url == "http://app.example/ta");

    media->transferAnswered(0);
    ex.run();
    auto* ta = cb.last("transferAnswer");
    REQUIRE(ta);
    CHECK(ta->url == "http://app.example/ta");
    CHECK(ta->body["callId"] == req.legCallIds[0]);
    CHECK(ta->body["parentCallId"] == call.callId);
    CHECK(ta->body["transferTo"] == "sip:sipx.webrtc.bandwidth.com:5060");

    now += std::chrono::seconds(60);
    media->transferDone(TransferOutcome{0, {TransferLegResult{true, "hangup", ""}}});
    ex.run();
    auto* td = cb.last("transferDisconnect");
    REQUIRE(td);
    CHECK(td->url == "http://app.example/td");
    CHECK(td->body["cause"] == "hangup");
    CHECK(td->body["endTime"] == "2024-05-01T12:35:56.000Z");
    CHECK(media->log == std::vector<std::string>{
                            "transfer 1", "play http://app.example/voice/bye.wav", "hangup"});
    CHECK(endCause() == "hangup");
}

TEST_CASE_METHOD(Flow, "transferCompleteUrl replaces the verbs after Transfer",
                 "[voice][CallFlow]") {
    cb.bxml(call.answerUrl,
            doc("<Transfer transferCompleteUrl=\"http://app.example/tc\">"
                "<PhoneNumber>+15555550123</PhoneNumber><PhoneNumber>+15555550124</PhoneNumber>"
                "</Transfer><PlayAudio>never.wav</PlayAudio>"));
    cb.bxml("http://app.example/tc", doc("<SendDtmf>9</SendDtmf>"));
    start();
    CHECK(media->lastTransfer.from == call.from);  // no transferCallerId: the A-leg's caller id
    CHECK(media->lastTransfer.callTimeout == 30);
    media->transferDone(
        TransferOutcome{std::nullopt, {{false, "busy", ""}, {false, "timeout", ""}}});
    ex.run();
    auto* tc = cb.last("transferComplete");
    REQUIRE(tc);
    CHECK(tc->body["callId"] == call.callId);
    CHECK(tc->body["transferTo"] == "+15555550124");
    CHECK(tc->body["cause"] == "timeout");
    CHECK(media->log == std::vector<std::string>{"transfer 2", "dtmf 9 200/400", "hangup"});
}

TEST_CASE_METHOD(Flow, "REST hangup and remote hangup stop the flow", "[voice][CallFlow]") {
    cb.bxml(call.answerUrl, doc("<Pause duration=\"10\"/><PlayAudio>x.wav</PlayAudio>"));
    SECTION("hangup") {
        start();
        flow->hangup();
        ex.run();
        CHECK(endCause() == "hangup");
        CHECK(media->log == std::vector<std::string>{"hangup"});
    }
    SECTION("stop: no media hangup, no report") {
        start();
        flow->stop();
        ex.run();
        CHECK(ended.empty());
        CHECK(media->log.empty());
    }
    ex.advance(20s);  // the stale Pause timer does nothing
    CHECK(ended.size() <= 1);
    CHECK(std::find(media->log.begin(), media->log.end(), "play http://app.example/voice/x.wav") ==
          media->log.end());
}

TEST_CASE_METHOD(Flow, "REST redirect drops a transfer in progress", "[voice][CallFlow]") {
    cb.bxml(call.answerUrl,
            doc("<Transfer><SipUri "
                "transferDisconnectUrl=\"/td\">sip:a@b</SipUri></Transfer><Hangup/>"));
    cb.bxml("http://app.example/new", doc("<PlayAudio>http://cdn/x.wav</PlayAudio><Pause/>"));
    start();
    flow->redirect("http://app.example/new", "POST");
    ex.run();
    CHECK(cb.last("redirect"));
    CHECK(media->log == std::vector<std::string>{"transfer 1", "stop", "play http://cdn/x.wav"});
    media->transferDone(TransferOutcome{std::nullopt, {{false, "cancel", ""}}});
    ex.run();
    CHECK(cb.last("transferDisconnect"));  // still reported
    CHECK(ended.empty());                  // but the flow is now in the new document
    ex.advance(1s);
    CHECK(endCause() == "hangup");
}

TEST_CASE_METHOD(Flow, "inbound calls: initiate, answer, then the verbs", "[voice][CallFlow]") {
    call.direction = CallDirection::Inbound;
    call.answerTime.reset();
    call.state = CallState::Initiated;
    call.uui = "aaa.bbb.ccc;encoding=jwt";
    cb.bxml(call.answerUrl, doc("<Redirect redirectUrl=\"/next\"/>"));
    cb.bxml("http://app.example/next", doc("<Hangup/>"));
    media->autoComplete = false;
    start();
    REQUIRE(cb.sent.size() == 1);
    CHECK(cb.sent[0].body["eventType"] == "initiate");
    CHECK(cb.sent[0].body["direction"] == "inbound");
    CHECK(cb.sent[0].body["uui"] == "aaa.bbb.ccc;encoding=jwt");
    CHECK_FALSE(cb.sent[0].body.contains("answerTime"));
    CHECK(media->log == std::vector<std::string>{"answer"});
    now += 1s;
    media->pending[0](true, {});
    ex.run();
    CHECK(answered == 1);
    REQUIRE(cb.sent.size() == 2);
    CHECK(cb.sent[1].body["answerTime"] == "2024-05-01T12:34:57.000Z");
    CHECK(endCause() == "hangup");
}

TEST_CASE_METHOD(Flow, "inbound call whose answer fails", "[voice][CallFlow]") {
    call.direction = CallDirection::Inbound;
    call.answerTime.reset();
    cb.bxml(call.answerUrl, doc("<Hangup/>"));
    media->autoComplete = false;
    start();
    media->pending[0](false, "488 Not Acceptable Here");
    ex.run();
    CHECK(answered == 0);
    CHECK(endCause() == "error");
    CHECK_THAT(endMessage(), Catch::Contains("488"));
}

TEST_CASE("resolveUrl", "[voice][CallFlow]") {
    CHECK(resolveUrl("http://a.b/x/y?q=1", "z.xml") == "http://a.b/x/z.xml");
    CHECK(resolveUrl("http://a.b/x/y", "/z") == "http://a.b/z");
    CHECK(resolveUrl("http://a.b:8080", "z") == "http://a.b:8080/z");
    CHECK(resolveUrl("http://a.b?q", "z") == "http://a.b/z");
    CHECK(resolveUrl("https://a.b/x", "//c.d/e") == "https://c.d/e");
    CHECK(resolveUrl("http://a.b/x", "https://c.d/e") == "https://c.d/e");
}

TEST_CASE_METHOD(Flow, "transferDisconnect is sent even after the flow is gone",
                 "[voice][CallFlow]") {
    cb.bxml(call.answerUrl,
            doc("<Transfer><SipUri transferDisconnectUrl=\"/td\">sip:a@b</SipUri></Transfer>"));
    start();
    flow->stop();
    ex.run();
    std::weak_ptr<CallFlow> weak = flow;
    flow.reset();
    CHECK(weak.expired());  // the media's callbacks do not keep the flow alive
    media->transferDone(TransferOutcome{std::nullopt, {{false, "hangup", ""}}});
    ex.run();
    auto* td = cb.last("transferDisconnect");
    REQUIRE(td);
    CHECK(td->url == "http://app.example/td");
    CHECK(td->body["parentCallId"] == call.callId);
    CHECK(ended.empty());
}

TEST_CASE_METHOD(Flow, "a transfer leg that ends early is reported then, and only once",
                 "[voice][CallFlow]") {
    cb.bxml(
        call.answerUrl,
        doc("<Transfer><PhoneNumber transferDisconnectUrl=\"/td1\">+15555550123</PhoneNumber>"
            "<PhoneNumber transferDisconnectUrl=\"/td2\">+15555550124</PhoneNumber></Transfer>"));
    start();
    REQUIRE(media->lastTransfer.legEnded);
    // The second target answers; the first is cancelled at that moment.
    media->transferAnswered(1);
    media->lastTransfer.legEnded(0, TransferLegResult{false, "cancel", ""});
    ex.run();
    auto disconnects = [&] {
        std::vector<std::string> out;
        for (const auto& s : cb.sent)
            if (s.body.value("eventType", "") == "transferDisconnect")
                out.push_back(s.body.value("transferTo", "") + " " + s.body.value("cause", ""));
        return out;
    };
    CHECK(disconnects() == std::vector<std::string>{"+15555550123 cancel"});
    // The bridged leg ends with the transfer: only it is reported now.
    media->transferDone(TransferOutcome{1, {{false, "cancel", ""}, {true, "hangup", ""}}});
    ex.run();
    CHECK(disconnects() == std::vector<std::string>{"+15555550123 cancel", "+15555550124 hangup"});
}

TEST_CASE_METHOD(Flow, "a <Redirect> loop ends after the hop limit with a reason",
                 "[voice][CallFlow][outbound]") {
    SECTION("redirecting to itself") {
        cb.bxml(call.answerUrl, doc("<Redirect redirectUrl=\"/loop\"/>"));
        cb.bxml("http://app.example/loop", doc("<Tag>x</Tag><Redirect redirectUrl=\"/loop\"/>"));
        start();
        ex.run();
        CHECK(endCause() == "application-error");
        CHECK_THAT(endMessage(), Catch::StartsWith("more than 10 <Redirect>s in a row"));
        CHECK(cb.sent.size() == 11);  // the answer callback and 10 redirects, no more
        CHECK(media->log.back() == "hangup");
    }
    SECTION("a chain that plays something at each step is an application's IVR, not a runaway") {
        maxRedirectHops = 1;
        cb.bxml(call.answerUrl, doc("<Redirect redirectUrl=\"/menu1\"/>"));
        for (int i = 1; i < 6; ++i)
            cb.bxml("http://app.example/menu" + std::to_string(i),
                    doc("<PlayAudio>p.wav</PlayAudio><Redirect redirectUrl=\"/menu" +
                        std::to_string(i + 1) + "\"/>"));
        cb.bxml("http://app.example/menu6", doc("<Hangup/>"));
        start();
        ex.run();
        CHECK(cb.sent.size() == 7);  // 6 redirects in all, never 2 in a row without a PlayAudio
        CHECK(endCause() == "hangup");
    }
    SECTION("two in a row over a limit of one") {
        maxRedirectHops = 1;
        cb.bxml(call.answerUrl, doc("<Redirect redirectUrl=\"/a\"/>"));
        cb.bxml("http://app.example/a",
                doc("<Pause duration=\"0.5\"/><Redirect redirectUrl=\"/b\"/>"));
        cb.bxml("http://app.example/b", doc("<Hangup/>"));
        start();
        ex.advance(1s);
        CHECK(endCause() == "application-error");  // a 0.5 s Pause does not count as time spent
        CHECK(cb.sent.size() == 2);
    }
}

TEST_CASE_METHOD(Flow, "the call's errorMessage never repeats what the callback server sent",
                 "[voice][CallFlow][outbound]") {
    const std::string marker = "SECRET-MARKER-42";
    for (const auto& body : {"<html><body>" + marker + "</body></html>", doc(marker),
                             doc("<Pause duration=\"" + marker + "\"/>"), doc("<" + marker + "/>"),
                             doc("<Pause " + marker + "=\"1\"/>"), "<" + marker + ">"}) {
        Flow f;
        f.cb.bxml(f.call.answerUrl, body);
        f.start();
        INFO(body << " -> " << f.endMessage());
        CHECK(f.endCause() == "invalid-bxml");
        CHECK(f.endMessage().find(marker) == std::string::npos);
        CHECK(f.endMessage().find("html") == std::string::npos);
    }
}

TEST_CASE_METHOD(Flow, "callbacks carry the call's account and id (the outbound policy's scope)",
                 "[voice][CallFlow][outbound]") {
    cb.bxml(call.answerUrl, doc("<Hangup/>"));
    start();
    REQUIRE(!cb.sent.empty());
    CHECK(cb.sent[0].scope.accountId == "acc");
    CHECK(cb.sent[0].scope.callId == call.callId);
}
