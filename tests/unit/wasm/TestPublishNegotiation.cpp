// The publishing connection: offers, mediaMetadata, answers, results (reference §2.4).
#include <catch2/catch.hpp>

#include "tests/unit/wasm/fakes/Harness.hpp"

using namespace sb::sdk;
using sb::sdk::test::Harness;

namespace {
LocalStream camera() {
    return LocalStream{"cam-stream", {{"mic-1", "audio"}, {"cam-1", "video"}}};
}
LocalStream screen() {
    return LocalStream{"screen-stream", {{"scr-1", "video"}}};
}
}  // namespace

SCENARIO("Publishing negotiation", "[wasm][core][Publisher]") {
    Harness h;
    h.connected();
    std::optional<Error> error;
    std::optional<StreamInfo> result;
    auto capture = [&](const Error& e, const StreamInfo& s) {
        error = e;
        result = s;
    };

    SECTION("the first publish offers the data channels alone, then the stream") {
        h.client.publish(camera(), "webcam", "", capture);
        h.loop.run();
        REQUIRE(h.peers.created.size() == 1);
        auto& pc = *h.peers.created[0];
        CHECK(pc.configuration == R"({"iceServers":[]})");
        CHECK(pc.channels == std::vector<std::string>{"__heartbeat__#0", "__diagnostics__#1"});
        Json first = h.socket.lastRequest("offerSdp");
        CHECK(first["params"]["sdpOffer"].asString() == "offer-1");
        CHECK(first["params"]["mediaMetadata"]["mediaStreams"].dump() == "{}");
        CHECK(first["params"]["mediaMetadata"]["dataChannels"].dump() ==
              R"({"__heartbeat__":{"label":"__heartbeat__","streamId":0},)"
              R"("__diagnostics__":{"label":"__diagnostics__","streamId":1}})");
        h.answerOffer();
        Json second = h.socket.lastRequest("offerSdp");
        CHECK(second["params"]["sdpOffer"].asString() == "offer-2");
        CHECK(second["params"]["mediaMetadata"]["mediaStreams"].dump() ==
              R"({"cam-stream":{"alias":"webcam"}})");
        CHECK(!result);
        h.answerOffer({"AUDIO", "VIDEO"});
        REQUIRE(result);
        CHECK_FALSE(error->failed());
        CHECK(result->streamId == "cam-stream");
        CHECK(result->mediaTypes == std::vector<std::string>{"AUDIO", "VIDEO"});
        CHECK(result->alias == "webcam");
        CHECK(result->participantId.empty());
        // The offer is applied once answered (stock order), then the answer.
        CHECK(pc.calls == std::vector<std::string>{"createOffer", "setLocal:offer",
                                                   "setRemote:answer", "addTrack:mic-1@cam-stream",
                                                   "addTrack:cam-1@cam-stream", "createOffer",
                                                   "setLocal:offer", "setRemote:answer"});
        CHECK(pc.localSdp == "offer-2");
        CHECK(pc.remoteSdp == "answer-sdp");
    }
    SECTION("every re-offer lists all current streams; unpublish re-offers without it") {
        h.client.publish(camera(), "", R"({"audio":[{"mimeType":"audio/opus"}]})", capture);
        h.answerOffer();
        h.answerOffer();
        CHECK(h.peers.created[0]->calls[3] ==
              R"(addTrack:mic-1@cam-stream {"audio":[{"mimeType":"audio/opus"}]})");
        h.client.publish(screen(), "screen", "", capture);
        h.loop.run();
        CHECK(h.socket.lastRequest("offerSdp")["params"]["mediaMetadata"]["mediaStreams"].dump() ==
              R"({"cam-stream":{},"screen-stream":{"alias":"screen"}})");
        h.answerOffer({"VIDEO"});
        CHECK(result->streamId == "screen-stream");
        CHECK(result->mediaTypes == std::vector<std::string>{"VIDEO"});

        std::optional<Error> unpublished;
        h.client.unpublish({"cam-stream"}, [&](const Error& e) { unpublished = e; });
        h.loop.run();
        CHECK(h.media.stopped.count("cam-stream") == 1);
        CHECK(h.socket.lastRequest("offerSdp")["params"]["mediaMetadata"]["mediaStreams"].dump() ==
              R"({"screen-stream":{"alias":"screen"}})");
        auto& calls = h.peers.created[0]->calls;
        CHECK(std::count(calls.begin(), calls.end(), "removeTrack:mic-1") == 1);
        CHECK(std::count(calls.begin(), calls.end(), "removeTrack:cam-1") == 1);
        h.answerOffer();
        REQUIRE(unpublished);
        CHECK_FALSE(unpublished->failed());
    }
    SECTION("the server's mediaTypes are used, with APPLICATION when it sends none") {
        h.client.publish(camera(), "", "", capture);
        h.answerOffer();
        h.answerOffer({});
        CHECK(result->mediaTypes == std::vector<std::string>{"APPLICATION"});
    }
    SECTION("an offer the server refuses rejects the publish with its error and drops the stream") {
        h.client.publish(camera(), "", "", capture);
        h.answerOffer();
        h.loop.run();
        h.socket.replyError(h.socket.lastRequest("offerSdp"), -32001, "Not permitted");
        h.loop.run();
        REQUIRE(error);
        CHECK(error->code == "rpc_error");
        CHECK(error->rpcCode == -32001);
        auto& calls = h.peers.created[0]->calls;
        CHECK(calls.back() == "removeTrack:cam-1");
        CHECK(std::count(calls.begin(), calls.end(), "setLocal:offer") ==
              1);  // the refused offer is never applied
        h.client.publish(screen(), "", "", capture);
        h.loop.run();
        CHECK(h.socket.lastRequest("offerSdp")["params"]["mediaMetadata"]["mediaStreams"].dump() ==
              R"({"screen-stream":{}})");
    }
    SECTION("publishes queue behind each other: one offer in flight at a time") {
        h.client.publish(camera(), "", "", capture);
        h.client.publish(screen(), "", "", capture);
        h.loop.run();
        CHECK(h.socket.count("offerSdp") == 1);
        h.answerOffer();
        CHECK(h.socket.count("offerSdp") == 2);
        h.answerOffer();
        CHECK(h.socket.count("offerSdp") == 3);
        CHECK(h.socket.lastRequest("offerSdp")["params"]["mediaMetadata"]["mediaStreams"]
                  .keys()
                  .size() == 2);
    }
    SECTION("publishing the same stream twice is refused") {
        h.client.publish(camera(), "", "", capture);
        h.answerOffer();
        h.answerOffer();
        h.client.publish(camera(), "", "", capture);
        CHECK(error->code == "invalid_state");
    }
    SECTION("publish from constraints goes through getUserMedia") {
        h.client.publishMedia(R"({"audio":true})", "mic", "", capture);
        h.loop.run();
        CHECK(h.media.constraints == std::vector<std::string>{R"({"audio":true})"});
        h.answerOffer();
        h.answerOffer();
        CHECK(result->streamId == "gum-1");
        SECTION("and a captured stream the server refuses is stopped (the app never got it)") {
            h.client.publishMedia(R"({"audio":true})", "", "", capture);
            h.loop.run();
            h.socket.replyError(h.socket.lastRequest("offerSdp"), -32001, "Not permitted");
            h.loop.run();
            CHECK(error->code == "rpc_error");
            CHECK(h.media.stopped == std::set<std::string>{"gum-2"});
        }
        SECTION("and a refused permission rejects with permission_denied, the name kept") {
            h.media.rejectWith = "NotAllowedError";
            h.client.publishMedia(R"({"video":true})", "", "", capture);
            h.loop.run();
            CHECK(error->code == "permission_denied");
            CHECK(error->data == R"({"name":"NotAllowedError","message":"from the fake"})");
            CHECK(h.peers.created.size() == 1);  // nothing more was negotiated
        }
    }
    SECTION("the server's heartbeat PING is answered PONG on the same channel") {
        h.client.publish(camera(), "", "", capture);
        h.loop.run();
        h.peers.created[0]->handlers.onChannelMessage("__heartbeat__", "PING");
        CHECK(h.peers.created[0]->channelSends == std::vector<std::string>{"__heartbeat__:PONG"});
    }
    SECTION("a failed connection is restarted with ICE restart offers, a bounded number of times") {
        h.client.publish(camera(), "", "", capture);
        h.answerOffer();
        h.answerOffer();
        auto& pc = *h.peers.created[0];
        pc.handlers.onConnectionState("failed");
        h.loop.run();
        CHECK(pc.calls.back() == "createOffer:iceRestart");
        for (int i = 0; i < 10; ++i) {
            h.answerOffer();
            h.timers.advance(Publisher::kIceRestartDelayMs);
            h.loop.run();
        }
        CHECK(std::count(pc.calls.begin(), pc.calls.end(), "createOffer:iceRestart") ==
              Publisher::kMaxIceRestarts);
    }
    SECTION("still failed after the last ICE restart: state failed with ice_failed") {
        h.client.publish(camera(), "", "", capture);
        h.answerOffer();
        h.answerOffer();
        auto& pc = *h.peers.created[0];
        pc.handlers.onConnectionState("failed");
        for (int i = 0; i < Publisher::kMaxIceRestarts; ++i) {
            CHECK(h.client.state() == State::Reconnecting);
            h.answerOffer();  // the restart is negotiated; the browser stays "failed"
            h.timers.advance(Publisher::kIceRestartDelayMs);
            h.loop.run();
        }
        CHECK(std::count(pc.calls.begin(), pc.calls.end(), "createOffer:iceRestart") ==
              Publisher::kMaxIceRestarts);
        CHECK(h.client.state() == State::Failed);
        CHECK(h.events.back() == "state:failed");
        CHECK(h.stateErrors.back().code == "ice_failed");
        CHECK(h.stateErrors.back().message ==
              "ICE failed on the publishing connection after 5 ICE restart(s)");
        // Everything is released and the server told; connect() may be called again.
        CHECK(pc.closed);
        CHECK(h.media.stopped.count("cam-stream") == 1);
        CHECK(h.socket.count("leave") == 1);
        h.connected();
        CHECK(h.client.state() == State::Connected);
    }
    SECTION("a connection that recovers after a restart is not reported") {
        h.client.publish(camera(), "", "", capture);
        h.answerOffer();
        h.answerOffer();
        auto& pc = *h.peers.created[0];
        pc.handlers.onConnectionState("failed");
        h.answerOffer();
        pc.handlers.onConnectionState("connected");
        h.timers.advance(10 * Publisher::kIceRestartDelayMs);
        h.loop.run();
        CHECK(h.client.state() == State::Connected);
        CHECK(std::count(pc.calls.begin(), pc.calls.end(), "createOffer:iceRestart") == 1);
    }
    SECTION("the restart policy is a connect option, bounded") {
        h.client.disconnect();
        ConnectOptions o = Harness::options();
        o.iceRestarts = IceRestartPolicy{1, 10};  // the delay is raised to the 1 s floor
        h.connected(o);
        h.client.publish(camera(), "", "", capture);
        h.answerOffer();
        h.answerOffer();
        auto& pc = *h.peers.created.back();
        pc.handlers.onConnectionState("failed");
        h.answerOffer();
        h.timers.advance(999);
        h.loop.run();
        CHECK(h.client.state() == State::Reconnecting);
        h.timers.advance(1);
        h.loop.run();
        CHECK(h.client.state() == State::Failed);
        CHECK(h.stateErrors.back().message.find("after 1 ICE restart") != std::string::npos);
    }
    SECTION("DTMF goes to the stream's audio sender, or to every published stream") {
        h.client.publish(camera(), "", "", capture);
        h.answerOffer();
        h.answerOffer();
        h.client.publish(screen(), "", "", capture);
        h.answerOffer();
        CHECK(h.client.sendDtmf("12#", ""));
        CHECK(h.client.sendDtmf("9", "screen-stream"));
        CHECK(h.peers.created[0]->dtmf ==
              std::vector<std::string>{"cam-stream:12#", "screen-stream:12#", "screen-stream:9"});
        CHECK_FALSE(h.client.sendDtmf("1", "unknown"));
    }
    SECTION("mute toggles tracks of one kind on one or all published streams") {
        h.client.publish(camera(), "", "", capture);
        h.answerOffer();
        h.answerOffer();
        h.client.setTracksEnabled("audio", false, "");
        h.client.setTracksEnabled("video", true, "cam-stream");
        CHECK(h.media.enabledCalls ==
              std::vector<std::string>{"cam-stream/audio=off", "cam-stream/video=on"});
    }
    SECTION("publishing needs a connection") {
        h.client.disconnect();
        h.client.publish(camera(), "", "", capture);
        CHECK(error->code == "invalid_state");
    }
    SECTION("disconnect stops published tracks, closes the connection and rejects queued work") {
        h.client.publish(camera(), "", "", capture);
        h.answerOffer();
        h.answerOffer();
        h.client.publish(screen(), "", "", capture);
        h.client.disconnect();
        CHECK(error->code == "disconnected");
        CHECK(h.media.stopped.count("cam-stream") == 1);
        CHECK(h.peers.created[0]->closed);
    }
}
