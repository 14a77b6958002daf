// ICE restarts of both peer connections (IceRestarter.hpp): when they start (failed, disconnected
// past the threshold, the network back, the media server reset), how many, and what the
// application's connection state says meanwhile.
#include <algorithm>
#include <catch2/catch.hpp>

#include "tests/unit/wasm/fakes/Harness.hpp"

using namespace sb::sdk;
using sb::sdk::test::Harness;
using sb::sdk::test::PcRecord;

namespace {
const std::string kSubscriberOffer =
    "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
    "a=mid:0\r\na=sendonly\r\na=msid:s1 t1\r\n";

long restartOffers(const PcRecord& pc) {
    return std::count(pc.calls.begin(), pc.calls.end(), "createOffer:iceRestart");
}

void notify(Harness& h, const std::string& method, const std::string& paramsJson) {
    h.socket.receive(R"({"jsonrpc":"2.0","method":")" + method + R"(","params":)" + paramsJson +
                     "}");
    h.loop.run();
}

// A connected client publishing a microphone, its publishing connection negotiated.
PcRecord& publishing(Harness& h, const ConnectOptions& o = Harness::options()) {
    h.connected(o);
    h.client.publish(LocalStream{"mic-stream", {{"mic-1", "audio"}}}, "", "",
                     [](const Error&, const StreamInfo&) {});
    h.answerOffer();
    h.answerOffer();
    auto& pc = *h.peers.created.at(0);
    pc.handlers.onConnectionState("connected");
    h.loop.run();
    return pc;
}
}  // namespace

SCENARIO("ICE restarts of the publishing connection", "[wasm][core][ice]") {
    Harness h;
    ConnectOptions o = Harness::options();
    o.iceRestarts = IceRestartPolicy{2, 1000, 2000};
    auto& pc = publishing(h, o);

    SECTION("disconnected for less than the threshold: the browser recovered, no restart") {
        pc.handlers.onConnectionState("disconnected");
        h.timers.advance(1999);
        pc.handlers.onConnectionState("connected");
        h.timers.advance(10000);
        h.loop.run();
        CHECK(restartOffers(pc) == 0);
        CHECK(h.client.state() == State::Connected);
        CHECK(h.events.back() == "state:connected");
    }
    SECTION("disconnected past the threshold: reconnecting, a restart, connected again") {
        pc.handlers.onConnectionState("disconnected");
        h.timers.advance(1999);
        h.loop.run();
        CHECK(restartOffers(pc) == 0);
        h.timers.advance(1);
        h.loop.run();
        CHECK(restartOffers(pc) == 1);
        CHECK(h.client.state() == State::Reconnecting);
        h.answerOffer();
        pc.handlers.onConnectionState("connected");
        h.loop.run();
        CHECK(h.client.state() == State::Connected);
        CHECK(h.events == std::vector<std::string>{"state:connecting", "state:connected",
                                                   "state:reconnecting", "state:connected"});
        h.timers.advance(10000);
        CHECK(restartOffers(pc) == 1);
    }
    SECTION("a restart that does not bring it back is repeated delayMs later, up to the bound") {
        pc.handlers.onConnectionState("disconnected");
        h.timers.advance(2000);
        h.answerOffer();
        pc.handlers.onConnectionState("checking");
        h.timers.advance(999);
        h.loop.run();
        CHECK(restartOffers(pc) == 1);
        h.timers.advance(1);
        h.answerOffer();
        CHECK(restartOffers(pc) == 2);
        CHECK(h.client.state() == State::Reconnecting);
        h.timers.advance(1000);
        h.loop.run();
        CHECK(restartOffers(pc) == 2);
        CHECK(h.client.state() == State::Failed);
        CHECK(h.stateErrors.back().code == "ice_failed");
        CHECK(h.stateErrors.back().message ==
              "ICE failed on the publishing connection after 2 ICE restart(s)");
        CHECK(h.events.back() == "state:failed");
        CHECK(pc.closed);
    }
    SECTION("the network back (online): a restart at once, even if the browser says connected") {
        h.client.networkOnline();
        h.loop.run();
        CHECK(restartOffers(pc) == 1);
        CHECK(h.client.state() == State::Reconnecting);
        h.answerOffer();
        SECTION("connected again") {
            pc.handlers.onConnectionState("connected");
            h.loop.run();
        }
        SECTION("or connected all along: done once delayMs has passed") {
            h.timers.advance(1000);
            h.loop.run();
            CHECK(restartOffers(pc) == 1);
        }
        CHECK(h.client.state() == State::Connected);
        CHECK(h.events.back() == "state:connected");
    }
    SECTION("online while restarting: the next restart now, not after delayMs") {
        pc.handlers.onConnectionState("failed");
        h.answerOffer();
        CHECK(restartOffers(pc) == 1);
        h.timers.advance(500);
        h.client.networkOnline();
        h.answerOffer();
        CHECK(restartOffers(pc) == 2);
    }
    SECTION(
        "mediaReset: the tracks on a new connection at once, a fresh budget, reconnecting "
        "until connected") {
        pc.handlers.onConnectionState("failed");
        h.answerOffer();
        h.timers.advance(1000);
        h.answerOffer();
        CHECK(restartOffers(pc) == 2);  // the budget is spent
        std::size_t before = h.peers.created.size();
        notify(h, "mediaReset", R"({"reason":"server-restarted"})");
        // Not an ICE restart of the old connection: the same server certificate would keep the
        // old DTLS association, which the server's new handle never had.
        CHECK(pc.closed);
        CHECK(restartOffers(pc) == 2);
        REQUIRE(h.peers.created.size() == before + 1);
        auto& fresh = *h.peers.created.back();
        CHECK(fresh.channels == pc.channels);
        h.answerOffer();  // the data channels alone, as a first publish
        h.answerOffer();  // then every published track
        CHECK(std::count(fresh.calls.begin(), fresh.calls.end(), "addTrack:mic-1@mic-stream") == 1);
        CHECK(restartOffers(fresh) == 0);
        CHECK(h.client.state() == State::Reconnecting);
        Json offer = h.socket.lastRequest("offerSdp");
        CHECK(offer["params"]["mediaMetadata"]["mediaStreams"].has("mic-stream"));
        fresh.handlers.onConnectionState("connected");
        h.loop.run();
        CHECK(h.client.state() == State::Connected);
        CHECK(h.events.back() == "state:connected");
        SECTION("and the new connection is restarted like the old one") {
            fresh.handlers.onConnectionState("failed");
            h.answerOffer();
            CHECK(restartOffers(fresh) == 1);
            CHECK(h.peers.created.size() == before + 1);
        }
    }
    SECTION("a connection with nothing published is not restarted") {
        h.client.unpublish({}, nullptr);
        h.answerOffer();
        pc.handlers.onConnectionState("failed");
        h.client.networkOnline();
        h.timers.advance(10000);
        h.loop.run();
        CHECK(restartOffers(pc) == 0);
        CHECK(h.client.state() == State::Connected);
    }
}

SCENARIO("ICE restarts of the subscribing connection", "[wasm][core][ice]") {
    Harness h;
    ConnectOptions o = Harness::options();
    o.iceRestarts = IceRestartPolicy{3, 1000, 2000};
    h.connected(o);
    h.serverOffer(1, kSubscriberOffer, Json::object());
    h.socket.reply(h.socket.lastRequest("answerSdp"), Json::object());
    auto& pc = *h.peers.created.at(0);
    pc.handlers.onConnectionState("connected");
    h.loop.run();

    SECTION("disconnected past the threshold: restartIce, and the server's offer is answered") {
        pc.handlers.onConnectionState("disconnected");
        h.timers.advance(2000);
        h.loop.run();
        CHECK(h.socket.count("restartIce") == 1);
        CHECK(h.socket.lastRequest("restartIce")["params"].isObject());
        CHECK(h.client.state() == State::Reconnecting);
        h.socket.reply(h.socket.lastRequest("restartIce"), Json::object());
        h.serverOffer(2, kSubscriberOffer, Json::object());
        CHECK(h.socket.count("answerSdp") == 2);
        pc.handlers.onConnectionState("connected");
        h.loop.run();
        CHECK(h.client.state() == State::Connected);
    }
    SECTION("a refused restartIce is retried delayMs later, up to the bound, then failed") {
        pc.handlers.onConnectionState("failed");
        h.loop.run();
        h.socket.replyError(h.socket.lastRequest("restartIce"), -32003, "asked too soon");
        h.loop.run();
        CHECK(h.client.state() == State::Reconnecting);
        h.timers.advance(1000);
        h.loop.run();
        h.timers.advance(1000);
        h.loop.run();
        CHECK(h.socket.count("restartIce") == 3);
        h.timers.advance(1000);
        h.loop.run();
        CHECK(h.client.state() == State::Failed);
        CHECK(h.stateErrors.back().code == "ice_failed");
        CHECK(h.stateErrors.back().message.find("subscribing connection after 3 ICE restart(s)") !=
              std::string::npos);
    }
    SECTION("mediaReset: the connection is closed; the server's next offer makes a new one") {
        notify(h, "mediaReset", R"({"reason":"media-server-restarted"})");
        CHECK(pc.closed);
        CHECK(h.client.state() == State::Connected);  // nothing published: nothing to re-offer
        h.serverOffer(7, kSubscriberOffer, Json::object());
        CHECK(h.peers.created.size() == 2);
        CHECK(h.socket.count("answerSdp") == 2);
        h.timers.advance(60000);
        h.loop.run();
        CHECK(h.client.state() == State::Connected);
    }
    SECTION("the disconnected threshold is a connect option, bounded like the delay") {
        h.client.disconnect();
        ConnectOptions quick = Harness::options();
        quick.iceRestarts = IceRestartPolicy{3, 10, 1};  // raised to the 1 s and 100 ms floors
        h.connected(quick);
        h.serverOffer(1, kSubscriberOffer, Json::object());
        auto& again = *h.peers.created.back();
        again.handlers.onConnectionState("disconnected");
        h.timers.advance(99);
        h.loop.run();
        CHECK(h.socket.count("restartIce") == 0);
        h.timers.advance(1);
        h.loop.run();
        CHECK(h.socket.count("restartIce") == 1);
    }
}
