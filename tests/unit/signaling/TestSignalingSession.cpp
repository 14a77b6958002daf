// One device connection (server/signaling/SignalingSession) driven through its WebSocket seam,
// without a socket and without a media server: which frames get which replies (docs/protocol.md
// "Framing" and "Methods"), and how media's events reach the device.
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "server/signaling/SignalingSession.hpp"

using nlohmann::json;
namespace signaling = sb::signaling;
namespace media = sb::media;

namespace {

class RecordingConnection : public sb::net::WsConnection {
  public:
    void send(std::string text) override { sent.push_back(std::move(text)); }
    void close(std::uint16_t code, std::string reason) override {
        closes.emplace_back(code, std::move(reason));
    }
    std::vector<std::string> sent;
    std::vector<std::pair<std::uint16_t, std::string>> closes;
};

// A session with no media server attached (the methods that need one answer -32002).
struct Device {
    std::shared_ptr<RecordingConnection> connection = std::make_shared<RecordingConnection>();
    std::shared_ptr<signaling::SignalingSession> session;

    explicit Device(signaling::SessionLimits limits = {}) {
        signaling::DeviceIdentity who{"acc", "part", "browser", "0.12", "u-1"};
        session =
            std::make_shared<signaling::SignalingSession>("dev-1", who, nullptr, nullptr, limits);
        session->onOpen(connection);
    }
    // Sends a frame; returns the one reply it got, or null when it got none.
    json call(const std::string& frame) {
        auto before = connection->sent.size();
        session->onMessage(frame);
        REQUIRE(connection->sent.size() <= before + 1);
        return connection->sent.size() == before ? json() : json::parse(connection->sent.back());
    }
    json call(const json& frame) { return call(frame.dump()); }
};

json request(json id, const std::string& method, json params = json::object()) {
    return {{"jsonrpc", "2.0"}, {"id", std::move(id)}, {"method", method}, {"params", params}};
}
json notification(const std::string& method, json params = json::object()) {
    return {{"jsonrpc", "2.0"}, {"method", method}, {"params", params}};
}
int codeOf(const json& reply) {
    return reply.at("error").at("code").get<int>();
}

}  // namespace

TEST_CASE("ping and setMediaPreferences (without TURN) answer {} with the request's id",
          "[server][signaling][SignalingSession]") {
    Device d;
    CHECK(d.call(request(1, "ping")) ==
          json{{"jsonrpc", "2.0"}, {"id", 1}, {"result", json::object()}});
    CHECK(d.call(request("s-7", "ping"))["id"] == "s-7");
    json prefs = d.call(request(2, "setMediaPreferences", {{"protocol", "WEBRTC"}}));
    CHECK(prefs["id"] == 2);
    CHECK(prefs["result"] == json::object());
}

TEST_CASE("With TURN configured, setMediaPreferences gives the participant's ICE servers",
          "[server][signaling][SignalingSession]") {
    auto turn = std::make_shared<const sb::auth::TurnCredentials>(
        "0123456789abcdef", std::vector<std::string>{"turn:127.0.0.1:3478?transport=udp"}, 600);
    auto connection = std::make_shared<RecordingConnection>();
    signaling::DeviceIdentity who{"acc", "part-9", "browser", "0.12", "u-1"};
    auto session = std::make_shared<signaling::SignalingSession>("dev-1", who, nullptr, nullptr,
                                                                 signaling::SessionLimits{}, turn);
    session->onOpen(connection);
    auto before = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    session->onMessage(request(3, "setMediaPreferences", {{"protocol", "WEBRTC"}}).dump());
    REQUIRE(connection->sent.size() == 1);
    json reply = json::parse(connection->sent.back());
    REQUIRE(reply["result"]["iceServers"].size() == 1);
    const json& server = reply["result"]["iceServers"][0];
    CHECK(server["urls"] == json::array({"turn:127.0.0.1:3478?transport=udp"}));
    // "<expiry>:<participant>", the expiry the lifetime after now (draft-uberti-behave-turn-rest).
    auto username = server["username"].get<std::string>();
    auto colon = username.find(':');
    REQUIRE(colon != std::string::npos);
    CHECK(username.substr(colon + 1) == "part-9");
    auto expiry = std::stoll(username.substr(0, colon));
    CHECK(expiry >= before + 600);
    CHECK(expiry <= before + 602);
    CHECK(server["credential"] ==
          sb::auth::TurnCredentials::password("0123456789abcdef", username));
}

TEST_CASE("Notifications get no reply, not even an error",
          "[server][signaling][SignalingSession]") {
    Device d;
    CHECK(d.call(notification("ping")).is_null());
    CHECK(d.call(notification("noSuchMethod")).is_null());
    CHECK(d.call(notification("offerSdp", {{"sdpOffer", 5}})).is_null());
    CHECK(d.connection->sent.empty());
    CHECK(d.connection->closes.empty());  // protocol errors never close the connection
}

TEST_CASE("Frames that cannot be read are answered with id null or the id read",
          "[server][signaling][SignalingSession]") {
    Device d;
    json parse = d.call(std::string("{not json"));
    CHECK(codeOf(parse) == -32700);
    CHECK(parse["id"].is_null());

    json version = d.call(std::string(R"({"jsonrpc":"1.0","id":3,"method":"ping"})"));
    CHECK(codeOf(version) == -32600);
    CHECK(version["id"] == 3);

    // Even without an id, a malformed frame is answered (JSON-RPC 2.0 §5).
    CHECK(codeOf(d.call(std::string(R"({"method":"ping"})"))) == -32600);

    // Arrays nested past the limit are refused, not copied (that overflowed the stack).
    std::string deep = R"({"jsonrpc":"2.0","id":4,"method":"deviceDiagnostics","params":{"logs":)" +
                       std::string(100000, '[') + std::string(100000, ']') + "}}";
    json refused = d.call(deep);
    CHECK(codeOf(refused) == -32600);
    CHECK(refused["id"] == 4);
    CHECK(d.connection->closes.empty());
}

TEST_CASE("A request with id null is a request: its errors are answered too",
          "[server][signaling][SignalingSession]") {
    // JSON-RPC 2.0 §4.1: only a frame without "id" is a notification. Before, a null id got
    // its result but not its error.
    Device d;
    json ok = d.call(std::string(R"({"jsonrpc":"2.0","id":null,"method":"ping"})"));
    REQUIRE(ok.is_object());
    CHECK(ok["id"].is_null());
    CHECK(ok["result"] == json::object());
    json refused = d.call(std::string(R"({"jsonrpc":"2.0","id":null,"method":"nope"})"));
    REQUIRE(refused.is_object());
    CHECK(refused["id"].is_null());
    CHECK(codeOf(refused) == -32601);
}

TEST_CASE("Stray responses from the device are ignored", "[server][signaling][SignalingSession]") {
    Device d;
    CHECK(d.call(std::string(R"({"jsonrpc":"2.0","id":1,"result":{}})")).is_null());
    CHECK(d.call(std::string(R"({"jsonrpc":"2.0","id":1,"error":{"code":1}})")).is_null());
}

TEST_CASE("An unknown method is -32601", "[server][signaling][SignalingSession]") {
    Device d;
    json r = d.call(request(5, "subscribe"));
    CHECK(r["id"] == 5);
    CHECK(codeOf(r) == -32601);
    CHECK(r["error"]["message"].get<std::string>().find("subscribe") != std::string::npos);
}

TEST_CASE("offerSdp checks its params before media sees them",
          "[server][signaling][SignalingSession]") {
    Device d;
    auto field = [](const json& r) { return r["error"]["data"]["field"].get<std::string>(); };

    json missing = d.call(request(1, "offerSdp"));
    CHECK(codeOf(missing) == -32602);
    CHECK(field(missing) == "sdpOffer");

    json notSdp = d.call(request(2, "offerSdp", {{"sdpOffer", "hello"}}));
    CHECK(codeOf(notSdp) == -32602);
    CHECK(field(notSdp) == "sdpOffer");

    json badMeta = d.call(request(3, "offerSdp", {{"sdpOffer", "v=0\r\n"}, {"mediaMetadata", 1}}));
    CHECK(codeOf(badMeta) == -32602);
    CHECK(field(badMeta) == "mediaMetadata");

    json badEntry = d.call(
        request(4, "offerSdp",
                {{"sdpOffer", "v=0\r\n"}, {"mediaMetadata", {{"mediaStreams", {{"m1", "x"}}}}}}));
    CHECK(codeOf(badEntry) == -32602);
    CHECK(field(badEntry) == "mediaMetadata.mediaStreams");

    json longAlias = d.call(request(
        5, "offerSdp",
        {{"sdpOffer", "v=0\r\n"},
         {"mediaMetadata", {{"mediaStreams", {{"m1", {{"alias", std::string(257, 'a')}}}}}}}}));
    CHECK(codeOf(longAlias) == -32602);
    CHECK(field(longAlias) == "mediaMetadata.mediaStreams.m1.alias");

    json numberAlias =
        d.call(request(6, "offerSdp",
                       {{"sdpOffer", "v=0\r\n"},
                        {"mediaMetadata", {{"mediaStreams", {{"m1", {{"alias", 1}}}}}}}}));
    CHECK(field(numberAlias) == "mediaMetadata.mediaStreams.m1.alias");

    // Well-formed (a 256-byte alias is fine): now it needs the media server, and there is none.
    json valid = d.call(request(
        7, "offerSdp",
        {{"sdpOffer", "v=0\r\n"},
         {"mediaMetadata",
          {{"mediaStreams", {{"m1", {{"alias", std::string(256, 'a')}}}, {"m2", json::object()}}},
           {"dataChannels", json::object()}}}}));
    CHECK(codeOf(valid) == -32002);
    CHECK(valid["id"] == 7);
}

TEST_CASE("answerSdp needs an SDP description", "[server][signaling][SignalingSession]") {
    Device d;
    json bad = d.call(request(1, "answerSdp", {{"sdpAnswer", "x=1"}}));
    CHECK(codeOf(bad) == -32602);
    CHECK(bad["error"]["data"]["field"] == "sdpAnswer");
    CHECK(codeOf(d.call(request(2, "answerSdp", {{"sdpAnswer", "v=0\r\n"}}))) == -32002);
}

TEST_CASE("sendDtmf takes 1 to 32 of 0-9 * # A-D and ','",
          "[server][signaling][SignalingSession]") {
    Device d;
    for (json tones : {json(""), json(std::string(33, '1')), json("12E"), json("1 2"), json(5)}) {
        INFO(tones.dump());
        json r = d.call(request(1, "sendDtmf", {{"tones", tones}}));
        CHECK(codeOf(r) == -32602);
        CHECK(r["error"]["data"]["field"] == "tones");
    }
    // Valid tones (lower case too) pass the check and reach media, absent here.
    for (const std::string& tones :
         std::vector<std::string>{"0123456789*#ABCD,", "abcd", std::string(32, '9')})
        CHECK(codeOf(d.call(request(2, "sendDtmf", {{"tones", tones}}))) == -32002);
}

TEST_CASE("deviceDiagnostics wants an array of logs", "[server][signaling][SignalingSession]") {
    Device d(signaling::SessionLimits{200});
    CHECK(d.call(request(1, "deviceDiagnostics",
                         {{"logs", json::array({"a", {{"x", 1}}})}}))["result"] == json::object());
    // More than the per-device budget is accepted; older entries are dropped, not refused.
    CHECK(d.call(request(
              2, "deviceDiagnostics",
              {{"logs", json::array({std::string(150, 'a'), std::string(150, 'b')})}}))["result"] ==
          json::object());
    for (json params : {json::object(), json{{"logs", "text"}}, json{{"logs", {{"a", 1}}}}}) {
        json r = d.call(request(3, "deviceDiagnostics", params));
        CHECK(codeOf(r) == -32602);
        CHECK(r["error"]["data"]["field"] == "logs");
    }
    CHECK(d.call(notification("deviceDiagnostics", {{"logs", json::array()}})).is_null());
}

TEST_CASE("leave answers, closes with 1000, and refuses what comes after",
          "[server][signaling][SignalingSession]") {
    Device d;
    json r = d.call(request(9, "leave"));
    CHECK(r["id"] == 9);
    CHECK(r["result"] == json::object());
    REQUIRE(d.connection->closes.size() == 1);
    CHECK(d.connection->closes[0] == std::pair<std::uint16_t, std::string>{1000, "left"});

    CHECK(codeOf(d.call(request(10, "ping"))) == -32003);

    SECTION("as a notification it closes without a reply") {
        Device n;
        CHECK(n.call(notification("leave")).is_null());
        CHECK(n.connection->closes.size() == 1);
    }
}

TEST_CASE("Media's events reach the device as notifications and closes",
          "[server][signaling][SignalingSession]") {
    Device d;
    media::StreamMetadata meta;
    meta["msid-1"] = {"msid-1", "p-9", std::nullopt, {"AUDIO"}};
    d.session->streamsOffered({"ep-1", "v=0\r\noffer", 3, meta});
    REQUIRE(d.connection->sent.size() == 1);
    json offer = json::parse(d.connection->sent[0]);
    CHECK(offer["jsonrpc"] == "2.0");
    CHECK(offer["method"] == "sdpOffer");
    CHECK_FALSE(offer.contains("id"));
    CHECK(offer["params"]["sdpRevision"] == 3);
    CHECK(offer["params"]["streamMetadata"]["msid-1"]["participantId"] == "p-9");

    d.session->dtmfHeard({"p-phone", "#", "msid-2"});
    json dtmf = json::parse(d.connection->sent.at(1));
    CHECK(dtmf["method"] == "dtmf");
    CHECK(dtmf["params"]["tone"] == "#");

    d.session->closeDevice(media::CloseReason::SessionDeleted);
    REQUIRE(d.connection->closes.size() == 1);
    CHECK(d.connection->closes[0].first == 4410);
}

TEST_CASE("After the connection closed, nothing is sent to it",
          "[server][signaling][SignalingSession]") {
    Device d;
    d.session->onClose();
    d.session->onMessage(request(1, "ping").dump());
    d.session->streamsOffered({"ep", "v=0", 1, {}});
    d.session->closeDevice(media::CloseReason::ParticipantDeleted);
    CHECK(d.connection->sent.empty());
    CHECK(d.connection->closes.empty());
}
