// The media legs against a scripted Janus: what devices and phones get (answers, offers,
// forwards, closes) for each order in which Janus can answer, as the server's media strand
// would run it. Mute, talking, loopback and stream ids: TestMediaNotices.cpp.
#include <catch2/catch.hpp>

#include "unit/media/MediaLegsRig.hpp"

using namespace sb::media;
using namespace sb::media::testing;
using nlohmann::json;
TEST_CASE("publish: the answer fits the offer; others subscribe once the publisher is up",
          "[media][legs]") {
    Rig rig;
    rig.members.add("A", "S");
    rig.members.add("B", "S");
    rig.connect("a", "A");
    auto& b = rig.connect("b", "B");

    auto result = rig.offer("a", kMicAndCam, {{"mic", "microphone"}});
    auto create = rig.janus.take("create");
    CHECK(create.body["secret"] == "secret");
    ScriptedJanus::reply(create);
    auto join = rig.janus.take("joinandconfigure");
    CHECK(join.body["ptype"] == "publisher");
    CHECK(join.body["display"] == "A");
    ScriptedJanus::reply(join, {{"id", 7u}}, {{"type", "answer"}, {"sdp", answerSdp(kMicAndCam)}});
    REQUIRE(result->answer);
    CHECK(result->answer->endpointId == "a");
    CHECK(result->answer->sdp.find("a=mid:1") != std::string::npos);
    REQUIRE(result->answer->metadata.count("mic"));
    CHECK(result->answer->metadata.at("mic").alias == std::optional<std::string>("microphone"));
    CHECK(result->answer->metadata.at("cam").mediaTypes == std::vector<std::string>{"VIDEO"});

    // Not up yet: nobody may subscribe to it.
    CHECK_FALSE(rig.janus.has("join"));
    rig.event(join.handle, "webrtcup");
    auto subscribe = rig.janus.take("join");
    CHECK(subscribe.body["ptype"] == "subscriber");
    CHECK(streamsOf(subscribe.body["streams"]) ==
          std::set<std::pair<std::uint64_t, std::string>>{{7, "0"}, {7, "1"}});
    json data;
    auto jsep = subscriberOffer({{7, "0", "audio"}, {7, "1", "video"}}, data);
    ScriptedJanus::reply(subscribe, data, jsep);
    REQUIRE(b.offers.size() == 1);
    const auto& offer = b.offers[0];
    CHECK(offer.endpointId == "subscriber-b");
    CHECK(offer.revision == 1);
    // Janus's "janus" msids are replaced by the publisher's, which the SDK keys streams by.
    CHECK(offer.sdp.find("a=msid:mic mic-track") != std::string::npos);
    CHECK(offer.sdp.find("a=msid:janus") == std::string::npos);
    CHECK(offer.metadata.at("mic").participantId == "A");
    CHECK(offer.metadata.at("mic").alias == std::optional<std::string>("microphone"));

    auto start = std::optional<MediaError>();
    rig.rooms->browser("b")->answer("v=0\r\n",
                                    [&](std::optional<MediaError> e, bool) { start = e; });
    auto started = rig.janus.take("start");
    CHECK(started.jsep["type"] == "answer");
    ScriptedJanus::reply(started);
    CHECK_FALSE(start);
    CHECK(rig.rooms->browser("b")->subscriberState().phase == SubPhase::Idle);
}

TEST_CASE("publish: a second offer while the first is in flight is refused, not queued",
          "[media][legs]") {
    Rig rig;
    rig.members.add("A", "S");
    rig.connect("a", "A");
    auto first = rig.offer("a", kMic);
    auto second = rig.offer("a", kMicAndCam);
    REQUIRE(second->error);
    CHECK(second->error->kind == MediaError::Kind::Busy);
    rig.janus.createRooms();
    ScriptedJanus::reply(rig.janus.take("joinandconfigure"), {{"id", 7u}},
                         {{"type", "answer"}, {"sdp", answerSdp(kMic)}});
    CHECK(first->answer);
}

TEST_CASE("publish: a participant outside any session, or gone, gets a clear refusal",
          "[media][legs]") {
    Rig rig;
    rig.members.add("A", "S");
    rig.members.people["A"].sessionId.reset();
    rig.connect("a", "A");
    auto r = rig.offer("a", kMic);
    REQUIRE(r->error);
    CHECK(r->error->kind == MediaError::Kind::NotPermitted);
    CHECK(r->error->message == "participant is not in a session: add it first");
    rig.members.people.erase("A");
    r = rig.offer("a", kMic);
    REQUIRE(r->error);
    CHECK(r->error->message == "participant no longer exists");
    CHECK(rig.janus.requests.empty());
}

TEST_CASE(
    "permissions: a kind the participant may not publish is refused in the answer and never "
    "forwarded",
    "[media][legs]") {
    Rig rig;
    rig.members.add("A", "S", {true, false});  // audio only
    rig.connect("a", "A");
    auto result = rig.offer("a", kMicAndCam);
    rig.janus.createRooms();
    auto join = rig.janus.take("joinandconfigure");
    const std::string toJanus = join.jsep["sdp"];
    CHECK(toJanus.find("a=inactive") != std::string::npos);  // the camera section, made inactive
    ScriptedJanus::reply(join, {{"id", 7u}}, {{"type", "answer"}, {"sdp", answerSdp(kMicAndCam)}});
    REQUIRE(result->answer);
    CHECK(result->answer->metadata.count("mic") == 1);
    CHECK(result->answer->metadata.count("cam") == 0);
    CHECK(result->answer->sdp.find("m=video 0 ") !=
          std::string::npos);  // rejected (RFC 8829 §5.3.1)
}

TEST_CASE("subscribe before Janus lists the feed: 428, then asked again on a fresh handle",
          "[media][legs]") {
    Rig rig;
    rig.members.add("A", "S");
    rig.members.add("B", "S");
    rig.connect("a", "A");
    auto& b = rig.connect("b", "B");
    auto pub = rig.publish("a", 7, kMic);
    rig.event(pub, "webrtcup");
    auto join = rig.janus.take("join");
    ScriptedJanus::fail(join, 428, "No such feed");
    CHECK(b.offers.empty());
    CHECK(std::count(rig.janus.detached.begin(), rig.janus.detached.end(), join.handle) == 1);
    REQUIRE(rig.timers.queue.size() == 1);
    rig.timers.runAll();
    REQUIRE(rig.janus.has("join"));
    CHECK(rig.janus.requests.front().handle != join.handle);
    rig.offerStreams("join", {{7, "0", "audio"}});
    REQUIRE(b.offers.size() == 1);
    CHECK(b.offers[0].metadata.count("mic") == 1);
}

TEST_CASE("Janus renegotiating on its own during our update: its offer waits, then goes out",
          "[media][legs]") {
    Rig rig;
    rig.members.add("A", "S");
    rig.members.add("B", "S");
    rig.members.add("C", "S");
    rig.connect("a", "A");
    auto& b = rig.connect("b", "B");
    rig.connect("c", "C");
    rig.event(rig.publish("a", 7, kMic), "webrtcup");
    // c subscribes to a, too: answer it so only b's requests remain.
    rig.offerStreams("join", {{7, "0", "audio"}});
    rig.offerStreams("join", {{7, "0", "audio"}});
    auto bSub = rig.rooms->browser("b")->subscriberState();
    CHECK(bSub.phase == SubPhase::Offered);
    REQUIRE(b.offers.size() == 1);
    CHECK_FALSE(rig.answer("b"));
    CHECK_FALSE(rig.answer("c"));

    // c publishes: b's update goes out…
    rig.event(rig.publish("c", 9, kOtherMic), "webrtcup");
    auto update = rig.janus.take("update");
    CHECK(streamsOf(update.body["subscribe"]) ==
          std::set<std::pair<std::uint64_t, std::string>>{{9, "0"}});
    // …and meanwhile Janus renegotiates b on its own.
    json data;
    auto jsep = subscriberOffer({{7, "0", "audio"}, {9, "0", "audio"}}, data);
    auto subHandle = update.handle;
    rig.rooms->onHandleEvent(
        subHandle, {{"janus", "event"},
                    {"sender", subHandle},
                    {"plugindata", {{"plugin", "janus.plugin.videoroom"}, {"data", data}}},
                    {"jsep", jsep}});
    CHECK(b.offers.size() == 1);  // one negotiation at a time
    CHECK(rig.rooms->browser("b")->subscriberState().janusOfferQueued);
    ScriptedJanus::reply(update);  // nothing to renegotiate in the reply itself
    REQUIRE(b.offers.size() == 2);
    CHECK(b.offers[1].revision == 2);
    CHECK(b.offers[1].metadata.size() == 2);
    CHECK(b.offers[1].metadata.at("mic-c").participantId == "C");
    CHECK(b.offers[1].sdp.find("a=mid:s1") != std::string::npos);
    CHECK_FALSE(rig.answer("b"));
    // An answer nobody asked for is refused.
    auto stray = rig.answer("b");
    REQUIRE(stray);
    CHECK(stray->message == "no sdpOffer is waiting for an answer");
}

TEST_CASE("unpublish and leave: subscribers let go first, then the publisher handle goes",
          "[media][legs]") {
    Rig rig;
    rig.members.add("A", "S");
    rig.members.add("B", "S");
    rig.connect("a", "A");
    auto& b = rig.connect("b", "B");
    auto pub = rig.publish("a", 7, kMicAndCam);
    rig.event(pub, "webrtcup");
    rig.offerStreams("join", {{7, "0", "audio"}, {7, "1", "video"}});
    CHECK_FALSE(rig.answer("b"));

    // The camera is unpublished: a renegotiation of a, then b unsubscribes from it.
    auto r = rig.offer("a", kMic);
    auto configure = rig.janus.take("configure");
    ScriptedJanus::reply(configure, json::object(), {{"type", "answer"}, {"sdp", answerSdp(kMic)}});
    REQUIRE(r->answer);
    auto update = rig.janus.take("update");
    CHECK(streamsOf(update.body["unsubscribe"]) ==
          std::set<std::pair<std::uint64_t, std::string>>{{7, "1"}});
    rig.janus.requests.push_front(update);
    rig.offerStreams("update", {{7, "0", "audio"}});
    CHECK_FALSE(rig.answer("b"));
    CHECK(b.offers.back().metadata.count("cam") == 0);

    // A leaves the session: b unsubscribes, and only then is a's handle detached.
    rig.members.people["A"].sessionId.reset();
    rig.rooms->membershipChanged("acct", "A");
    CHECK(rig.rooms->browser("a")->publisherState() == PubState::Detached);
    CHECK(std::count(rig.janus.detached.begin(), rig.janus.detached.end(), pub) == 0);
    auto leave = rig.janus.take("update");
    CHECK(streamsOf(leave.body["unsubscribe"]) ==
          std::set<std::pair<std::uint64_t, std::string>>{{7, "0"}});
    rig.janus.requests.push_front(leave);
    rig.offerStreams("update", {});
    CHECK(std::count(rig.janus.detached.begin(), rig.janus.detached.end(), pub) == 1);
}

TEST_CASE(
    "phone: joins through a remote publisher, hears the room's audio, frees it for the next call",
    "[media][legs]") {
    Rig rig;
    rig.members.add("A", "S");
    rig.members.add("P", "S");
    rig.members.add("Q", "S");
    rig.connect("a", "A");
    rig.event(rig.publish("a", 7, kMicAndCam), "webrtcup");
    rig.janus.requests.clear();  // (a has nobody to receive)

    auto phone = std::make_shared<RecordingPhone>();
    std::optional<PhoneJoinFailure> failure;
    PhoneEndpoint endpoint;
    rig.rooms->addPhone("call-1", "acct", "P", 40000, phone,
                        [&](std::optional<PhoneJoinFailure> f, PhoneEndpoint e) {
                            failure = f;
                            endpoint = e;
                        });
    auto add = rig.janus.take("add_remote_publisher");
    CHECK(add.body["streams"][0]["codec"] == "pcmu");
    ScriptedJanus::reply(add, {{"id", 900u}, {"port", 5004u}, {"ip", "127.0.0.1"}});
    CHECK_FALSE(failure);
    CHECK(endpoint.port == 5004);

    // The phone hears a's microphone, not its camera. The first rtp_forward finds the feed not
    // listed yet (428) and is asked again (by VideoRoom: the leg hears only the final answer).
    auto forward = rig.janus.take("rtp_forward");
    CHECK(forward.body["publisher_id"] == 7);
    CHECK(forward.body["streams"][0]["mid"] == "0");
    CHECK(forward.body["streams"][0]["port"] == 40000);
    ScriptedJanus::fail(forward, 428, "No such feed");
    CHECK(phone->forwards.empty());
    rig.timers.runAll();
    forward = rig.janus.take("rtp_forward");
    ScriptedJanus::reply(forward, {{"forwarders", {{{"stream_id", 31u}}}}});
    REQUIRE(phone->forwards.size() == 1);
    REQUIRE(phone->forwards[0].size() == 1);
    CHECK(phone->forwards[0][0].participantId == "A");
    CHECK(phone->forwards[0][0].codec == "opus");
    CHECK_FALSE(rig.janus.has("rtp_forward"));

    // a's browser hears the phone (its subscriber joins the phone's feed).
    auto join = rig.janus.take("join");
    CHECK(streamsOf(join.body["streams"]) ==
          std::set<std::pair<std::uint64_t, std::string>>{{900, "0"}});

    // Hang up: the forward stops; the remote publisher stays in the room, idle, for the next call.
    rig.rooms->releasePhone("call-1");
    auto stop = rig.janus.take("stop_rtp_forward");
    CHECK(stop.body["stream_id"] == 31);
    auto second = std::make_shared<RecordingPhone>();
    rig.rooms->addPhone("call-2", "acct", "Q", 40002, second,
                        [&](std::optional<PhoneJoinFailure> f, PhoneEndpoint e) {
                            failure = f;
                            endpoint = e;
                        });
    CHECK_FALSE(rig.janus.has("add_remote_publisher"));
    CHECK_FALSE(failure);
    CHECK(endpoint.port == 5004);
    CHECK(rig.rooms->stats().remotePublishers == 1);
}

TEST_CASE("phone: refused with a typed reason when its participant is not in a session",
          "[media][legs]") {
    Rig rig;
    rig.members.add("P", "S");
    rig.members.people["P"].sessionId.reset();
    std::optional<PhoneJoinFailure> failure;
    rig.rooms->addPhone("call-1", "acct", "P", 40000, std::make_shared<RecordingPhone>(),
                        [&](std::optional<PhoneJoinFailure> f, PhoneEndpoint) { failure = f; });
    REQUIRE(failure);
    CHECK(failure->kind == JoinError::NotInSession);
    CHECK(rig.rooms->phone("call-1") == nullptr);
    CHECK(rig.rooms->stats().phones == 0);
}

TEST_CASE("phone: a participant moved to another session ends the call", "[media][legs]") {
    Rig rig;
    rig.members.add("P", "S");
    auto phone = rig.attachPhone("call-1", "P");
    rig.members.people["P"].sessionId = "T";
    rig.rooms->membershipChanged("acct", "P");
    REQUIRE(phone->ended.size() == 1);
    CHECK(phone->ended[0] == "participant moved to another session");
    CHECK(rig.rooms->phone("call-1") == nullptr);
}

TEST_CASE("Janus gone: phones end, pending offers fail, and everything is rebuilt when it is back",
          "[media][legs]") {
    Rig rig;
    rig.members.add("A", "S");
    rig.members.add("P", "S");
    rig.connect("a", "A");
    rig.event(rig.publish("a", 7, kMic), "webrtcup");
    auto phone = rig.attachPhone("call-1", "P");
    auto pending = rig.offer("a", kMicAndCam);  // a renegotiation in flight when Janus goes
    rig.janus.requests.clear();

    rig.rooms->janusLost();
    REQUIRE(phone->ended.size() == 1);
    CHECK(phone->ended[0] == "media server restarted");
    REQUIRE(pending->error);
    CHECK(pending->error->kind == MediaError::Kind::MediaServer);
    CHECK(rig.rooms->stats().rooms == 0);
    CHECK(rig.rooms->browser("a")->publisherState() == PubState::Detached);

    // Back: the device's next offer builds a new room and publisher.
    rig.rooms->janusReady();
    auto again = rig.offer("a", kMic);
    CHECK(rig.janus.has("create"));
    rig.janus.createRooms();
    ScriptedJanus::reply(rig.janus.take("joinandconfigure"), {{"id", 8u}},
                         {{"type", "answer"}, {"sdp", answerSdp(kMic)}});
    CHECK(again->answer);
}

TEST_CASE("deleting a participant closes its devices; DTMF crosses between browsers and phones",
          "[media][legs]") {
    Rig rig;
    rig.members.add("A", "S");
    rig.members.add("P", "S");
    auto& a = rig.connect("a", "A");
    rig.event(rig.publish("a", 7, kMic), "webrtcup");
    auto phone = rig.attachPhone("call-1", "P");
    ScriptedJanus::reply(rig.janus.take("rtp_forward"), {{"forwarders", {{{"stream_id", 31u}}}}});
    rig.offerStreams("join", {{900, "0", "audio"}});

    CHECK(rig.rooms->deviceDtmf("a", "12#") == 1);
    CHECK(phone->dtmf == std::vector<std::string>{"12#"});
    rig.rooms->phoneDigit("call-1", '5');
    REQUIRE(a.digits.size() == 1);
    CHECK(a.digits[0].tone == "5");
    CHECK(a.digits[0].participantId == "P");

    rig.members.people.erase("A");
    rig.rooms->participantDeleted("acct", "A");
    CHECK(a.closed == std::vector<CloseReason>{CloseReason::ParticipantDeleted});
    CHECK(rig.rooms->browser("a") == nullptr);
    CHECK(rig.rooms->stats().devices == 1);  // the phone
}

TEST_CASE("a room is kept while a first publish into it is in flight", "[media][legs]") {
    Rig rig;
    rig.members.add("A", "S");
    rig.members.add("B", "S");
    rig.members.people["A"]
        .subscriptions.reset();  // a receives nothing: only its publish holds the room
    rig.connect("a", "A");
    rig.connect("b", "B");
    // b publishes and is up; a's first offer is on its way when b leaves.
    rig.event(rig.publish("b", 9, kOtherMic), "webrtcup");
    auto pending = rig.offer("a", kMic);
    REQUIRE(rig.janus.has("joinandconfigure"));
    rig.rooms->removeBrowser("b");
    rig.members.people.erase("B");
    rig.rooms->membershipChanged("acct", "B");
    CHECK_FALSE(rig.janus.has("destroy"));
    ScriptedJanus::reply(rig.janus.take("joinandconfigure"), {{"id", 7u}},
                         {{"type", "answer"}, {"sdp", answerSdp(kMic)}});
    CHECK(pending->answer);
    CHECK(rig.rooms->stats().rooms == 1);
}

TEST_CASE("restartIce: the subscriber's new offer comes from a Janus restart of the same streams",
          "[media][legs][ice]") {
    Rig rig;
    rig.members.add("A", "S");
    rig.members.add("B", "S");
    rig.connect("a", "A");
    auto& b = rig.connect("b", "B");
    // No subscriber yet: nothing to restart.
    auto refused = rig.rooms->browser("b")->subscriber().restartIce();
    REQUIRE(refused);
    CHECK(refused->kind == MediaError::Kind::NotConnected);
    rig.event(rig.publish("a", 7, kMic), "webrtcup");
    rig.offerStreams("join", {{7, "0", "audio"}});
    CHECK_FALSE(rig.answer("b"));
    REQUIRE(b.offers.size() == 1);

    CHECK_FALSE(rig.rooms->browser("b")->subscriber().restartIce());
    auto restart = rig.janus.take("configure");
    CHECK(restart.body["restart"] == true);
    // Janus's reply to a restart need not list the streams: the previous offer's are kept.
    json data;
    auto jsep = subscriberOffer({{7, "0", "audio"}}, data);
    ScriptedJanus::reply(restart, json::object(), jsep);
    REQUIRE(b.offers.size() == 2);
    CHECK(b.offers[1].revision == 2);
    CHECK(b.offers[1].metadata.at("mic").participantId == "A");
    CHECK(rig.rooms->browser("b")->receives(7));
    CHECK_FALSE(rig.answer("b"));

    // Asked while an offer is with the device: the restart follows its answer.
    rig.members.add("C", "S");
    rig.connect("c", "C");
    rig.event(rig.publish("c", 8, kOtherMic), "webrtcup");
    rig.offerStreams("update", {{7, "0", "audio"}, {8, "0", "audio"}});
    // Asked again within a second: refused (rate bound), nothing sent to Janus.
    auto tooSoon = rig.rooms->browser("b")->subscriber().restartIce();
    REQUIRE(tooSoon);
    CHECK(tooSoon->kind == MediaError::Kind::Busy);
    CHECK_FALSE(rig.janus.has("configure"));
    std::this_thread::sleep_for(BrowserSubscriber::kMinRestartInterval);
    CHECK_FALSE(rig.rooms->browser("b")->subscriber().restartIce());
    CHECK_FALSE(rig.janus.has("configure"));
    CHECK_FALSE(rig.answer("b"));
    CHECK(rig.janus.take("configure").body["restart"] == true);
}

TEST_CASE("Janus back after a loss: devices that had legs are told mediaReset, and re-publish",
          "[media][legs][ice]") {
    Rig rig;
    rig.members.add("A", "S");
    rig.members.add("B", "S");
    auto& a = rig.connect("a", "A");
    auto& idle = rig.connect("b", "B");  // connected, with no media
    rig.event(rig.publish("a", 7, kMic), "webrtcup");
    rig.janus.requests.clear();

    rig.rooms->janusLost();
    CHECK(a.resets.empty());  // told once Janus is back, when re-offering can work
    rig.rooms->janusReady();
    REQUIRE(a.resets == std::vector<std::string>{"media-server-restarted"});
    CHECK(idle.resets.empty());

    // The ICE-restart offer is a fresh publish on a new handle.
    auto again = rig.offer("a", kMic);
    rig.janus.createRooms();
    ScriptedJanus::reply(rig.janus.take("joinandconfigure"), {{"id", 9u}},
                         {{"type", "answer"}, {"sdp", answerSdp(kMic)}});
    REQUIRE(again->answer);
    CHECK(rig.rooms->browser("a")->feed() == 9);

    // A second loss tells it again, only once.
    rig.rooms->janusLost();
    rig.rooms->janusReady();
    rig.rooms->janusReady();
    CHECK(a.resets.size() == 2);
}

TEST_CASE("a room list failed by the lost connection goes no further; the next janusReady does",
          "[media][legs][ice]") {
    Rig rig;
    rig.members.add("A", "S");
    auto& a = rig.connect("a", "A");
    rig.event(rig.publish("a", 7, kMic), "webrtcup");
    rig.janus.requests.clear();
    rig.rooms->janusLost();

    SECTION("lost again while listing: nobody is told to re-offer into the dead session") {
        rig.janus.failList = sb::media::janus::kConnectionLost;
        rig.rooms->janusReady();
        CHECK(a.resets.empty());
        rig.rooms->janusLost();
        rig.janus.failList.clear();
        rig.rooms->janusReady();
        CHECK(a.resets == std::vector<std::string>{"media-server-restarted"});
    }
    SECTION("a list refused for another reason (no admin key) still goes on") {
        rig.janus.failList = "unauthorized request";
        rig.rooms->janusReady();
        CHECK(a.resets == std::vector<std::string>{"media-server-restarted"});
    }
}

TEST_CASE("rooms a previous process left in Janus are destroyed before any room is made") {
    auto scripted = std::make_shared<ScriptedJanus>();
    scripted->rooms = json::array(
        {{{"room", 11u}, {"description", "0b7c6a52-2f3e-4c1d-9a8b-7e6f5d4c3b2a"}},     // ours
         {{"room", 12u}, {"description", "Demo Room"}},                                // not ours
         {{"room", 13u}, {"description", "0b7c6a52-2f3e-4c1d-9a8b-7e6f5d4c3b2"}},      // 35 chars
         {{"room", "14"}, {"description", "1b7c6a52-2f3e-4c1d-9a8b-7e6f5d4c3b2a"}}});  // bad id
    Members members;
    Timers timers;
    MediaConfig config;
    config.janusUrl = "ws://janus.test";
    config.roomSecret = "secret";
    config.adminKey = "admin";
    auto rooms = std::make_shared<MediaRooms>(scripted, members, config, timers.scheduler());
    rooms->janusReady();
    REQUIRE(scripted->listed.size() == 1);
    CHECK(scripted->listed[0].value("admin_key", "") == "admin");  // private rooms listed too
    auto destroy = scripted->take("destroy");
    CHECK(destroy.body["room"] == 11u);
    CHECK(destroy.body["secret"] == "secret");
    CHECK_FALSE(scripted->has("destroy"));
    // Then a device's room is made, after the destroy on the same control handle.
    members.add("A", "S");
    auto sink = std::make_shared<RecordingDevice>();
    rooms->addBrowser("a", "acct", "A", sink);
    rooms->browser("a")->offer(offerSdp(kMic), {}, [](std::optional<MediaError>, PublishAnswer) {});
    REQUIRE(scripted->has("create"));
    CHECK(scripted->requests.front().handle == destroy.handle);
    // The room being made waits with callbacks that own the rooms: let go (as a lost Janus
    // does), then what still waits is dropped, as Rig does.
    rooms->janusLost();
    scripted->requests.clear();
    timers.queue.clear();
}

// docs/protocol.md "Remote mute and active speaker": the notices reach the devices that receive
// the stream, a late joiner included; Janus's talking events are read from the talker's handle.
