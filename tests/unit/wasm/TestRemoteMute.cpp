// Remote mute and active speaker in the core (docs/protocol.md "Remote mute and active speaker"):
// a local mute is told to the server, and the server's notices reach the application.
#include <catch2/catch.hpp>

#include "tests/unit/wasm/fakes/Harness.hpp"

using namespace sb::sdk;
using sb::sdk::test::Harness;

namespace {
LocalStream camera() {
    return LocalStream{"cam-stream", {{"mic-1", "audio"}, {"cam-1", "video"}}};
}
LocalStream microphone() {
    return LocalStream{"mic-stream", {{"mic-2", "audio"}}};
}
void notify(Harness& h, const std::string& method, const std::string& paramsJson) {
    h.socket.receive(R"({"jsonrpc":"2.0","method":")" + method + R"(","params":)" + paramsJson +
                     "}");
    h.loop.run();
}
// The setStreamMuted frames the client sent, as compact JSON.
std::vector<std::string> muteFrames(const Harness& h) {
    std::vector<std::string> frames;
    for (const auto& s : h.socket.sent)
        if ((*Json::parse(s))["method"].asString() == "setStreamMuted") frames.push_back(s);
    return frames;
}
}  // namespace

SCENARIO("Remote mute and active speaker", "[wasm][core][Client][remoteMute]") {
    Harness h;
    h.connected();
    Publisher::PublishDone capture = [](const Error&, const StreamInfo&) {};

    SECTION("muting tells the server, for each published stream with tracks of that kind") {
        h.client.publish(camera(), "", "", capture);
        h.answerOffer();
        h.answerOffer();
        h.client.publish(microphone(), "", "", capture);
        h.answerOffer();
        h.client.setTracksEnabled("audio", false, "");
        h.client.setTracksEnabled("video", false, "");  // only cam-stream has video
        h.client.setTracksEnabled("audio", true, "mic-stream");
        CHECK(h.media.enabledCalls ==
              std::vector<std::string>{"cam-stream/audio=off", "mic-stream/audio=off",
                                       "cam-stream/video=off", "mic-stream/video=off",
                                       "mic-stream/audio=on"});
        // Notifications (no id): the setter has no answer to wait for.
        CHECK(
            muteFrames(h) ==
            std::vector<std::string>{
                R"({"jsonrpc":"2.0","method":"setStreamMuted","params":{"endpointId":"cam-stream","kind":"audio","muted":true}})",
                R"({"jsonrpc":"2.0","method":"setStreamMuted","params":{"endpointId":"mic-stream","kind":"audio","muted":true}})",
                R"({"jsonrpc":"2.0","method":"setStreamMuted","params":{"endpointId":"cam-stream","kind":"video","muted":true}})",
                R"({"jsonrpc":"2.0","method":"setStreamMuted","params":{"endpointId":"mic-stream","kind":"audio","muted":false}})"});
    }
    SECTION("nothing is sent for a stream that is not published") {
        h.client.setTracksEnabled("audio", false, "");
        h.client.publish(camera(), "", "", capture);
        h.answerOffer();
        h.answerOffer();
        h.client.setTracksEnabled("audio", false, "other-stream");
        CHECK(muteFrames(h).empty());
    }
    SECTION("a mute is told again after each negotiation: a media reset loses it at the server") {
        h.client.publish(camera(), "", "", capture);
        h.answerOffer();
        h.answerOffer();
        h.client.setTracksEnabled("audio", false, "");
        REQUIRE(muteFrames(h).size() == 1);
        notify(h, "mediaReset", R"({"reason":"media-server-restarted"})");
        h.answerOffer();  // the new connection's data channels
        h.answerOffer();  // the stream again
        auto frames = muteFrames(h);
        REQUIRE(frames.size() >= 2);
        CHECK(
            frames.back() ==
            R"({"jsonrpc":"2.0","method":"setStreamMuted","params":{"endpointId":"cam-stream","kind":"audio","muted":true}})");
        h.client.setTracksEnabled("audio", true, "");
        auto after = muteFrames(h).size();
        h.client.setTracksEnabled("video", true, "");  // unmuted video: nothing more to repeat
        CHECK(muteFrames(h).size() == after + 1);
    }
    SECTION("the server's notices reach the application with their params, in order") {
        notify(h, "remoteMuteChange",
               R"({"endpointId":"s1","participantId":"p1","kind":"audio","muted":true})");
        notify(h, "activeSpeakerChange",
               R"({"endpointId":"s2","participantId":"p2","speaking":true})");
        notify(h, "remoteMuteChange",
               R"({"endpointId":"s1","participantId":"p1","kind":"audio","muted":false})");
        CHECK(
            h.events ==
            std::vector<std::string>{
                "state:connecting", "state:connected",
                R"(remoteMuteChange:{"endpointId":"s1","participantId":"p1","kind":"audio","muted":true})",
                R"(activeSpeakerChange:{"endpointId":"s2","participantId":"p2","speaking":true})",
                R"(remoteMuteChange:{"endpointId":"s1","participantId":"p1","kind":"audio","muted":false})"});
    }
    SECTION("a notice that names no stream is ignored, and the connection goes on") {
        notify(h, "remoteMuteChange", R"({"kind":"audio","muted":true})");
        notify(h, "activeSpeakerChange", R"([1,2])");
        notify(h, "activeSpeakerChange", R"({"endpointId":7,"speaking":true})");
        CHECK(h.events == std::vector<std::string>{"state:connecting", "state:connected"});
        CHECK(h.client.state() == State::Connected);
    }
}
