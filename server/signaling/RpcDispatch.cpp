#include "server/signaling/RpcDispatch.hpp"

#include "server/base/Log.hpp"

namespace sb::signaling {

using protocol::RpcError;
using protocol::RpcErrorCode;
using protocol::RpcMessage;

void dispatchRpc(const std::string& text, const std::string& deviceId,
                 const std::function<void(const RpcMessage&)>& handle,
                 const std::function<void(std::string)>& reply) {
    nlohmann::json id;
    // A request is a frame with an "id" member, null included (§4.1); only its absence makes a
    // notification, so the id's value cannot tell them apart.
    bool request = false;
    try {
        RpcMessage m = protocol::parseRpc(text, id);
        if (m.kind == RpcMessage::Kind::Response)
            return;  // we send no requests; ignore stray replies
        request = m.kind == RpcMessage::Kind::Request;
        handle(m);
    } catch (const RpcError& e) {
        // JSON-RPC 2.0 §5: errors for notifications are not answered, except parse/invalid
        // request errors, answered with id null.
        bool framing =
            e.code() == RpcErrorCode::ParseError || e.code() == RpcErrorCode::InvalidRequest;
        if (request || framing) reply(protocol::rpcError(id, e));
    } catch (const std::exception& e) {
        base::log(base::LogLevel::Error, "device " + deviceId + ": " + e.what());
        if (request)
            reply(protocol::rpcError(id, RpcError(RpcErrorCode::Internal, "Internal error")));
    }
}

}  // namespace sb::signaling
