// JSON-RPC 2.0 framing of the device protocol (protocol/JsonRpc): what a frame parses into, which
// frames are refused with which code (docs/protocol.md "Framing"), and the replies built.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>

#include "protocol/JsonRpc.hpp"

using nlohmann::json;
using sb::protocol::parseRpc;
using sb::protocol::RpcError;
using sb::protocol::RpcErrorCode;
using sb::protocol::RpcMessage;

namespace {

// Parses `frame` expecting a refusal; returns the error and the id it could read.
struct Refusal {
    RpcErrorCode code;
    std::string field;
    json id;
};
Refusal refusalOf(const std::string& frame) {
    json id = "unset";
    try {
        parseRpc(frame, id);
    } catch (const RpcError& e) {
        return {e.code(), e.field(), id};
    }
    FAIL("parsed, expected a refusal: " << frame);
    return {};
}

std::string nested(std::size_t levels) {
    return std::string(levels, '[') + std::string(levels, ']');
}

}  // namespace

TEST_CASE("A request keeps its method, params and id exactly as sent", "[protocol][JsonRpc]") {
    json id;
    auto m =
        parseRpc(R"({"jsonrpc":"2.0","id":7,"method":"offerSdp","params":{"sdpOffer":"v=0"}})", id);
    CHECK(m.kind == RpcMessage::Kind::Request);
    CHECK(m.method == "offerSdp");
    CHECK(m.id == 7);
    CHECK(id == 7);
    CHECK(m.params == json{{"sdpOffer", "v=0"}});

    SECTION("a string id stays a string, leading zeros and all") {
        auto s = parseRpc(R"({"jsonrpc":"2.0","id":"007","method":"ping"})", id);
        CHECK(s.id.is_string());
        CHECK(s.id == "007");
    }
    SECTION("a large integer id is not rounded") {
        auto s = parseRpc(R"({"jsonrpc":"2.0","id":9007199254740993,"method":"ping"})", id);
        CHECK(s.id.get<std::int64_t>() == 9007199254740993);
    }
    SECTION("params by position are kept as an array") {
        auto s = parseRpc(R"({"jsonrpc":"2.0","id":1,"method":"m","params":[1,"two"]})", id);
        CHECK(s.params == json::array({1, "two"}));
    }
    SECTION("absent or null params read as an empty object") {
        CHECK(parseRpc(R"({"jsonrpc":"2.0","id":1,"method":"ping"})", id).params == json::object());
        CHECK(parseRpc(R"({"jsonrpc":"2.0","id":1,"method":"ping","params":null})", id).params ==
              json::object());
    }
}

TEST_CASE("A frame without id is a notification", "[protocol][JsonRpc]") {
    json id = "unset";
    auto m = parseRpc(R"({"jsonrpc":"2.0","method":"deviceDiagnostics","params":{"logs":[]}})", id);
    CHECK(m.kind == RpcMessage::Kind::Notification);
    CHECK(m.method == "deviceDiagnostics");
    CHECK(m.id.is_null());
    CHECK(id.is_null());  // the out-parameter is reset, not left as it was
    CHECK(m.params["logs"] == json::array());
}

TEST_CASE("Responses carry their id and exactly one of result and error", "[protocol][JsonRpc]") {
    json id;
    auto ok = parseRpc(R"({"jsonrpc":"2.0","id":"a","result":{"x":1}})", id);
    CHECK(ok.kind == RpcMessage::Kind::Response);
    CHECK(ok.id == "a");
    CHECK(ok.result == json{{"x", 1}});
    CHECK(ok.error.is_null());

    auto failed =
        parseRpc(R"({"jsonrpc":"2.0","id":3,"error":{"code":-32601,"message":"no"}})", id);
    CHECK(failed.kind == RpcMessage::Kind::Response);
    CHECK(failed.error["code"] == -32601);
    CHECK(failed.result.is_null());

    // A null result is still a result (§5: required on success, any value).
    CHECK(parseRpc(R"({"jsonrpc":"2.0","id":4,"result":null})", id).kind ==
          RpcMessage::Kind::Response);

    CHECK(refusalOf(R"({"jsonrpc":"2.0","id":1,"result":1,"error":{}})").code ==
          RpcErrorCode::InvalidRequest);
    CHECK(refusalOf(R"({"jsonrpc":"2.0","id":1})").code == RpcErrorCode::InvalidRequest);
    CHECK(refusalOf(R"({"jsonrpc":"2.0","result":1})").code == RpcErrorCode::InvalidRequest);
}

TEST_CASE("Text that is not JSON is a parse error with no id", "[protocol][JsonRpc]") {
    for (const char* frame : {"", "{", "not json", R"({"jsonrpc":"2.0","id":1,)", "\xff"}) {
        auto r = refusalOf(frame);
        CHECK(r.code == RpcErrorCode::ParseError);
        CHECK(r.id.is_null());
    }
}

TEST_CASE("JSON that is not one request object is an invalid request", "[protocol][JsonRpc]") {
    // Batches are not part of the device protocol: an array is refused like any non-object.
    for (const char* frame :
         {"[]", R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])", "1", R"("ping")", "null"}) {
        CHECK(refusalOf(frame).code == RpcErrorCode::InvalidRequest);
    }
}

TEST_CASE("The version must be \"2.0\", and the id is kept for the error reply",
          "[protocol][JsonRpc]") {
    for (const char* frame :
         {R"({"id":5,"method":"ping"})", R"({"jsonrpc":"1.0","id":5,"method":"ping"})",
          R"({"jsonrpc":2.0,"id":5,"method":"ping"})"}) {
        auto r = refusalOf(frame);
        CHECK(r.code == RpcErrorCode::InvalidRequest);
        CHECK(r.field == "jsonrpc");
        CHECK(r.id == 5);
    }
}

TEST_CASE("An id that is neither integer nor string is refused and not echoed",
          "[protocol][JsonRpc]") {
    for (const char* frame : {R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})",
                              R"({"jsonrpc":"2.0","id":{"a":1},"method":"ping"})",
                              R"({"jsonrpc":"2.0","id":[1],"method":"ping"})",
                              R"({"jsonrpc":"2.0","id":true,"method":"ping"})"}) {
        auto r = refusalOf(frame);
        CHECK(r.code == RpcErrorCode::InvalidRequest);
        CHECK(r.field == "id");
        CHECK(r.id.is_null());
    }
}

TEST_CASE("method must be a non-empty string; params an object or array", "[protocol][JsonRpc]") {
    for (const char* frame :
         {R"({"jsonrpc":"2.0","id":2,"method":""})", R"({"jsonrpc":"2.0","id":2,"method":42})",
          R"({"jsonrpc":"2.0","id":2,"method":null})"}) {
        auto r = refusalOf(frame);
        CHECK(r.code == RpcErrorCode::InvalidRequest);
        CHECK(r.field == "method");
        CHECK(r.id == 2);
    }
    for (const char* frame : {R"({"jsonrpc":"2.0","id":2,"method":"m","params":"x"})",
                              R"({"jsonrpc":"2.0","id":2,"method":"m","params":3})",
                              R"({"jsonrpc":"2.0","id":2,"method":"m","params":true})"}) {
        auto r = refusalOf(frame);
        CHECK(r.code == RpcErrorCode::InvalidRequest);
        CHECK(r.field == "params");
    }
}

TEST_CASE("Deeply nested params are refused instead of overflowing the stack",
          "[protocol][JsonRpc]") {
    json id;
    SECTION("64 levels in all are accepted") {
        // The frame object is the first level, params the second.
        std::string frame = R"({"jsonrpc":"2.0","id":1,"method":"m","params":)" + nested(63) + "}";
        auto m = parseRpc(frame, id);
        std::size_t levels = 1;
        for (const json* p = &m.params; p->is_array() && !p->empty(); p = &(*p)[0]) ++levels;
        CHECK(levels == 63);
    }
    SECTION("65 levels are an invalid request that still carries the id") {
        std::string frame = R"({"jsonrpc":"2.0","id":9,"method":"m","params":)" + nested(64) + "}";
        auto r = refusalOf(frame);
        CHECK(r.code == RpcErrorCode::InvalidRequest);
        CHECK(r.id == 9);
    }
    SECTION("a whole frame of brackets (128K levels) is refused, not a crash") {
        // Before the limit, copying such params into the message overflowed the stack.
        std::string half(128 * 1024 - 64, '[');
        std::string frame = R"({"jsonrpc":"2.0","id":"deep","method":"deviceDiagnostics",)"
                            R"("params":{"logs":)" +
                            half + std::string(half.size(), ']') + "}}";
        auto r = refusalOf(frame);
        CHECK(r.code == RpcErrorCode::InvalidRequest);
        CHECK(r.id == "deep");
        // A response is bounded the same way.
        CHECK(refusalOf(R"({"jsonrpc":"2.0","id":1,"result":)" + nested(100000) + "}").code ==
              RpcErrorCode::InvalidRequest);
    }
}

TEST_CASE("Replies and notifications are JSON-RPC 2.0 objects", "[protocol][JsonRpc]") {
    auto result = json::parse(sb::protocol::rpcResult("007", json{{"delivered", 2}}));
    CHECK(result == json{{"jsonrpc", "2.0"}, {"id", "007"}, {"result", {{"delivered", 2}}}});

    auto note = json::parse(sb::protocol::rpcNotification("sdpOffer", json{{"sdpRevision", 3}}));
    CHECK(note ==
          json{{"jsonrpc", "2.0"}, {"method", "sdpOffer"}, {"params", {{"sdpRevision", 3}}}});
    CHECK_FALSE(note.contains("id"));  // a notification has no id, not even null

    auto request = json::parse(sb::protocol::rpcRequest(12, "ping", json::object()));
    CHECK(request ==
          json{{"jsonrpc", "2.0"}, {"id", 12}, {"method", "ping"}, {"params", json::object()}});
    // What we build, we parse back as what it is.
    json id;
    CHECK(parseRpc(sb::protocol::rpcRequest(12, "ping", json::object()), id).kind ==
          RpcMessage::Kind::Request);
    CHECK(parseRpc(sb::protocol::rpcResult(12, json::object()), id).kind ==
          RpcMessage::Kind::Response);
}

TEST_CASE("Error replies carry the numeric code, the message and the field",
          "[protocol][JsonRpc]") {
    auto withField = json::parse(sb::protocol::rpcError(
        4, RpcError(RpcErrorCode::InvalidParams, "sdpOffer must be a string", "sdpOffer")));
    CHECK(withField["jsonrpc"] == "2.0");
    CHECK(withField["id"] == 4);
    CHECK(withField["error"]["code"] == -32602);
    CHECK(withField["error"]["message"] == "sdpOffer must be a string");
    CHECK(withField["error"]["data"] == json{{"field", "sdpOffer"}});
    CHECK_FALSE(withField.contains("result"));

    auto noField = json::parse(
        sb::protocol::rpcError(nullptr, RpcError(RpcErrorCode::ParseError, "Parse error")));
    CHECK(noField["id"].is_null());  // §5: id null when it could not be read
    CHECK(noField["error"]["code"] == -32700);
    CHECK_FALSE(noField["error"].contains("data"));

    // A message quoting bytes that are not UTF-8 still makes a frame (U+FFFD in their place).
    auto quoted = sb::protocol::rpcError(
        1, RpcError(RpcErrorCode::MethodNotFound, "Method not found: \xc3\x28"));
    auto parsed = json::parse(quoted, nullptr, false);
    REQUIRE_FALSE(parsed.is_discarded());
    CHECK(parsed["error"]["message"] == "Method not found: \xEF\xBF\xBD(");
}

TEST_CASE("The error codes are those of docs/protocol.md", "[protocol][JsonRpc]") {
    CHECK(static_cast<int>(RpcErrorCode::ParseError) == -32700);
    CHECK(static_cast<int>(RpcErrorCode::InvalidRequest) == -32600);
    CHECK(static_cast<int>(RpcErrorCode::MethodNotFound) == -32601);
    CHECK(static_cast<int>(RpcErrorCode::InvalidParams) == -32602);
    CHECK(static_cast<int>(RpcErrorCode::Internal) == -32603);
    CHECK(static_cast<int>(RpcErrorCode::NotPermitted) == -32001);
    CHECK(static_cast<int>(RpcErrorCode::MediaServer) == -32002);
    CHECK(static_cast<int>(RpcErrorCode::InvalidState) == -32003);
}

TEST_CASE("requireString names the field that is missing or not a string", "[protocol][JsonRpc]") {
    json params{{"sdpAnswer", "v=0"}, {"n", 1}};
    CHECK(sb::protocol::requireString(params, "sdpAnswer") == "v=0");
    for (const char* field : {"n", "absent"}) {
        try {
            sb::protocol::requireString(params, field);
            FAIL("accepted " << field);
        } catch (const RpcError& e) {
            CHECK(e.code() == RpcErrorCode::InvalidParams);
            CHECK(e.field() == field);
        }
    }
    // Params by position have no named fields.
    CHECK_THROWS_AS(sb::protocol::requireString(json::array({"v=0"}), "sdpAnswer"), RpcError);
}

TEST_CASE("optionalObject: absent or null is none, an object is returned, else refused",
          "[protocol][JsonRpc]") {
    json params{{"meta", {{"a", 1}}}, {"none", nullptr}, {"text", "x"}};
    const json* meta = sb::protocol::optionalObject(params, "meta");
    REQUIRE(meta);
    CHECK((*meta)["a"] == 1);
    CHECK(sb::protocol::optionalObject(params, "none") == nullptr);
    CHECK(sb::protocol::optionalObject(params, "absent") == nullptr);
    CHECK(sb::protocol::optionalObject(json::array(), "meta") == nullptr);
    try {
        sb::protocol::optionalObject(params, "text");
        FAIL("accepted a string");
    } catch (const RpcError& e) {
        CHECK(e.code() == RpcErrorCode::InvalidParams);
        CHECK(e.field() == "text");
    }
}
