// The subscribing connection: server offers, revisions, passive answers, remote streams.
#include <catch2/catch.hpp>

#include "tests/unit/wasm/fakes/Harness.hpp"

using namespace sb::sdk;
using sb::sdk::test::Harness;

namespace {
std::string offer(const std::vector<std::pair<std::string, std::string>>& tracks) {
    std::string sdp = "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n";
    int mid = 0;
    for (const auto& [stream, track] : tracks)
        sdp += "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:" + std::to_string(mid++) +
               "\r\na=sendonly\r\na=msid:" + stream + " " + track + "\r\n";
    return sdp + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=setup:actpass\r\n";
}
Json metadata(const std::vector<std::string>& streams) {
    Json m = Json::object();
    for (const auto& s : streams) {
        Json e = Json::object();
        e.set("endpointId", "ep-" + s);
        e.set("participantId", "p-" + s);
        Json types = Json::array();
        types.push("AUDIO");
        e.set("mediaTypes", std::move(types));
        e.set("alias", "alias-" + s);
        m.set(s, std::move(e));
    }
    return m;
}
}  // namespace

SCENARIO("Subscribing negotiation", "[wasm][core][Subscriber]") {
    Harness h;
    h.connected();

    SECTION("the first offer creates the connection lazily and is answered with a passive answer") {
        CHECK(h.peers.created.empty());
        h.serverOffer(1, offer({{"s1", "t1"}}), metadata({"s1"}));
        REQUIRE(h.peers.created.size() == 1);
        auto& pc = *h.peers.created[0];
        CHECK(pc.channels == std::vector<std::string>{"__heartbeat__#0", "__diagnostics__#1"});
        CHECK(pc.calls ==
              std::vector<std::string>{"setRemote:offer", "createAnswer", "setLocal:answer"});
        CHECK(pc.localSdp.find("a=setup:active") == std::string::npos);
        CHECK(pc.localSdp.find("a=setup:passive") != std::string::npos);
        Json answer = h.socket.lastRequest("answerSdp");
        CHECK(answer["params"]["sdpAnswer"].asString() == pc.localSdp);
        CHECK(answer["id"].isNumber());
    }
    SECTION("offers with a revision not above the last applied one are dropped") {
        h.serverOffer(2, offer({{"s1", "t1"}}), metadata({"s1"}));
        h.serverOffer(2, offer({}), metadata({}));
        h.serverOffer(1, offer({}), metadata({}));
        CHECK(h.socket.count("answerSdp") == 1);
        h.serverOffer(3, offer({}), metadata({}));
        CHECK(h.socket.count("answerSdp") == 2);
        CHECK(h.peers.created.size() == 1);
    }
    SECTION("a stream is available once all its tracks arrived, with the metadata spread") {
        h.serverOffer(1, offer({{"s1", "t1"}, {"s1", "t2"}, {"s2", "t3"}}), metadata({"s1", "s2"}));
        auto& pc = *h.peers.created[0];
        pc.handlers.onTrack(RemoteTrack{"t1", "audio", {"s1"}});
        pc.handlers.onTrack(RemoteTrack{"t3", "audio", {"s2"}});
        pc.handlers.onTrack(RemoteTrack{"t2", "audio", {"s1"}});
        CHECK(h.events.back() == "available:s1");
        REQUIRE(h.streams.size() == 2);
        CHECK(h.streams[1].participantId == "p-s1");
        CHECK(h.streams[1].alias == "alias-s1");
        CHECK(h.streams[1].mediaTypes == std::vector<std::string>{"AUDIO"});

        SECTION("and unavailable when its msid is gone from the next offer") {
            h.serverOffer(2, offer({{"s2", "t3"}}), metadata({"s2"}));
            CHECK(h.events.back() == "unavailable:s1");
        }
        SECTION("and unavailable when its tracks are removed") {
            pc.handlers.onTrackRemoved("s2", "t3");
            CHECK(h.events.back() == "unavailable:s2");
        }
        SECTION("and every stream is unavailable after disconnect") {
            h.client.disconnect();
            CHECK(std::count(h.events.begin(), h.events.end(), "unavailable:s1") == 1);
            CHECK(std::count(h.events.begin(), h.events.end(), "unavailable:s2") == 1);
            CHECK(pc.closed);
        }
    }
    SECTION("offers are handled one at a time, in order") {
        h.serverOffer(1, offer({{"s1", "t1"}}), metadata({"s1"}));
        h.peers.created[0]->calls.clear();
        // Two offers arrive before the loop runs: the second waits for the first's answer.
        for (int rev : {2, 3}) {
            Json params = Json::object();
            params.set("sdpOffer", offer({}));
            params.set("sdpRevision", rev);
            params.set("streamMetadata", Json::object());
            Json n = Json::object();
            n.set("jsonrpc", "2.0");
            n.set("method", "sdpOffer");
            n.set("params", std::move(params));
            h.socket.receive(n.dump());
        }
        CHECK(h.peers.created[0]->calls == std::vector<std::string>{"setRemote:offer"});
        h.loop.run();
        CHECK(h.peers.created[0]->calls ==
              std::vector<std::string>{"setRemote:offer", "createAnswer", "setLocal:answer",
                                       "setRemote:offer", "createAnswer", "setLocal:answer"});
    }
    SECTION("a failing offer is a subscribeFailed event with its streams; the next one applies") {
        h.serverOffer(1, offer({{"s1", "t1"}}), metadata({"s1"}));
        auto& pc = *h.peers.created[0];
        pc.handlers.onTrack(RemoteTrack{"t1", "audio", {"s1"}});
        pc.failNext = "setRemote";
        h.serverOffer(2, offer({{"s1", "t1"}, {"s2", "t2"}}), metadata({"s1", "s2", "s3"}));
        CHECK(h.events.back() == "subscribeFailed:s1,s2,s3");
        REQUIRE(h.subscribeErrors.size() == 1);
        CHECK(h.subscribeErrors[0].code == "subscribe_failed");
        CHECK(h.subscribeErrors[0].message == "Cannot apply the server's offer: setRemote failed");
        CHECK(h.socket.count("answerSdp") == 1);
        // The connection is not failed and keeps the stream it had.
        CHECK(h.client.state() == State::Connected);
        CHECK(std::count(h.events.begin(), h.events.end(), "unavailable:s1") == 0);
        h.serverOffer(3, offer({{"s1", "t1"}, {"s2", "t2"}}), metadata({"s1", "s2"}));
        CHECK(h.socket.count("answerSdp") == 2);
        CHECK(h.subscribeErrors.size() == 1);
    }
    SECTION("a failing answer is a subscribeFailed event too") {
        h.serverOffer(1, offer({}), metadata({}));
        h.peers.created[0]->failNext = "createAnswer";
        h.serverOffer(2, offer({{"s4", "t4"}}), metadata({"s4"}));
        CHECK(h.events.back() == "subscribeFailed:s4");
        CHECK(h.subscribeErrors.at(0).message == "Cannot create an answer: createAnswer failed");
    }
    SECTION("an answer the server refuses is a subscribeFailed event") {
        h.serverOffer(1, offer({{"s5", "t5"}}), metadata({"s5"}));
        h.socket.replyError(h.socket.lastRequest("answerSdp"), -32003, "Janus refused the answer");
        h.loop.run();
        CHECK(h.events.back() == "subscribeFailed:s5");
        CHECK(h.subscribeErrors.at(0).message ==
              "Cannot have the answer accepted by the server: Janus refused the answer");
        CHECK(h.client.state() == State::Connected);
    }
    SECTION(
        "a subscribing connection whose ICE fails asks the server for restart offers, a bounded "
        "number of times, then fails the connection with ice_failed") {
        const int delay = Publisher::kIceRestartDelayMs;
        h.serverOffer(1, offer({{"s1", "t1"}}), metadata({"s1"}));
        h.socket.reply(h.socket.lastRequest("answerSdp"), Json::object());
        auto& pc = *h.peers.created[0];
        pc.handlers.onConnectionState("failed");
        h.loop.run();
        CHECK(h.socket.count("restartIce") == 1);
        CHECK(h.client.state() == State::Reconnecting);
        h.timers.advance(delay - 1);
        CHECK(h.socket.count("restartIce") == 1);
        SECTION("unless the server's restart offer restores it") {
            h.socket.reply(h.socket.lastRequest("restartIce"), Json::object());
            h.serverOffer(2, offer({{"s1", "t1"}}), metadata({"s1"}));
            CHECK(h.socket.count("answerSdp") == 2);
            h.socket.reply(h.socket.lastRequest("answerSdp"), Json::object());
            pc.handlers.onConnectionState("connecting");
            pc.handlers.onConnectionState("connected");
            h.timers.advance(10 * delay);
            h.loop.run();
            CHECK(h.client.state() == State::Connected);
            CHECK(h.socket.count("restartIce") == 1);
            CHECK(h.events == std::vector<std::string>{"state:connecting", "state:connected",
                                                       "state:reconnecting", "state:connected"});
        }
        SECTION("otherwise") {
            for (int i = 1; i < Publisher::kMaxIceRestarts; ++i) {
                h.timers.advance(delay);
                h.loop.run();
            }
            CHECK(h.socket.count("restartIce") == Publisher::kMaxIceRestarts);
            CHECK(h.client.state() == State::Reconnecting);
            h.timers.advance(delay);
            h.loop.run();
            CHECK(h.client.state() == State::Failed);
            CHECK(h.events.back() == "state:failed");
            CHECK(h.stateErrors.back().code == "ice_failed");
            CHECK(h.stateErrors.back().message ==
                  "ICE failed on the subscribing connection after 5 ICE restart(s)");
            CHECK(pc.closed);
            CHECK(h.socket.count("leave") == 1);
            CHECK(h.socket.closedWith.back() == 1000);
        }
    }
    SECTION("a new connect() starts with a new connection and revisions from 1") {
        h.serverOffer(5, offer({}), metadata({}));
        h.client.disconnect();
        h.connected();
        h.serverOffer(1, offer({}), metadata({}));
        CHECK(h.peers.created.size() == 2);
        CHECK(h.socket.count("answerSdp") == 2);
    }
    SECTION("after a reconnect the server's offers are taken whatever their revision") {
        h.serverOffer(7, offer({}), metadata({}));
        h.socket.drop(1006);
        h.timers.advance(1000);
        h.socket.accept();
        h.socket.reply(h.socket.lastRequest("setMediaPreferences"), Json::object());
        h.serverOffer(1, offer({}), metadata({}));
        CHECK(h.socket.count("answerSdp") == 2);
        CHECK(h.peers.created.size() == 1);  // the connection is kept
    }
}
