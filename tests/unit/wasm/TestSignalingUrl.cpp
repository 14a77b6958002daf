// URL building and the probe that explains a refused WebSocket (docs/protocol.md).
#include <catch2/catch.hpp>

#include "wasm/core/SignalingUrl.hpp"

using namespace sb::sdk;

SCENARIO("SignalingUrl", "[wasm][core][SignalingUrl]") {
    SECTION("the query carries token, client, sdkVersion and uniqueId (reference §2.1)") {
        CHECK(url::signaling("wss://h:1/", "a.b-c_d", "browser", "0.1.0", "u 1") ==
              "wss://h:1/v3/?token=a.b-c_d&client=browser&sdkVersion=0.1.0&uniqueId=u%201");
    }
    SECTION("the probe uses the same URL over http(s)") {
        CHECK(url::probe("ws://h/v3/?token=x") == "http://h/v3/?token=x");
        CHECK(url::probe("wss://h/v3/?token=x") == "https://h/v3/?token=x");
    }
    SECTION("probe answers map to error codes") {
        struct Row {
            int status;
            const char* body;
            const char* code;
        };
        for (const auto& row : std::vector<Row>{
                 {0, "", "server_unreachable"},
                 {401, R"({"error":"token expired","code":"token_expired","requestId":"r"})",
                  "token_expired"},
                 {403, R"({"error":"gone","code":"token_participant_gone"})",
                  "token_participant_gone"},
                 {200, R"({"ok":true})", "websocket_failed"},
                 {502, "<html>bad gateway</html>", "server_refused"},
             }) {
            INFO(row.status);
            CHECK(url::classifyProbe(row.status, row.body, "ws://h").code == row.code);
        }
        CHECK(
            url::classifyProbe(401, R"({"error":"token expired","code":"token_expired"})", "ws://h")
                .message == "token expired");
    }
}
