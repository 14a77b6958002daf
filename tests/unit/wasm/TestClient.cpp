// The connection lifecycle: connect, refusals that reject instead of hanging, reconnects,
// disconnect, and events emitted after the work, never re-entrantly.
#include <catch2/catch.hpp>

#include "tests/unit/wasm/fakes/Harness.hpp"

using namespace sb::sdk;
using sb::sdk::test::Harness;

SCENARIO("Client connection lifecycle", "[wasm][core][Client]") {
    Harness h;

    SECTION("connect opens the v3 URL, sends setMediaPreferences with id 1, then resolves") {
        h.connect();
        CHECK(h.client.state() == State::Connecting);
        CHECK(h.socket.urls ==
              std::vector<std::string>{
                  "ws://127.0.0.1:8080/v3/"
                  "?token=header.payload.sig&client=browser&sdkVersion=0.1.0&uniqueId=u-1"});
        h.socket.accept();
        CHECK(
            h.socket.sent.at(0) ==
            R"({"jsonrpc":"2.0","id":1,"method":"setMediaPreferences","params":{"protocol":"WEBRTC","resumable":true}})");
        CHECK_FALSE(h.connectResult);
        h.socket.reply(h.socket.last(), Json::object());
        REQUIRE(h.connectResult);
        CHECK_FALSE(h.connectResult->failed());
        CHECK(h.client.state() == State::Connected);
        CHECK(h.events == std::vector<std::string>{"state:connecting", "state:connected"});
    }
    SECTION("a refused token rejects connect with the server's code, learnt by the HTTP probe") {
        h.connect();
        h.socket.drop(1006);
        CHECK(h.http.urls ==
              std::vector<std::string>{
                  "http://127.0.0.1:8080/v3/"
                  "?token=header.payload.sig&client=browser&sdkVersion=0.1.0&uniqueId=u-1"});
        CHECK_FALSE(h.connectResult);
        h.http.respond(
            401, R"({"error":"The token has expired","code":"token_expired","requestId":"r1"})");
        REQUIRE(h.connectResult);
        CHECK(h.connectResult->code == "token_expired");
        CHECK(h.connectResult->message == "The token has expired");
        CHECK(h.client.state() == State::Failed);
        CHECK(h.events == std::vector<std::string>{"state:connecting", "state:failed"});
        CHECK(h.stateErrors.back().code == "token_expired");
        SECTION("and connect may be called again") {
            h.connected();
            CHECK(h.client.state() == State::Connected);
        }
    }
    SECTION("a deleted participant is token_participant_gone") {
        h.connect();
        h.socket.drop(1006);
        h.http.respond(403, R"({"error":"participant deleted","code":"token_participant_gone"})");
        CHECK(h.connectResult->code == "token_participant_gone");
    }
    SECTION("when the probe fails too, the server is unreachable") {
        h.connect();
        h.socket.drop(1006);
        h.http.respond(0, "");
        CHECK(h.connectResult->code == "server_unreachable");
    }
    SECTION("a server that never answers times out") {
        h.connect();
        h.timers.advance(Harness::options().connectTimeoutMs);
        REQUIRE(h.connectResult);
        CHECK(h.connectResult->code == "connect_timeout");
        CHECK(h.socket.closedWith == std::vector<int>{1000});
        CHECK(h.timers.active() == 0);
    }
    SECTION("a refused setMediaPreferences rejects with the JSON-RPC error") {
        h.connect();
        h.socket.accept();
        h.socket.replyError(h.socket.last(), -32603, "Internal error");
        CHECK(h.connectResult->code == "rpc_error");
        CHECK(h.connectResult->rpcCode == -32603);
    }
    SECTION("connect twice is refused") {
        h.connected();
        std::optional<Error> second;
        h.client.connect(Harness::options(), [&](const Error& e) { second = e; });
        CHECK(second->code == "invalid_state");
    }
    SECTION("disconnect sends leave, closes with 1000 and ends in disconnected") {
        h.connected();
        h.client.disconnect();
        CHECK(h.socket.last().dump() == R"({"jsonrpc":"2.0","method":"leave"})");
        CHECK(h.socket.closedWith == std::vector<int>{1000});
        CHECK(h.client.state() == State::Disconnected);
        CHECK(h.events.back() == "state:disconnected");
        CHECK(h.timers.active() == 0);
        h.client.disconnect();  // again: nothing
        CHECK(h.events.size() == 3);
    }
    SECTION("disconnect while connecting rejects the pending connect") {
        h.connect();
        h.client.disconnect();
        CHECK(h.connectResult->code == "disconnected");
    }
    SECTION("a ping is sent every 300 s") {
        h.connected();
        h.timers.advance(Client::kPingIntervalMs);
        CHECK(h.socket.count("ping") == 1);
        h.socket.reply(h.socket.lastRequest("ping"), Json::object());
        h.timers.advance(Client::kPingIntervalMs);
        CHECK(h.socket.count("ping") == 2);
    }
    SECTION("an abnormal close reconnects with the same URL and resumes") {
        h.connected();
        h.socket.drop(1006);
        CHECK(h.client.state() == State::Reconnecting);
        h.timers.advance(Client::kFirstReconnectDelayMs);
        REQUIRE(h.socket.urls.size() == 2);
        CHECK(h.socket.urls[1] == h.socket.urls[0]);
        h.socket.accept();
        h.socket.reply(h.socket.lastRequest("setMediaPreferences"), Json::object());
        CHECK(h.client.state() == State::Connected);
        CHECK(h.events == std::vector<std::string>{"state:connecting", "state:connected",
                                                   "state:reconnecting", "state:connected"});
    }
    SECTION("reconnect attempts back off and end in failed") {
        h.connected();
        h.socket.drop(1006);
        for (int i = 0; i < Client::kMaxReconnectAttempts; ++i) {
            h.timers.advance(Client::kMaxReconnectDelayMs);
            h.socket.drop(1006);
            h.http.respond(0, "");
        }
        CHECK(h.client.state() == State::Failed);
        CHECK(h.stateErrors.back().code == "server_unreachable");
        CHECK(h.socket.urls.size() == 1 + Client::kMaxReconnectAttempts);
    }
    SECTION("a token refused while reconnecting fails at once") {
        h.connected();
        h.socket.drop(1006);
        h.timers.advance(1000);
        h.socket.drop(1006);
        h.http.respond(403, R"({"error":"gone","code":"token_participant_gone"})");
        CHECK(h.client.state() == State::Failed);
        CHECK(h.stateErrors.back().code == "token_participant_gone");
    }
    SECTION("the server closing normally ends the session without reconnecting") {
        h.connected();
        h.socket.drop(1000);
        CHECK(h.client.state() == State::Disconnected);
        h.timers.advance(60000);
        CHECK(h.socket.urls.size() == 1);
    }
    SECTION("a deleted session or participant ends the call with the close code, no reconnect") {
        h.connected();
        h.socket.drop(4410);
        CHECK(h.client.state() == State::Disconnected);
        CHECK(h.stateErrors.back().code == "ended_by_server");
        CHECK(h.stateErrors.back().data == R"({"closeCode":4410})");
        h.timers.advance(60000);
        CHECK(h.socket.urls.size() == 1);
    }
    SECTION(
        "a listener that disconnects from inside an event sees its events afterwards, in order") {
        std::vector<std::string> during;
        h.onState = [&](State s) {
            if (s == State::Connected) {
                h.client.disconnect();
                during = h.events;  // the disconnected event has not been emitted yet
            }
        };
        h.connected();
        CHECK(during == std::vector<std::string>{"state:connecting", "state:connected"});
        CHECK(h.events == std::vector<std::string>{"state:connecting", "state:connected",
                                                   "state:disconnected"});
    }
    SECTION("unknown frames are ignored and do not break the connection") {
        h.connected();
        h.socket.receive("garbage");
        h.socket.receive(R"({"jsonrpc":"2.0","method":"serverEvent","params":{}})");
        CHECK(h.client.state() == State::Connected);
    }
}
