// The `turn` object of the config (server/app/TurnConfig) and the turnserver.conf rendered from it
// (server/app/TurnServerConf): what a config file gives, and the error naming the key when wrong.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "server/app/Config.hpp"
#include "server/app/TurnServerConf.hpp"

namespace app = sb::app;

namespace {

// Loads a config file with these contents; the file is removed again.
app::Config load(const std::string& text) {
    auto path = std::filesystem::temp_directory_path() /
                ("sb-turn-config-" + std::to_string(std::hash<std::string>{}(text)) + ".json");
    {
        std::ofstream out(path);
        out << text;
    }
    struct Remove {
        std::filesystem::path p;
        ~Remove() { std::filesystem::remove(p); }
    } remove{path};
    return app::loadConfigFile(path.string());
}

std::string errorOf(const std::string& text) {
    try {
        load(text);
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

const std::string kSecret = R"("secret": "0123456789abcdef0123")";

}  // namespace

TEST_CASE("Config turn", "[server][app][TurnConfig]") {
    SECTION("unset: no TURN") {
        CHECK_FALSE(load(R"({"http": "127.0.0.1:0"})").turn.has_value());
    }

    SECTION("only a secret: the defaults, urls from the server's address and the listen port") {
        auto c = load(R"({"http": "192.0.2.10:8080", "turn": {)" + kSecret + "}}");
        REQUIRE(c.turn);
        CHECK(c.turn->urls == std::vector<std::string>{"turn:192.0.2.10:3478?transport=udp",
                                                       "turn:192.0.2.10:3478?transport=tcp"});
        CHECK(c.turn->credentialLifetimeSeconds == 3600);
        CHECK(c.turn->realm == "switchboard");
        CHECK(c.turn->relayPortMin == 49152);
        CHECK(c.turn->relayPortMax == 49999);
    }

    SECTION("every key") {
        auto c = load(R"({"turn": {)" + kSecret + R"(, "urls": ["turns:turn.example.com:5349",
            "turn:[2001:db8::1]?transport=udp"], "credentialLifetimeSeconds": 600,
            "listen": "127.0.0.1:3479", "relayPorts": "40000-40100", "realm": "example.com"}})");
        REQUIRE(c.turn);
        CHECK(c.turn->urls.size() == 2);
        CHECK(c.turn->listenAddress == "127.0.0.1");
        CHECK(c.turn->listenPort == 3479);
        CHECK(c.turn->relayPortMin == 40000);
        CHECK(c.turn->relayPortMax == 40100);
        CHECK(c.turn->realm == "example.com");
        CHECK(c.turn->credentialLifetimeSeconds == 600);
    }

    SECTION("errors name the key") {
        auto with = [](const std::string& members) {
            return errorOf(R"({"turn": {)" + members + "}}");
        };
        CHECK_THAT(errorOf(R"({"turn": "yes"})"), Catch::Contains("turn: must be an object"));
        CHECK_THAT(with(R"("urls": [])"), Catch::Contains("turn.secret: is required"));
        CHECK_THAT(with(R"("secret": "short")"), Catch::Contains("turn.secret: must be 16"));
        CHECK_THAT(with(R"("secret": "0123456789abcdef 0123")"), Catch::Contains("turn.secret"));
        CHECK_THAT(with(kSecret + R"(, "urls": ["stun:example.com"])"),
                   Catch::Contains("turn.urls[0]: \"stun:example.com\" is not a turn:"));
        CHECK_THAT(with(kSecret + R"(, "urls": ["turn://example.com"])"),
                   Catch::Contains("turn.urls[0]"));
        CHECK_THAT(with(kSecret + R"(, "urls": ["turn:example.com:99999"])"),
                   Catch::Contains("turn.urls[0]"));
        CHECK_THAT(with(kSecret + R"(, "urls": ["turn:example.com?transport="])"),
                   Catch::Contains("turn.urls[0]"));
        CHECK_THAT(with(kSecret + R"(, "urls": "turn:example.com")"),
                   Catch::Contains("turn.urls: must be an array"));
        CHECK_THAT(with(kSecret + R"(, "credentialLifetimeSeconds": 10)"),
                   Catch::Contains("turn.credentialLifetimeSeconds: must be between 60 and 86400"));
        CHECK_THAT(with(kSecret + R"(, "credentialLifetimeSeconds": 100000)"),
                   Catch::Contains("turn.credentialLifetimeSeconds"));
        CHECK_THAT(with(kSecret + R"(, "relayPorts": "5000")"),
                   Catch::Contains("turn.relayPorts: expected FIRST-LAST"));
        CHECK_THAT(with(kSecret + R"(, "relayPorts": "6000-5000")"),
                   Catch::Contains("turn.relayPorts"));
        CHECK_THAT(with(kSecret + R"(, "listen": "0.0.0.0")"), Catch::Contains("turn.listen"));
        CHECK_THAT(with(kSecret + R"(, "realm": "")"), Catch::Contains("turn.realm"));
        CHECK_THAT(with(kSecret + R"(, "colour": "blue")"),
                   Catch::Contains("turn.colour: unknown key"));
        CHECK_THAT(errorOf(R"({"http": "0.0.0.0:8080", "turn": {)" + kSecret + "}}"),
                   Catch::Contains("turn.urls: required when the server's address is a wildcard"));
    }
}

TEST_CASE("turnserver.conf from the config", "[server][app][TurnConfig]") {
    auto c = load(R"({"http": "127.0.0.1:8080", "rtpAddress": "127.0.0.1", "turn": {)" + kSecret +
                  R"(, "listen": "127.0.0.1:3479", "relayPorts": "40000-40100"}})");
    auto conf = app::renderTurnserverConf(c);
    auto has = [&conf](const std::string& line) {
        return conf.find("\n" + line + "\n") != std::string::npos;
    };
    CHECK(has("use-auth-secret"));
    CHECK(has("static-auth-secret=0123456789abcdef0123"));
    CHECK(has("realm=switchboard"));
    CHECK(has("listening-ip=127.0.0.1"));
    CHECK(has("listening-port=3479"));
    CHECK(has("min-port=40000"));
    CHECK(has("max-port=40100"));
    CHECK(has("no-tls"));
    CHECK(has("no-dtls"));
    CHECK(has("denied-peer-ip=10.0.0.0-10.255.255.255"));
    CHECK(has("denied-peer-ip=127.0.0.0-127.255.255.255"));
    // The media server on loopback stays reachable, nothing else on loopback.
    CHECK(has("allowed-peer-ip=127.0.0.1"));
    CHECK(has("allow-loopback-peers"));
    CHECK(has("user-quota=16"));  // 4 devices x 2 connections x 2 URLs
    CHECK_FALSE(has("external-ip=127.0.0.1"));

    app::TurnServerHost host;
    host.externalIp = "198.51.100.7";
    host.mediaAddresses = {"10.0.0.5"};
    host.certFile = "/etc/ssl/fullchain.pem";
    host.keyFile = "/etc/ssl/privkey.pem";
    auto natted = app::renderTurnserverConf(*c.turn, host);
    CHECK(natted.find("\nexternal-ip=198.51.100.7\n") != std::string::npos);
    CHECK(natted.find("\nallowed-peer-ip=10.0.0.5\n") != std::string::npos);
    CHECK(natted.find("\ncert=/etc/ssl/fullchain.pem\n") != std::string::npos);
    CHECK(natted.find("no-tls") == std::string::npos);
    CHECK(natted.find("allow-loopback-peers") == std::string::npos);

    app::Config without;
    CHECK_THROWS_AS(app::renderTurnserverConf(without), std::runtime_error);
}

TEST_CASE("turnserver.conf behind 1:1 NAT names the public address", "[server][app][TurnConfig]") {
    // 203.0.113.10 (RFC 5737) is no address of this machine: the server is behind NAT, so the
    // relayed addresses coturn hands out must carry the public address, as Janus's candidates do.
    auto natted = app::renderTurnserverConf(
        load(R"({"http": "127.0.0.1:8080", "publicAddress": "203.0.113.10", "turn": {)" + kSecret +
             "}}"));
    CHECK(natted.find("\nexternal-ip=203.0.113.10\n") != std::string::npos);
    // publicAddress is this machine's own (loopback here): nothing to map.
    auto own = app::renderTurnserverConf(load(
        R"({"http": "127.0.0.1:8080", "publicAddress": "127.0.0.1", "turn": {)" + kSecret + "}}"));
    CHECK(own.find("external-ip") == std::string::npos);
}
