#pragma once
// JSON-RPC 2.0 framing (https://www.jsonrpc.org/specification) with nlohmann/json: parsing a
// frame into a request/notification/response, and building replies. Used by the server and by
// native tests; the wasm SDK has its own codec over the browser's JSON (size).

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>

#include "protocol/Methods.hpp"

namespace sb::protocol {

// Thrown while decoding or handling a frame; becomes a JSON-RPC error object in one place.
class RpcError : public std::runtime_error {
  public:
    RpcError(RpcErrorCode code, const std::string& message, std::string field = {})
        : std::runtime_error(message), code_(code), field_(std::move(field)) {}
    RpcErrorCode code() const { return code_; }
    const std::string& field() const { return field_; }

  private:
    RpcErrorCode code_;
    std::string field_;
};

struct RpcMessage {
    enum class Kind { Request, Notification, Response };
    Kind kind = Kind::Notification;
    nlohmann::json id;  // integer or string for requests and responses (spec §4: echoed unchanged)
    std::string method;
    nlohmann::json params = nlohmann::json::object();
    nlohmann::json result;
    nlohmann::json error;
};

// Throws RpcError(ParseError | InvalidRequest). When the frame is a request whose id could be
// read, `idOut` receives it so the error reply can carry it.
RpcMessage parseRpc(std::string_view frame, nlohmann::json& idOut);

std::string rpcResult(const nlohmann::json& id, const nlohmann::json& result);
std::string rpcError(const nlohmann::json& id, const RpcError& error);
std::string rpcNotification(const std::string& method, const nlohmann::json& params);
std::string rpcRequest(const nlohmann::json& id, const std::string& method,
                       const nlohmann::json& params);

// Param accessors that throw InvalidParams naming the field.
const std::string& requireString(const nlohmann::json& params, const char* field);
const nlohmann::json* optionalObject(const nlohmann::json& params, const char* field);

}  // namespace sb::protocol
