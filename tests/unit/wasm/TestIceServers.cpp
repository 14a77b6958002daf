// The ICE servers of the setMediaPreferences result (docs/protocol.md "ICE servers (TURN)"): the
// connections use them unless the application passed iceServers of its own.
#include <catch2/catch.hpp>

#include "tests/unit/wasm/fakes/Harness.hpp"

using namespace sb::sdk;
using sb::sdk::test::Harness;

namespace {

// {"iceServers":[{"urls":[...],"username":"...","credential":"..."}]} as the server sends it.
Json preferencesWithTurn() {
    Json urls = Json::array();
    urls.push("turn:127.0.0.1:3478?transport=udp");
    urls.push("turn:127.0.0.1:3478?transport=tcp");
    Json server = Json::object();
    server.set("urls", std::move(urls));
    server.set("username", "1700003600:part-1");
    server.set("credential", "LE0Cx4UtHK5PS76/mQTnZWweRnI=");
    Json servers = Json::array();
    servers.push(std::move(server));
    Json result = Json::object();
    result.set("iceServers", std::move(servers));
    return result;
}

const char* kServersJson =
    R"([{"urls":["turn:127.0.0.1:3478?transport=udp","turn:127.0.0.1:3478?transport=tcp"],)"
    R"("username":"1700003600:part-1","credential":"LE0Cx4UtHK5PS76/mQTnZWweRnI="}])";

void connectWith(Harness& h, const std::string& configuration, const Json& preferences) {
    auto options = Harness::options();
    options.peerConfigurationJson = configuration;
    h.client.connect(options, [&h](const Error& e) { h.connectResult = e; });
    h.socket.accept();
    h.socket.reply(h.socket.lastRequest("setMediaPreferences"), preferences);
    h.loop.run();
}

void publishCamera(Harness& h) {
    h.client.publish(LocalStream{"cam", {{"mic-1", "audio"}}}, "", "",
                     [](const Error&, const StreamInfo&) {});
    h.loop.run();
}

const std::string kOffer =
    "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n"
    "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=setup:actpass\r\n";

}  // namespace

SCENARIO("ICE servers from the server", "[wasm][core][Client][IceServers]") {
    Harness h;

    SECTION("without iceServers of its own, both connections use the server's") {
        connectWith(h, R"({"bundlePolicy":"max-bundle","iceTransportPolicy":"relay"})",
                    preferencesWithTurn());
        REQUIRE(h.client.state() == State::Connected);
        publishCamera(h);
        h.serverOffer(1, kOffer, Json::object());
        REQUIRE(h.peers.created.size() == 2);
        std::string expected =
            R"({"bundlePolicy":"max-bundle","iceTransportPolicy":"relay","iceServers":)" +
            std::string(kServersJson) + "}";
        CHECK(h.peers.created[0]->configuration == expected);
        CHECK(h.peers.created[1]->configuration == expected);
    }

    SECTION("the application's iceServers win, even an empty list") {
        connectWith(h, R"({"iceServers":[]})", preferencesWithTurn());
        publishCamera(h);
        REQUIRE(h.peers.created.size() == 1);
        CHECK(h.peers.created[0]->configuration == R"({"iceServers":[]})");
    }

    SECTION("a result without iceServers (a server without TURN) leaves the configuration") {
        connectWith(h, R"({"iceTransportPolicy":"all"})", Json::object());
        publishCamera(h);
        REQUIRE(h.peers.created.size() == 1);
        CHECK(h.peers.created[0]->configuration == R"({"iceTransportPolicy":"all"})");
    }

    SECTION("malformed entries are left out rather than breaking the connection") {
        Json result = preferencesWithTurn();
        Json servers = Json::array();
        servers.push(result["iceServers"].values()[0]);
        servers.push(Json("turn:example.com"));
        Json noUrls = Json::object();
        noUrls.set("username", "u");
        servers.push(std::move(noUrls));
        Json bad = Json::object();
        Json urls = Json::array();
        urls.push(Json(7.0));
        bad.set("urls", std::move(urls));
        servers.push(std::move(bad));
        Json prefs = Json::object();
        prefs.set("iceServers", std::move(servers));
        connectWith(h, "{}", prefs);
        publishCamera(h);
        REQUIRE(h.peers.created.size() == 1);
        CHECK(h.peers.created[0]->configuration ==
              std::string(R"({"iceServers":)") + kServersJson + "}");
    }

    SECTION("an offer that arrives before the result waits for it and gets the servers") {
        auto options = Harness::options();
        options.peerConfigurationJson = "{}";
        h.client.connect(options, [&h](const Error& e) { h.connectResult = e; });
        h.socket.accept();
        h.serverOffer(1, kOffer, Json::object());
        CHECK(h.peers.created.empty());
        h.socket.reply(h.socket.lastRequest("setMediaPreferences"), preferencesWithTurn());
        h.loop.run();
        REQUIRE(h.peers.created.size() == 1);
        CHECK(h.peers.created[0]->configuration ==
              std::string(R"({"iceServers":)") + kServersJson + "}");
        CHECK(h.socket.count("answerSdp") == 1);
    }

    SECTION("a reconnect takes the new credential for the connections made after it") {
        connectWith(h, "{}", Json::object());
        h.socket.drop(1006);
        h.timers.advance(1000);
        h.socket.accept();
        h.socket.reply(h.socket.lastRequest("setMediaPreferences"), preferencesWithTurn());
        h.loop.run();
        REQUIRE(h.client.state() == State::Connected);
        publishCamera(h);
        REQUIRE(h.peers.created.size() == 1);
        CHECK(h.peers.created[0]->configuration ==
              std::string(R"({"iceServers":)") + kServersJson + "}");
    }

    SECTION("a TURN server refusing the credential is logged once, naming the server") {
        connectWith(h, R"({"iceTransportPolicy":"relay"})", preferencesWithTurn());
        publishCamera(h);
        REQUIRE(h.peers.created.size() == 1);
        auto& handlers = h.peers.created[0]->handlers;
        REQUIRE(handlers);
        handlers.onIceCandidateError("turn:127.0.0.1:3478?transport=udp", 401, "Unauthorized");
        handlers.onIceCandidateError("turn:127.0.0.1:3478?transport=udp", 401, "Unauthorized");
        CHECK(h.warnings == std::vector<std::string>{
                                "Publishing connection: ICE server "
                                "turn:127.0.0.1:3478?transport=udp failed (401 Unauthorized): "
                                "the TURN server refused the credentials"});
    }
}
