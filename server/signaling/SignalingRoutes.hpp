#pragma once
// GET /v3/ without an upgrade: says whether a device token would be admitted, and if not why
// (browsers cannot read the status of a refused WebSocket handshake; docs/protocol.md).

#include "server/net/Router.hpp"
#include "server/signaling/DeviceGate.hpp"

namespace sb::signaling {

void addSignalingRoutes(net::Router& router, const DeviceGate& gate);

}  // namespace sb::signaling
