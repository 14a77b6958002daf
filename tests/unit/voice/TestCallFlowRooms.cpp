// <Bridge> and <Forward> execution (BridgeVerbs.cpp, TransferVerbs.cpp): two flows on one
// virtual-time executor, fake media standing in for the SIP side.
#include <catch2/catch.hpp>
#include <map>

#include "VoiceFakes.hpp"
#include "server/voice/CallFlow.hpp"

using namespace sb::voice;
using namespace sb::voice::test;
using namespace std::chrono_literals;

namespace {

struct Leg {
    Call call;
    std::shared_ptr<FakeMedia> media = std::make_shared<FakeMedia>();
    std::shared_ptr<CallFlow> flow;
    std::vector<std::string> ended;  // causes
    int answered = 0;
};

struct Rooms {
    ManualExecutor ex;
    FakeCallbacks cb;
    TimePoint now{std::chrono::seconds(1714566896)};
    std::map<std::string, Leg> legs;

    Leg& add(const std::string& name, const std::string& account, const std::string& answerDoc) {
        auto& l = legs[name];
        l.call.callId = "c-" + name;
        l.call.accountId = account;
        l.call.from = "+15555550100";
        l.call.to = "+15555550123";
        l.call.answerUrl = "http://app.example/" + name + "/answer";
        l.call.startTime = now;
        l.call.answerTime = now;
        l.call.state = CallState::Answered;
        cb.bxml(l.call.answerUrl, answerDoc);
        return l;
    }
    void start(Leg& l) {
        CallFlowHooks hooks;
        hooks.answered = [&l] { ++l.answered; };
        hooks.ended = [&l](const std::string& c, const std::string&) { l.ended.push_back(c); };
        hooks.flowOf =
            [this, account = l.call.accountId](const std::string& id) -> std::shared_ptr<CallFlow> {
            for (auto& [name, other] : legs)
                if (other.call.callId == id && other.call.accountId == account) return other.flow;
            return nullptr;
        };
        l.flow = std::make_shared<CallFlow>(
            l.call, l.media, cb, ex, [this] { return now; }, hooks);
        l.flow->start();
        ex.run();
    }
};

}  // namespace

TEST_CASE_METHOD(Rooms,
                 "<Bridge>: the target's BXML is cancelled; when the origin leaves the target gets "
                 "bridgeTargetComplete",
                 "[voice][CallFlow][rooms]") {
    auto& a =
        add("a", "acc", "<Response><Pause duration=\"60\"/><SendDtmf>1</SendDtmf></Response>");
    auto& b = add("b", "acc",
                  "<Response><Bridge bridgeCompleteUrl=\"/done\" "
                  "bridgeTargetCompleteUrl=\"/target\">c-a</Bridge></Response>");
    cb.bxml("http://app.example/target",
            "<Response><SendDtmf>9</SendDtmf></Response>");  // relative to b's document
    start(a);
    start(b);
    REQUIRE(b.media->log == std::vector<std::string>{"bridge"});
    CHECK(b.media->bridgeTarget == a.media);
    b.media->bridgeConnected(true, {});
    ex.advance(61s);  // a's <Pause> ran out while bridged: abandoned, <SendDtmf>1 never runs
    CHECK(a.media->log.empty());
    b.media->bridgeEnded(false);  // the origin left (hung up / redirected)
    ex.run();
    const auto* event = cb.last("bridgeTargetComplete");
    REQUIRE(event);
    CHECK(event->url == "http://app.example/target");
    CHECK(event->body["callId"] == "c-a");
    CHECK_FALSE(cb.last("bridgeComplete"));
    CHECK(a.media->log == std::vector<std::string>{"dtmf 9 200/400",
                                                   "hangup"});  // then the end of its new document
}

TEST_CASE_METHOD(
    Rooms,
    "<Bridge>: when the target leaves, the origin continues after <Bridge> (no bridgeCompleteUrl)",
    "[voice][CallFlow][rooms]") {
    auto& a = add("a", "acc", "<Response><Pause duration=\"60\"/></Response>");
    auto& b =
        add("b", "acc",
            "<Response><Bridge "
            "bridgeTargetCompleteUrl=\"/target\">c-a</Bridge><SendDtmf>4</SendDtmf></Response>");
    start(a);
    start(b);
    b.media->bridgeConnected(true, {});
    b.media->bridgeEnded(true);
    ex.run();
    CHECK(b.media->log == std::vector<std::string>{"bridge", "dtmf 4 200/400", "hangup"});
    CHECK_FALSE(cb.last("bridgeTargetComplete"));
    CHECK_FALSE(cb.last("bridgeComplete"));
    // Without bridgeTargetCompleteUrl a target left alone is hung up; here the origin stayed.
    CHECK(a.ended.empty());
}

TEST_CASE_METHOD(Rooms, "<Bridge>: a target left alone without bridgeTargetCompleteUrl is hung up",
                 "[voice][CallFlow][rooms]") {
    auto& a = add("a", "acc", "<Response><Pause duration=\"60\"/></Response>");
    auto& b = add("b", "acc", "<Response><Bridge>c-a</Bridge></Response>");
    start(a);
    start(b);
    b.media->bridgeConnected(true, {});
    b.media->bridgeEnded(false);
    ex.run();
    CHECK(a.ended == std::vector<std::string>{"hangup"});
    CHECK(a.media->log == std::vector<std::string>{"hangup"});
}

TEST_CASE_METHOD(
    Rooms, "<Bridge>: targets that cannot be bridged get bridgeComplete with cause error and why",
    "[voice][CallFlow][rooms]") {
    auto& other = add("x", "other-account", "<Response><Pause duration=\"60\"/></Response>");
    auto& b =
        add("b", "acc", "<Response><Bridge bridgeCompleteUrl=\"/done\">c-x</Bridge></Response>");
    cb.bxml("http://app.example/done",
            "<Response><Bridge>c-b</Bridge><SendDtmf>2</SendDtmf></Response>");
    start(other);
    start(b);
    const auto* event = cb.last("bridgeComplete");
    REQUIRE(event);
    CHECK(event->body["cause"] == "error");
    CHECK(event->body["errorMessage"] == "the target call is not an active call of this account");
    // errorId: a fresh UUID per error (bandwidth.yml errorId), also in the server log
    const std::string errorId = event->body.value("errorId", "");
    CHECK(errorId.size() == 36);
    CHECK(errorId[14] == '4');
    // The returned document bridges with itself: refused, no URL, so the next verb runs.
    CHECK(b.media->log == std::vector<std::string>{"dtmf 2 200/400", "hangup"});
    CHECK(other.media->log.empty());
}

TEST_CASE_METHOD(
    Rooms, "<Bridge>: when the media cannot connect, the origin is told and the target goes on",
    "[voice][CallFlow][rooms]") {
    auto& a =
        add("a", "acc", "<Response><Pause duration=\"60\"/><SendDtmf>1</SendDtmf></Response>");
    auto& b =
        add("b", "acc", "<Response><Bridge bridgeCompleteUrl=\"/done\">c-a</Bridge></Response>");
    start(a);
    start(b);
    b.media->bridgeConnected(false, "the target call is in a WebRTC session");
    ex.run();
    const auto* event = cb.last("bridgeComplete");
    REQUIRE(event);
    CHECK(event->body["errorMessage"] ==
          "the calls could not be connected: the target call is in a WebRTC session");
    // The target's <Pause> carries on: its verbs go on only when it runs out.
    CHECK(a.media->log.empty());
    ex.advance(61s);
    CHECK(a.media->log == std::vector<std::string>{"dtmf 1 200/400", "hangup"});
}

TEST_CASE_METHOD(
    Rooms, "<Forward>: an inbound call is answered when the forwarded leg is; it ends with the leg",
    "[voice][CallFlow][rooms]") {
    auto& in = add("in", "acc",
                   "<Response><Forward to=\"+15557654321\" "
                   "callTimeout=\"12\"/><SendDtmf>1</SendDtmf></Response>");
    in.call.direction = CallDirection::Inbound;
    in.call.answerTime.reset();
    in.call.state = CallState::Initiated;
    start(in);
    REQUIRE(in.media->log == std::vector<std::string>{"forward answering"});  // not answered first
    CHECK(in.media->lastTransfer.from == "+15555550123");  // default: the number that was called
    CHECK(in.media->lastTransfer.callTimeout == 12);
    CHECK(bxml::destinationOf(in.media->lastTransfer.targets.at(0)) == "+15557654321");
    in.media->forwardAnswered();
    ex.run();
    CHECK(in.answered == 1);
    TransferOutcome outcome;
    outcome.answeredIndex = 0;
    outcome.legs.resize(1);
    in.media->transferDone(outcome);
    ex.run();
    CHECK(in.ended == std::vector<std::string>{"hangup"});
    CHECK(cb.eventTypes() == std::vector<std::string>{"initiate"});  // no callbacks of its own
}

TEST_CASE_METHOD(Rooms,
                 "<Forward>: a forwarded leg that is not answered ends the call with its cause",
                 "[voice][CallFlow][rooms]") {
    auto& in = add("in", "acc", "<Response><Forward to=\"+15557654321\"/></Response>");
    start(in);
    CHECK(in.media->log ==
          std::vector<std::string>{"forward"});  // already answered: nothing to answer
    TransferOutcome outcome;
    outcome.legs.resize(1);
    outcome.legs[0].cause = "busy";
    in.media->transferDone(outcome);
    ex.run();
    CHECK(in.ended == std::vector<std::string>{"busy"});
}
