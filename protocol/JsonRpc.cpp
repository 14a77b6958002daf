#include "protocol/JsonRpc.hpp"
#include "protocol/BoundedJson.hpp"
#include "protocol/SafeJson.hpp"

namespace sb::protocol {

using nlohmann::json;

RpcMessage parseRpc(std::string_view frame, json& idOut) {
    idOut = nullptr;
    auto parsed = parseBoundedJson(frame);
    json& j = parsed.value;
    if (j.is_discarded())
        throw RpcError(RpcErrorCode::ParseError, "Parse error: the frame is not valid JSON");
    if (!j.is_object())
        throw RpcError(RpcErrorCode::InvalidRequest, "Invalid Request: expected a JSON object");
    auto id = j.find("id");
    if (id != j.end()) {
        if (!id->is_number_integer() && !id->is_string() && !id->is_null())
            throw RpcError(RpcErrorCode::InvalidRequest,
                           "Invalid Request: id must be an integer or a string", "id");
        idOut = *id;
    }
    if (parsed.tooDeep)
        throw RpcError(RpcErrorCode::InvalidRequest,
                       "Invalid Request: arrays and objects nest deeper than " +
                           std::to_string(kMaxJsonDepth) + " levels");
    auto version = j.find("jsonrpc");
    if (version == j.end() || *version != "2.0")
        throw RpcError(RpcErrorCode::InvalidRequest, "Invalid Request: jsonrpc must be \"2.0\"",
                       "jsonrpc");

    RpcMessage m;
    auto method = j.find("method");
    if (method != j.end()) {
        if (!method->is_string() || method->get_ref<const std::string&>().empty())
            throw RpcError(RpcErrorCode::InvalidRequest,
                           "Invalid Request: method must be a non-empty string", "method");
        m.method = *method;
        m.kind = id != j.end() ? RpcMessage::Kind::Request : RpcMessage::Kind::Notification;
        if (m.kind == RpcMessage::Kind::Request) m.id = *id;
        auto params = j.find("params");
        if (params != j.end() && !params->is_null()) {
            if (!params->is_object() && !params->is_array())
                throw RpcError(RpcErrorCode::InvalidRequest,
                               "Invalid Request: params must be an object or array", "params");
            m.params = *params;
        }
        return m;
    }
    bool hasResult = j.contains("result"), hasError = j.contains("error");
    if (id == j.end() || hasResult == hasError)
        throw RpcError(RpcErrorCode::InvalidRequest,
                       "Invalid Request: neither a request (method) nor a response (id and one of "
                       "result/error)");
    m.kind = RpcMessage::Kind::Response;
    m.id = *id;
    if (hasResult) m.result = j["result"];
    if (hasError) m.error = j["error"];
    return m;
}

std::string rpcResult(const json& id, const json& result) {
    return protocol::dumpJson(json{{"jsonrpc", "2.0"}, {"id", id}, {"result", result}});
}

std::string rpcError(const json& id, const RpcError& e) {
    json err{{"code", static_cast<int>(e.code())}, {"message", e.what()}};
    if (!e.field().empty()) err["data"] = {{"field", e.field()}};
    return protocol::dumpJson(json{{"jsonrpc", "2.0"}, {"id", id}, {"error", err}});
}

std::string rpcNotification(const std::string& method, const json& params) {
    return protocol::dumpJson(json{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}});
}

std::string rpcRequest(const json& id, const std::string& method, const json& params) {
    return protocol::dumpJson(
        json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
}

const std::string& requireString(const json& params, const char* field) {
    if (!params.is_object())
        throw RpcError(RpcErrorCode::InvalidParams, "params must be an object");
    auto it = params.find(field);
    if (it == params.end() || !it->is_string())
        throw RpcError(RpcErrorCode::InvalidParams, std::string(field) + " must be a string",
                       field);
    return it->get_ref<const std::string&>();
}

const json* optionalObject(const json& params, const char* field) {
    if (!params.is_object()) return nullptr;
    auto it = params.find(field);
    if (it == params.end() || it->is_null()) return nullptr;
    if (!it->is_object())
        throw RpcError(RpcErrorCode::InvalidParams, std::string(field) + " must be an object",
                       field);
    return &*it;
}

}  // namespace sb::protocol
