// The IVR verbs of a call flow (Gather's state machine, SpeakSentence, StartGather) against fake
// media that reports digits, fake callbacks and a virtual-time executor.
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

struct IvrFlow {
    ManualExecutor ex;
    FakeCallbacks cb;
    std::shared_ptr<FakeMedia> media = std::make_shared<FakeMedia>();
    TimePoint now{std::chrono::seconds(1714566896)};
    std::vector<std::pair<std::string, std::string>> ended;
    Call call;
    std::shared_ptr<CallFlow> flow;
    const std::string answerUrl = "http://app.example/voice/answer";
    const std::string gatherUrl = "http://app.example/voice/gather";

    IvrFlow() {
        call.callId = newCallId();
        call.accountId = "acc";
        call.applicationId = "app-1";
        call.from = "+15555550100";
        call.to = "+15555550123";
        call.answerUrl = answerUrl;
        call.startTime = now;
        call.answerTime = now;
        call.state = CallState::Answered;
    }
    void start(const std::string& verbs) {
        cb.bxml(answerUrl, doc(verbs));
        CallFlowHooks hooks;
        hooks.ended = [this](const std::string& c, const std::string& m) {
            ended.emplace_back(c, m);
        };
        flow = std::make_shared<CallFlow>(
            call, media, cb, ex, [this] { return now; }, hooks);
        flow->start();
        ex.run();
    }
    void press(const std::string& digits) {
        media->press(digits);
        ex.run();
    }
    // Completes the media operations the fake holds (prompts), in order.
    void finishPrompts() {
        while (!media->pending.empty()) {
            auto done = std::move(media->pending.front());
            media->pending.erase(media->pending.begin());
            done(true, {});
            ex.run();
        }
    }
    const SentCallback* gatherEvent() const { return cb.last("gather"); }
    std::string endCause() const { return ended.empty() ? "" : ended.front().first; }
    std::string endMessage() const { return ended.empty() ? "" : ended.front().second; }
};

}  // namespace

TEST_CASE_METHOD(IvrFlow, "SpeakSentence speaks with the chosen voice and moves on",
                 "[voice][ivr]") {
    start(
        "<SpeakSentence gender=\"male\">Hello "
        "there</SpeakSentence><SpeakSentence>Bye</SpeakSentence>");
    CHECK(media->log ==
          std::vector<std::string>{"speak rms Hello there", "speak slt Bye", "hangup"});
    CHECK(endCause() == "hangup");
}

TEST_CASE_METHOD(IvrFlow, "Gather: maxDigits ends it and the gather reply is the next document",
                 "[voice][ivr]") {
    cb.bxml(gatherUrl, doc("<SpeakSentence>Sales</SpeakSentence>"));
    start(
        "<Gather gatherUrl=\"gather\" maxDigits=\"2\" "
        "tag=\"menu\"><SpeakSentence>Press</SpeakSentence></Gather>"
        "<Hangup/>");
    press("4");
    CHECK(gatherEvent() == nullptr);
    press("2");
    const auto* e = gatherEvent();
    REQUIRE(e);
    CHECK(e->url == gatherUrl);
    CHECK(e->body["eventType"] == "gather");
    CHECK(e->body["digits"] == "42");
    CHECK(e->body["terminatingDigit"] == "");
    CHECK(e->body["tag"] == "menu");
    CHECK(e->body["callId"] == call.callId);
    CHECK(media->log == std::vector<std::string>{"speak slt Press", "speak slt Sales", "hangup"});
}

TEST_CASE_METHOD(IvrFlow, "Gather: the first digit interrupts the prompts", "[voice][ivr]") {
    media->autoComplete = false;
    start(
        "<Gather gatherUrl=\"gather\" maxDigits=\"1\"><SpeakSentence>One</SpeakSentence>"
        "<PlayAudio>two.wav</PlayAudio></Gather>");
    CHECK(media->log == std::vector<std::string>{"speak slt One"});
    cb.bxml(gatherUrl, "");
    press("7");
    CHECK(media->log == std::vector<std::string>{"speak slt One", "stop",
                                                 "hangup"});  // empty reply: end of document
    // The interrupted prompt's completion comes late and is ignored.
    finishPrompts();
    REQUIRE(gatherEvent());
    CHECK(gatherEvent()->body["digits"] == "7");
    CHECK(ended.size() == 1);
}

TEST_CASE_METHOD(IvrFlow, "Gather: a terminating digit ends it and is not in digits",
                 "[voice][ivr]") {
    cb.bxml(gatherUrl, "");
    start("<Gather gatherUrl=\"gather\" terminatingDigits=\"#*\"/><Hangup/>");
    press("12#");
    REQUIRE(gatherEvent());
    CHECK(gatherEvent()->body["digits"] == "12");
    CHECK(gatherEvent()->body["terminatingDigit"] == "#");
    CHECK(endCause() == "hangup");
}

TEST_CASE_METHOD(IvrFlow, "Gather: interDigitTimeout after the last digit", "[voice][ivr]") {
    cb.bxml(gatherUrl, "");
    start("<Gather gatherUrl=\"gather\" interDigitTimeout=\"3\" firstDigitTimeout=\"10\"/>");
    ex.advance(9s);
    press("5");
    ex.advance(2900ms);
    CHECK(gatherEvent() == nullptr);
    press("6");
    ex.advance(2900ms);
    CHECK(gatherEvent() == nullptr);
    ex.advance(200ms);
    REQUIRE(gatherEvent());
    CHECK(gatherEvent()->body["digits"] == "56");
}

TEST_CASE_METHOD(IvrFlow, "Gather: without digits the prompts repeat, then an empty gather event",
                 "[voice][ivr]") {
    cb.bxml(gatherUrl, doc("<SpeakSentence>Goodbye</SpeakSentence>"));
    media->autoComplete = false;
    start(
        "<Gather gatherUrl=\"gather\" firstDigitTimeout=\"2\" "
        "repeatCount=\"3\"><SpeakSentence>Menu</SpeakSentence></Gather>");
    for (int pass = 1; pass <= 3; ++pass) {
        CHECK(media->pending.size() == 1);
        finishPrompts();
        ex.advance(1900ms);
        CHECK(gatherEvent() == nullptr);
        ex.advance(100ms);
    }
    REQUIRE(gatherEvent());
    CHECK(gatherEvent()->body["digits"] == "");
    CHECK(gatherEvent()->body["terminatingDigit"] == "");
    CHECK(media->log == std::vector<std::string>{"speak slt Menu", "speak slt Menu",
                                                 "speak slt Menu", "speak slt Goodbye"});
}

TEST_CASE_METHOD(IvrFlow, "Gather without gatherUrl continues with the next verb", "[voice][ivr]") {
    start("<Gather maxDigits=\"1\"/><SpeakSentence>After</SpeakSentence>");
    press("9");
    CHECK(gatherEvent() == nullptr);
    CHECK(media->log == std::vector<std::string>{"speak slt After", "hangup"});
}

TEST_CASE_METHOD(IvrFlow, "digits outside a Gather are not collected", "[voice][ivr]") {
    cb.bxml(gatherUrl, "");
    media->autoComplete = false;
    start("<SpeakSentence>Hi</SpeakSentence><Gather gatherUrl=\"gather\" maxDigits=\"1\"/>");
    // No Gather yet: nothing listens (and nothing is buffered for the later Gather).
    press("1");
    finishPrompts();
    press("2");
    REQUIRE(gatherEvent());
    CHECK(gatherEvent()->body["digits"] == "2");
}

TEST_CASE_METHOD(IvrFlow, "a failing gather callback ends the call with callback-error",
                 "[voice][ivr]") {
    cb.route(gatherUrl, CallbackResult{500, "", {}});
    start("<Gather gatherUrl=\"gather\" maxDigits=\"1\"/>");
    press("3");
    CHECK(endCause() == "callback-error");
    CHECK_THAT(endMessage(), Catch::Contains("HTTP 500"));
}

TEST_CASE_METHOD(IvrFlow, "StartGather sends a dtmf event per digit until StopGather",
                 "[voice][ivr]") {
    const std::string dtmfUrl = "http://app.example/voice/dtmf";
    cb.bxml(dtmfUrl, "");
    media->autoComplete = false;
    start(
        "<StartGather dtmfUrl=\"dtmf\"/><SpeakSentence>Talk</SpeakSentence><StopGather/>"
        "<SpeakSentence>Quiet</SpeakSentence>");
    press("1*");
    finishPrompts();
    press("2");
    std::vector<std::string> digits;
    for (const auto& s : cb.sent)
        if (s.body.value("eventType", "") == "dtmf") digits.push_back(s.body["digit"]);
    CHECK(digits == std::vector<std::string>{"1", "*"});
    CHECK(cb.last("dtmf")->url == dtmfUrl);
}

TEST_CASE_METHOD(IvrFlow, "a redirect abandons the Gather", "[voice][ivr]") {
    const std::string redirectUrl = "http://app.example/voice/other";
    cb.bxml(redirectUrl, doc("<Pause duration=\"30\"/>"));
    start("<Gather gatherUrl=\"gather\" maxDigits=\"1\"/>");
    flow->redirect(redirectUrl, "POST");
    ex.run();
    press("1");
    ex.advance(10s);
    CHECK(gatherEvent() == nullptr);
}
