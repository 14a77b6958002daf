// JSON-RPC 2.0 client: ids, routing, error objects, timeouts, notifications.
#include <catch2/catch.hpp>

#include "tests/unit/wasm/fakes/FakeTimers.hpp"
#include "wasm/core/JsonRpcClient.hpp"

using namespace sb::sdk;
using sb::sdk::test::FakeTimers;

SCENARIO("JsonRpcClient", "[wasm][core][JsonRpcClient]") {
    FakeTimers timers;
    std::vector<std::string> sent;
    JsonRpcClient rpc(timers, [&](const std::string& frame) { sent.push_back(frame); });
    std::vector<std::string> results;
    auto record = [&](const std::string& tag) {
        return [&results, tag](const Error& e, const Json& r) {
            results.push_back(tag + (e.failed() ? " error " + e.code + " " +
                                                      std::to_string(e.rpcCode) + " " + e.message
                                                : " ok " + r.dump()));
        };
    };

    SECTION("requests carry jsonrpc 2.0 and integer ids counting from 1") {
        rpc.request("setMediaPreferences", Json::object(), nullptr);
        rpc.request("ping", Json::object(), nullptr);
        CHECK(sent[0] == R"({"jsonrpc":"2.0","id":1,"method":"setMediaPreferences","params":{}})");
        CHECK((*Json::parse(sent[1]))["id"].asNumber() == 2);
        CHECK(rpc.pending() == 2);
    }
    SECTION("responses are routed by id, in any order") {
        rpc.request("a", Json::object(), record("a"));
        rpc.request("b", Json::object(), record("b"));
        CHECK(rpc.handleFrame(R"({"jsonrpc":"2.0","id":2,"result":{"x":2}})"));
        CHECK(rpc.handleFrame(R"({"jsonrpc":"2.0","id":1,"result":{}})"));
        CHECK(results == std::vector<std::string>{R"(b ok {"x":2})", "a ok {}"});
        CHECK(rpc.pending() == 0);
    }
    SECTION("error objects are surfaced with their code, message and data") {
        Error seen;
        rpc.request("offerSdp", Json::object(), [&](const Error& e, const Json&) { seen = e; });
        rpc.handleFrame(
            R"({"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"Invalid params","data":{"field":"sdpOffer"}}})");
        CHECK(seen.code == "rpc_error");
        CHECK(seen.rpcCode == -32602);
        CHECK(seen.message == "Invalid params");
        CHECK(seen.data == R"({"field":"sdpOffer"})");
    }
    SECTION("a request without an answer times out, and a late answer is ignored") {
        rpc.request("offerSdp", Json::object(), record("slow"), 5000);
        timers.advance(4999);
        CHECK(results.empty());
        timers.advance(1);
        CHECK(results == std::vector<std::string>{
                             "slow error request_timeout 0 No answer to 'offerSdp' in time"});
        CHECK(rpc.handleFrame(R"({"jsonrpc":"2.0","id":1,"result":{}})"));
        CHECK(results.size() == 1);
    }
    SECTION("an answered request cancels its timer") {
        rpc.request("ping", Json::object(), record("p"));
        CHECK(timers.active() == 1);
        rpc.handleFrame(R"({"jsonrpc":"2.0","id":1,"result":{}})");
        CHECK(timers.active() == 0);
    }
    SECTION("notifications reach the handler with their method; without one they are dropped") {
        CHECK(rpc.handleFrame(R"({"jsonrpc":"2.0","method":"dtmf","params":{}})"));
        std::vector<std::string> seen;
        rpc.onNotification([&](const std::string& method, const Json& p) {
            seen.push_back(method + ":" + p.dump());
        });
        CHECK(
            rpc.handleFrame(R"({"jsonrpc":"2.0","method":"sdpOffer","params":{"sdpRevision":3}})"));
        CHECK(rpc.handleFrame(R"({"jsonrpc":"2.0","method":"somethingNew"})"));
        CHECK(seen ==
              std::vector<std::string>{R"(sdpOffer:{"sdpRevision":3})", "somethingNew:null"});
    }
    SECTION("notifications we send have no id, and no params when there are none") {
        rpc.notify("leave", Json());
        CHECK(sent[0] == R"({"jsonrpc":"2.0","method":"leave"})");
    }
    SECTION("frames that are not JSON-RPC are reported, not fatal") {
        CHECK_FALSE(rpc.handleFrame("not json"));
        CHECK_FALSE(rpc.handleFrame("[1,2]"));
        CHECK_FALSE(rpc.handleFrame(R"({"jsonrpc":"2.0","id":1})"));
        CHECK_FALSE(rpc.handleFrame(R"({"jsonrpc":"2.0","id":"abc","result":{}})"));
    }
    SECTION("failAll completes every pending request once") {
        rpc.request("a", Json::object(), record("a"));
        rpc.request("b", Json::object(), record("b"));
        rpc.failAll(Error{"socket_closed", "closed", 0, {}});
        CHECK(results.size() == 2);
        CHECK(results[0].find("socket_closed") != std::string::npos);
        CHECK(timers.active() == 0);
    }
    SECTION("a handler may send the next request while its answer is processed") {
        rpc.request("first", Json::object(), [&](const Error&, const Json&) {
            rpc.request("second", Json::object(), record("second"));
        });
        rpc.handleFrame(R"({"jsonrpc":"2.0","id":1,"result":{}})");
        CHECK(rpc.pending() == 1);
        rpc.handleFrame(R"({"jsonrpc":"2.0","id":2,"result":{}})");
        CHECK(results == std::vector<std::string>{"second ok {}"});
    }
}
