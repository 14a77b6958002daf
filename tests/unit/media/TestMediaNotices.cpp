// The media legs' notices against a scripted Janus: mute and talking told to the devices that
// receive a stream (late joiners, loopback, a publisher gone mid-word), and stream ids that one
// device cannot take from another. The rig: MediaLegsRig.hpp.
#include <catch2/catch.hpp>

#include "unit/media/MediaLegsRig.hpp"

using namespace sb::media;
using namespace sb::media::testing;
using nlohmann::json;

TEST_CASE("mute and talking: told to the devices receiving the stream, late joiners included",
          "[media][legs][notices]") {
    Rig rig;
    rig.members.add("A", "S");
    rig.members.add("B", "S");
    rig.members.add("C", "S");
    auto& a = rig.connect("a", "A");
    auto& b = rig.connect("b", "B");
    auto result = rig.offer("a", kMicAndCam);
    auto create = rig.janus.take("create");
    // Talk detection is asked of every room (VideoRoom `audiolevel_event`).
    CHECK(create.body["audiolevel_event"] == true);
    CHECK(create.body["audio_active_packets"] == 50);
    CHECK(create.body["audio_level_average"] == 60);
    ScriptedJanus::reply(create);
    auto join = rig.janus.take("joinandconfigure");
    ScriptedJanus::reply(join, {{"id", 7u}}, {{"type", "answer"}, {"sdp", answerSdp(kMicAndCam)}});
    REQUIRE(result->answer);
    rig.event(join.handle, "webrtcup");
    rig.offerStreams("join", {{7, "0", "audio"}, {7, "1", "video"}});
    CHECK_FALSE(rig.answer("b"));
    auto* leg = rig.rooms->browser("a");

    // Muting the microphone: B receives it and is told; A (which does not receive it) is not.
    CHECK_FALSE(leg->setMuted("mic", "audio", true));
    REQUIRE(b.notices.size() == 1);
    CHECK(b.notices[0].kind == StreamNotice::Kind::Muted);
    CHECK(b.notices[0].endpointId == "mic");
    CHECK(b.notices[0].participantId == "A");
    CHECK(b.notices[0].media == "audio");
    CHECK(b.notices[0].on);
    CHECK(a.notices.empty());
    // The same state again tells nobody.
    CHECK_FALSE(leg->setMuted("mic", "audio", true));
    CHECK(b.notices.size() == 1);

    // Not its stream, or not that kind: refused, nothing told.
    auto refused = leg->setMuted("someone-else", "audio", true);
    REQUIRE(refused);
    CHECK(refused->kind == MediaError::Kind::NotPermitted);
    CHECK(leg->setMuted("mic", "video", true)->kind == MediaError::Kind::NotPermitted);
    CHECK(rig.rooms->browser("b")->setMuted("mic", "audio", false)->kind ==
          MediaError::Kind::NotPermitted);
    CHECK(b.notices.size() == 1);

    // A late joiner gets the current mute right after the offer that brings the stream.
    auto& c = rig.connect("c", "C");
    rig.offerStreams("join", {{7, "0", "audio"}, {7, "1", "video"}});
    REQUIRE(c.offers.size() == 1);
    REQUIRE(c.notices.size() == 1);
    CHECK(c.notices[0].endpointId == "mic");
    CHECK(c.notices[0].media == "audio");
    CHECK(c.notices[0].on);

    // Unmuted: both receivers are told.
    CHECK_FALSE(leg->setMuted("mic", "audio", false));
    REQUIRE(b.notices.size() == 2);
    REQUIRE(c.notices.size() == 2);
    CHECK_FALSE(b.notices[1].on);
    CHECK_FALSE(c.notices[1].on);

    // Talking: Janus sends it to every publisher of the room; the talker's own handle counts.
    auto talking = [&](HandleId handle, json id, const std::string& what) {
        rig.rooms->onHandleEvent(
            handle, {{"janus", "event"},
                     {"sender", handle},
                     {"plugindata",
                      {{"plugin", "janus.plugin.videoroom"},
                       {"data", {{"videoroom", what}, {"room", 1}, {"id", id}, {"mid", "0"}}}}}});
    };
    talking(join.handle, 7u, "talking");
    REQUIRE(b.notices.size() == 3);
    CHECK(b.notices[2].kind == StreamNotice::Kind::Speaking);
    CHECK(b.notices[2].endpointId == "mic");
    CHECK(b.notices[2].participantId == "A");
    CHECK(b.notices[2].on);
    CHECK(c.notices.size() == 3);
    talking(join.handle, 7u, "stopped-talking");
    REQUIRE(b.notices.size() == 4);
    CHECK_FALSE(b.notices[3].on);
    // Another publisher's event on this handle, or one of the wrong shape: nothing.
    talking(join.handle, 8u, "talking");
    talking(join.handle, "7", "talking");
    rig.rooms->onHandleEvent(join.handle, {{"janus", "event"}, {"plugindata", "talking"}});
    CHECK(b.notices.size() == 4);
    CHECK(a.notices.empty());
}

TEST_CASE("setStreamMuted is bounded to 10 a second per device", "[media][legs][notices]") {
    Rig rig;
    rig.members.add("A", "S");
    rig.connect("a", "A");
    rig.publish("a", 7, kMic);
    auto* leg = rig.rooms->browser("a");
    for (int i = 0; i < BrowserLeg::kMaxMuteChangesPerSecond; ++i)
        CHECK_FALSE(leg->setMuted("mic", "audio", i % 2 == 0));
    auto refused = leg->setMuted("mic", "audio", true);
    REQUIRE(refused);
    CHECK(refused->kind == MediaError::Kind::Busy);
    std::this_thread::sleep_for(std::chrono::milliseconds(1010));
    CHECK_FALSE(leg->setMuted("mic", "audio", true));
}

// docs/protocol.md "Loopback (preflight)": a loopback device's subscriber asks Janus for its own
// feed and gets it in its offer like any other stream, with the notices of a received stream;
// another device of the same participant, and every other subscriber, get what they got before.
TEST_CASE("loopback: a device receives its own streams, with their notices", "[media][legs]") {
    Rig rig;
    rig.members.add("A", "S");
    rig.members.add("B", "S");
    auto& a = rig.connect("a", "A", true);
    auto& other = rig.connect("a2", "A");  // the same participant, no loopback
    auto& b = rig.connect("b", "B");
    auto pub = rig.publish("a", 7, kMic, {{"mic", "microphone"}});
    rig.event(pub, "webrtcup");

    // Two subscriber joins, each for the one stream: a's own and b's; none for a2.
    for (int i = 0; i < 2; ++i) {
        auto join = rig.janus.take("join");
        CHECK(streamsOf(join.body["streams"]) ==
              std::set<std::pair<std::uint64_t, std::string>>{{7, "0"}});
        json data;
        auto jsep = subscriberOffer({{7, "0", "audio"}}, data);
        ScriptedJanus::reply(join, data, jsep);
    }
    CHECK_FALSE(rig.janus.has("join"));
    REQUIRE(b.offers.size() == 1);
    REQUIRE(a.offers.size() == 1);
    CHECK(a.offers[0].metadata.at("mic").participantId == "A");
    CHECK(a.offers[0].metadata.at("mic").alias == std::optional<std::string>("microphone"));
    CHECK(a.offers[0].sdp.find("a=msid:mic mic-track") != std::string::npos);
    CHECK(other.offers.empty());
    CHECK_FALSE(rig.answer("a"));
    CHECK_FALSE(rig.answer("b"));

    // Its own mute and talking reach it as they reach B; never the other device.
    auto* leg = rig.rooms->browser("a");
    CHECK_FALSE(leg->setMuted("mic", "audio", true));
    REQUIRE(a.notices.size() == 1);
    CHECK(a.notices[0].kind == StreamNotice::Kind::Muted);
    CHECK(a.notices[0].participantId == "A");
    REQUIRE(b.notices.size() == 1);
    rig.rooms->onHandleEvent(
        pub, {{"janus", "event"},
              {"sender", pub},
              {"plugindata",
               {{"plugin", "janus.plugin.videoroom"},
                {"data", {{"videoroom", "talking"}, {"room", 1}, {"id", 7u}, {"mid", "0"}}}}}});
    REQUIRE(a.notices.size() == 2);
    CHECK(a.notices[1].kind == StreamNotice::Kind::Speaking);
    CHECK(b.notices.size() == 2);
    CHECK(other.notices.empty());
}

// A stream id is what receivers key a stream by (its metadata, its mute and speaking notices): a
// device may not publish one that another device of the session publishes or is offering, nor a
// "phone-" one (the server's). Refused before anything changes; the owner is not disturbed.
TEST_CASE("an offer reusing another device's stream id is refused, nothing changed",
          "[media][legs][notices]") {
    Rig rig;
    rig.members.add("A", "S");
    rig.members.add("B", "S");
    rig.members.add("C", "S");
    auto& a = rig.connect("a", "A");
    rig.connect("b", "B");
    auto& c = rig.connect("c", "C");
    // In flight: a's offer is not answered yet, and already holds its ids.
    auto first = rig.offer("a", kMic);
    auto early = rig.offer("b", kMic);
    REQUIRE(early->error);
    CHECK(early->error->kind == MediaError::Kind::NotPermitted);
    CHECK(early->error->message ==
          "stream id mic is already published in this session by another device: each device "
          "publishes stream ids of its own");
    rig.janus.createRooms();
    auto join = rig.janus.take("joinandconfigure");
    ScriptedJanus::reply(join, {{"id", 7u}}, {{"type", "answer"}, {"sdp", answerSdp(kMic)}});
    REQUIRE(first->answer);
    rig.event(join.handle, "webrtcup");
    rig.offerStreams("join", {{7, "0", "audio"}});  // b's subscriber
    rig.offerStreams("join", {{7, "0", "audio"}});  // c's subscriber
    CHECK_FALSE(rig.answer("c"));
    CHECK(rig.rooms->browser("a")->setMuted("mic", "audio", true) == std::nullopt);
    REQUIRE(c.notices.size() == 1);

    // Published: b's offer of "mic" (among its own) is refused; no Janus request, no state.
    auto late = rig.offer("b", {{"audio", "0", "mic-b"}, {"video", "1", "mic"}});
    REQUIRE(late->error);
    CHECK(late->error->kind == MediaError::Kind::NotPermitted);
    CHECK_FALSE(rig.janus.has("joinandconfigure"));
    CHECK(rig.rooms->browser("b")->publisherState() == PubState::Detached);
    CHECK(rig.rooms->browser("b")->offerTracks().empty());
    // So b cannot speak for a's stream: its mute is refused, c hears nothing of it.
    CHECK(rig.rooms->browser("b")->setMuted("mic", "audio", false)->kind ==
          MediaError::Kind::NotPermitted);
    CHECK(c.notices.size() == 1);
    CHECK(a.notices.empty());
    // a's stream is as it was: published, muted, received by c.
    CHECK(rig.rooms->browser("a")->publisherState() == PubState::Live);
    CHECK(rig.rooms->browser("a")->tracks().at(0).msid == "mic");
    CHECK(rig.rooms->browser("c")->receives(7));

    // The server's phone ids are not for devices either.
    auto phoneId = rig.offer("b", {{"audio", "0", "phone-1234"}});
    REQUIRE(phoneId->error);
    CHECK(phoneId->error->message ==
          "stream id phone-1234 is reserved: ids beginning with phone- are the server's");
    // Its own ids are fine, and so is a's re-offer of its own.
    auto own = rig.offer("b", {{"audio", "0", "mic-b"}});
    CHECK_FALSE(own->error);
    CHECK(rig.janus.has("joinandconfigure"));
    auto again = rig.offer("a", kMic);
    CHECK_FALSE(again->error);
}

// Janus never says "stopped-talking" of a publisher that went away mid-word: its receivers are
// told `speaking: false` when its stream stops (its PeerConnection hung up, its device left, Janus
// was lost), so that nobody shows a gone stream as the active speaker.
TEST_CASE("a publisher that goes away while speaking: its receivers are told it stopped",
          "[media][legs][notices]") {
    Rig rig;
    rig.members.add("A", "S");
    rig.members.add("B", "S");
    rig.connect("a", "A");
    auto& b = rig.connect("b", "B");
    auto live = [&](std::uint64_t feed) {
        auto handle = rig.publish("a", feed, kMic);
        rig.event(handle, "webrtcup");
        rig.offerStreams(rig.janus.has("join") ? "join" : "update", {{feed, "0", "audio"}});
        CHECK_FALSE(rig.answer("b"));
        REQUIRE(rig.rooms->browser("b")->receives(feed));
        return handle;
    };
    auto talking = [&](HandleId handle, std::uint64_t feed, const std::string& what) {
        rig.rooms->onHandleEvent(
            handle, {{"janus", "event"},
                     {"sender", handle},
                     {"plugindata",
                      {{"plugin", "janus.plugin.videoroom"},
                       {"data", {{"videoroom", what}, {"room", 1}, {"id", feed}, {"mid", "0"}}}}}});
    };
    auto speakingNotices = [&] {
        std::vector<bool> out;
        for (const auto& n : b.notices)
            if (n.kind == StreamNotice::Kind::Speaking && n.endpointId == "mic")
                out.push_back(n.on);
        return out;
    };

    // Its PeerConnection hangs up mid-word.
    auto handle = live(7);
    talking(handle, 7, "talking");
    CHECK(speakingNotices() == std::vector<bool>{true});
    rig.event(handle, "hangup");
    CHECK(speakingNotices() == std::vector<bool>{true, false});
    // Once only: the stream is gone, a second hangup says nothing.
    rig.event(handle, "hangup");
    CHECK(speakingNotices() == std::vector<bool>{true, false});

    // A stream that had stopped speaking says nothing more when it goes.
    rig.janus.requests.clear();
    auto* a = rig.rooms->browser("a");
    a->offer(offerSdp(kMic), {}, [](std::optional<MediaError>, PublishAnswer) {});
    ScriptedJanus::reply(rig.janus.take("publish"), {},
                         {{"type", "answer"}, {"sdp", answerSdp(kMic)}});
    rig.event(handle, "webrtcup");
    talking(handle, 7, "talking");
    talking(handle, 7, "stopped-talking");
    CHECK(speakingNotices() == std::vector<bool>{true, false, true, false});

    // Its device goes mid-word.
    talking(handle, 7, "talking");
    rig.rooms->removeBrowser("a");
    CHECK(speakingNotices() == std::vector<bool>{true, false, true, false, true, false});
}

TEST_CASE("Janus lost while a stream speaks: its receivers are told it stopped",
          "[media][legs][notices]") {
    Rig rig;
    rig.members.add("A", "S");
    rig.members.add("B", "S");
    rig.connect("a", "A");
    auto& b = rig.connect("b", "B");
    auto handle = rig.publish("a", 7, kMic);
    rig.event(handle, "webrtcup");
    rig.offerStreams("join", {{7, "0", "audio"}});
    CHECK_FALSE(rig.answer("b"));
    rig.rooms->onHandleEvent(
        handle, {{"janus", "event"},
                 {"sender", handle},
                 {"plugindata",
                  {{"plugin", "janus.plugin.videoroom"},
                   {"data", {{"videoroom", "talking"}, {"room", 1}, {"id", 7u}, {"mid", "0"}}}}}});
    REQUIRE(b.notices.size() == 1);
    rig.rooms->janusLost();
    REQUIRE(b.notices.size() == 2);
    CHECK(b.notices[1].kind == StreamNotice::Kind::Speaking);
    CHECK(b.notices[1].endpointId == "mic");
    CHECK_FALSE(b.notices[1].on);
}

// What Janus does when a publisher's PeerConnection ends: it takes the stream out of its
// subscribers with an offer of its own, and only then hangs the publisher's handle up. The devices
// told `speaking: true` are told `false` though they no longer receive the stream.
TEST_CASE("speaking ends at the devices told, even once Janus took the stream out of them",
          "[media][legs][notices]") {
    Rig rig;
    rig.members.add("A", "S");
    rig.members.add("B", "S");
    rig.connect("a", "A");
    auto& b = rig.connect("b", "B");
    auto handle = rig.publish("a", 7, kMic);
    rig.event(handle, "webrtcup");
    rig.offerStreams("join", {{7, "0", "audio"}});
    CHECK_FALSE(rig.answer("b"));
    rig.rooms->onHandleEvent(
        handle, {{"janus", "event"},
                 {"sender", handle},
                 {"plugindata",
                  {{"plugin", "janus.plugin.videoroom"},
                   {"data", {{"videoroom", "talking"}, {"room", 1}, {"id", 7u}, {"mid", "0"}}}}}});
    REQUIRE(b.notices.size() == 1);
    json data;
    auto jsep = subscriberOffer({}, data);
    auto subHandle = rig.rooms->browser("b")->subscriber().handle();
    rig.rooms->onHandleEvent(
        subHandle, {{"janus", "event"},
                    {"sender", subHandle},
                    {"plugindata", {{"plugin", "janus.plugin.videoroom"}, {"data", data}}},
                    {"jsep", jsep}});
    REQUIRE(b.offers.size() == 2);
    CHECK(b.offers[1].metadata.empty());
    CHECK_FALSE(rig.answer("b"));
    CHECK_FALSE(rig.rooms->browser("b")->receives(7));
    SECTION("then its handle hangs up") {
        rig.event(handle, "hangup");
        REQUIRE(b.notices.size() == 2);
        CHECK(b.notices[1].kind == StreamNotice::Kind::Speaking);
        CHECK(b.notices[1].endpointId == "mic");
        CHECK_FALSE(b.notices[1].on);
    }
    SECTION("then it stops speaking: b is told, once") {
        auto talk = [&](const char* what) {
            rig.rooms->onHandleEvent(
                handle,
                {{"janus", "event"},
                 {"sender", handle},
                 {"plugindata",
                  {{"plugin", "janus.plugin.videoroom"},
                   {"data", {{"videoroom", what}, {"room", 1}, {"id", 7u}, {"mid", "0"}}}}}});
        };
        talk("stopped-talking");
        REQUIRE(b.notices.size() == 2);
        CHECK_FALSE(b.notices[1].on);
        // Not receiving it any more: neither its next words nor its hangup reach b.
        talk("talking");
        rig.event(handle, "hangup");
        CHECK(b.notices.size() == 2);
    }
}
