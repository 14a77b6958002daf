#pragma once
// Registers device signaling on the HTTP server: the /v3/ WebSocket upgrade and the plain GET
// /v3/ that tells a refused SDK why (docs/protocol.md).

#include <memory>

#include "server/media/MediaOrchestrator.hpp"
#include "server/net/Router.hpp"
#include "server/net/WebSocket.hpp"
#include "server/signaling/DeviceGate.hpp"
#include "server/signaling/ResumableDevices.hpp"
#include "server/signaling/SignalingRoutes.hpp"
#include "server/signaling/SignalingSession.hpp"

namespace sb::signaling {

net::UpgradeHandler makeUpgradeHandler(
    const DeviceGate& gate, const std::shared_ptr<media::MediaOrchestrator>& media,
    SessionLimits limits = {}, const std::shared_ptr<const auth::TurnCredentials>& turn = {},
    const std::shared_ptr<session::DeviceEventSink>& events = {},
    const std::shared_ptr<ResumableDevices>& resumable = {});

}  // namespace sb::signaling
