#pragma once
// GET /v3/ without an upgrade: says whether a device token would be admitted, and if not why
// (browsers cannot read the status of a refused WebSocket handshake; docs/protocol.md).

#include <memory>

#include "server/net/Router.hpp"
#include "server/signaling/DeviceGate.hpp"
#include "server/signaling/ResumableDevices.hpp"

namespace sb::signaling {

// With `resumable`, a query asking to resume (resumeDevice, resumeSecret) is checked too.
void addSignalingRoutes(net::Router& router, const DeviceGate& gate,
                        const std::shared_ptr<const ResumableDevices>& resumable = {});

}  // namespace sb::signaling
