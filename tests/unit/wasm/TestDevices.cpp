// Devices: switching the microphone or camera of a published stream with replaceTrack (no new
// offer), and the fallback to the default device when a published track ends on its own.
#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/unit/wasm/fakes/Harness.hpp"

using namespace sb::sdk;
using sb::sdk::test::Harness;

namespace {
LocalStream camera() {
    return LocalStream{"cam-stream",
                       {{"mic-1", "audio", "dev-mic"}, {"cam-1", "video", "dev-cam"}}};
}
bool has(const std::vector<std::string>& list, const std::string& item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}
// Connected, with camera() published (its offer answered), and no events recorded yet.
void publishCamera(Harness& h) {
    h.connected();
    h.client.publish(camera(), "", "", [](const Error&, const StreamInfo&) {});
    h.answerOffer();
    h.answerOffer({"AUDIO", "VIDEO"});
    h.events.clear();
}
}  // namespace

SCENARIO("Switching the device of a published track", "[wasm][core][Publisher][devices]") {
    Harness h;
    publishCamera(h);
    auto& pc = *h.peers.created[0];
    const auto offers = h.socket.count("offerSdp");
    std::optional<Error> result;
    auto done = [&](const Error& e, const StreamInfo&) { result = e; };

    SECTION("the microphone: captured by its id, swapped in, sent with replaceTrack, no offer") {
        h.client.switchDevice("audio", "dev-usb", "", done);
        h.loop.run();
        REQUIRE(result);
        CHECK_FALSE(result->failed());
        CHECK(h.media.constraints.back() == R"({"audio":{"deviceId":{"exact":"dev-usb"}}})");
        // The capture's track goes into the application's stream (taking `enabled`) before it is
        // sent; the capture then holds the old track, which is stopped with it.
        CHECK(h.media.swaps == std::vector<std::string>{"cam-stream:mic-1<->gum-1"});
        CHECK(pc.calls.back() == "replaceTrack:mic-1->a1");
        CHECK(h.media.stopped == std::set<std::string>{"gum-1"});
        CHECK(h.socket.count("offerSdp") == offers);
        CHECK(h.events.empty());  // no stream event, no fallback
        // The new track is the published one from now on: unpublish stops its transceiver.
        h.client.unpublish({}, nullptr);
        h.loop.run();
        CHECK(has(pc.calls, "removeTrack:a1"));
        CHECK_FALSE(has(pc.calls, "removeTrack:mic-1"));
    }
    SECTION("the camera of a named stream") {
        h.client.switchDevice("video", "dev-cam-2", "cam-stream", done);
        h.loop.run();
        CHECK_FALSE(result->failed());
        CHECK(h.media.constraints.back() == R"({"video":{"deviceId":{"exact":"dev-cam-2"}}})");
        CHECK(pc.calls.back() == "replaceTrack:cam-1->v1");
    }
    SECTION("a device that cannot be captured: the capture's error, the track stays") {
        h.media.rejectWith = "OverconstrainedError";
        h.client.switchDevice("audio", "gone", "", done);
        h.loop.run();
        CHECK(result->code == "no_device");
        CHECK(h.media.swaps.empty());
        CHECK(h.media.stopped.empty());
        CHECK_FALSE(has(pc.calls, "replaceTrack:mic-1->a1"));
    }
    SECTION("replaceTrack refused: the old track is put back and the capture stopped") {
        pc.failNext = "replaceTrack";
        h.client.switchDevice("audio", "dev-usb", "", done);
        h.loop.run();
        REQUIRE(result);
        CHECK(result->code == "media_failed");
        CHECK(h.media.swaps ==
              std::vector<std::string>{"cam-stream:mic-1<->gum-1", "cam-stream:a1<->gum-1"});
        CHECK(h.media.stopped == std::set<std::string>{"gum-1"});
        h.client.unpublish({}, nullptr);
        h.loop.run();
        CHECK(has(pc.calls, "removeTrack:mic-1"));
    }
    SECTION("no published track of that kind, or no stream of that id: invalid_state") {
        h.client.switchDevice("video", "x", "other-stream", done);
        h.loop.run();
        CHECK(result->code == "invalid_state");
        CHECK(h.media.constraints.empty());
    }
    SECTION("switches queue behind each other and behind a publish") {
        h.client.publish(LocalStream{"s2", {{"mic-2", "audio"}}}, "", "", nullptr);
        h.client.switchDevice("audio", "d1", "s2", done);
        h.loop.run();
        CHECK(h.media.constraints.empty());  // the publish's offer is not answered yet
        h.answerOffer();
        CHECK(result);
        CHECK(pc.calls.back() == "replaceTrack:mic-2->a1");
    }
    SECTION("disconnect while the capture is pending: the capture is stopped, done fails") {
        h.client.switchDevice("audio", "dev-usb", "", done);
        h.client.disconnect();
        h.loop.run();
        CHECK(result->code == "disconnected");
        CHECK(h.media.stopped.count("gum-1") == 1);
        CHECK(h.media.swaps.empty());
    }
    SECTION("disconnect while replaceTrack is pending: the spare (the old track) is stopped") {
        h.client.switchDevice("audio", "dev-usb", "", done);
        h.loop.step();  // the capture arrives: swapped, replaceTrack under way
        REQUIRE(h.media.swaps.size() == 1);
        h.client.disconnect();
        CHECK(h.media.stopped.count("gum-1") == 1);
        CHECK(h.media.stopped.count("cam-stream") == 1);
        h.loop.run();
        CHECK(result->code == "disconnected");
    }
    SECTION("before connect(): invalid_state") {
        Harness idle;
        idle.client.switchDevice("audio", "d", "", done);
        CHECK(result->code == "invalid_state");
    }
}

SCENARIO("A published track that ends falls back to the default device", "[wasm][core][devices]") {
    Harness h;
    publishCamera(h);
    auto& pc = *h.peers.created[0];
    const auto offers = h.socket.count("offerSdp");

    SECTION("the default device of the kind replaces it, and the application is told") {
        h.media.trackEnded("mic-1");
        h.loop.run();
        CHECK(h.media.constraints.back() == R"({"audio":true})");
        CHECK(pc.calls.back() == "replaceTrack:mic-1->a1");
        CHECK(h.socket.count("offerSdp") == offers);
        REQUIRE(h.events.size() == 1);
        CHECK(h.events[0] == R"(fallback:{"kind":"audio","lostDeviceId":"dev-mic",)"
                             R"("deviceId":"default","endpointId":"cam-stream"})");
        CHECK_FALSE(h.fallbackErrors[0].failed());
        // The replacement falls back in turn when it ends.
        h.media.trackEnded("a1");
        h.loop.run();
        CHECK(pc.calls.back() == "replaceTrack:a1->a2");
    }
    SECTION("no default device either: the event carries the error, nothing is replaced") {
        h.media.rejectWith = "NotFoundError";
        h.media.trackEnded("cam-1");
        h.loop.run();
        CHECK(h.media.constraints.back() == R"({"video":true})");
        REQUIRE(h.events.size() == 1);
        CHECK(h.events[0] == R"(fallback:{"kind":"video","lostDeviceId":"dev-cam",)"
                             R"("deviceId":"","endpointId":"cam-stream"})");
        CHECK(h.fallbackErrors[0].code == "no_device");
        CHECK_FALSE(has(pc.calls, "replaceTrack:cam-1->v1"));
    }
    SECTION("a track that is not published, or no longer: nothing happens") {
        h.media.trackEnded("someone-elses");
        h.client.unpublish({}, nullptr);
        h.media.trackEnded("mic-1");  // queued behind the unpublish, which drops it
        h.answerOffer();
        h.loop.run();
        CHECK(h.media.constraints.empty());
        CHECK(h.events.empty());
    }
}
