#pragma once
// One device frame, decoded and handed to a handler, every failure turned into a JSON-RPC error
// object in one place (JSON-RPC 2.0 §5): for SignalingSession::onMessage.

#include <functional>
#include <string>

#include "protocol/JsonRpc.hpp"

namespace sb::signaling {

// Parses `text`; a request or notification goes to `handle` (responses are ignored: we send no
// requests). An RpcError or other exception thrown by parsing or by `handle` is answered through
// `reply` as §5 says; other exceptions are logged as the device's (`deviceId`) and answered as
// Internal error.
void dispatchRpc(const std::string& text, const std::string& deviceId,
                 const std::function<void(const protocol::RpcMessage&)>& handle,
                 const std::function<void(std::string)>& reply);

}  // namespace sb::signaling
