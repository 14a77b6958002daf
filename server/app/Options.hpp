#pragma once
// The options of each part of the server, read from the Config (Server.cpp builds the parts).

#include <memory>

#include "server/app/Config.hpp"
#include "server/auth/TurnCredentials.hpp"
#include "server/bridge/SipBridge.hpp"
#include "server/media/MediaOrchestrator.hpp"
#include "server/net/HttpServer.hpp"
#include "server/session/CallControl.hpp"
#include "server/state/SessionStore.hpp"
#include "server/voice/CallRegistry.hpp"
#include "server/voice/HttpCallbackClient.hpp"
#include "server/voice/OutboundPolicy.hpp"

namespace sb::app {

state::EpochSeconds wallClock();
// The configured store: memory, SQLite, or SQLite behind the journal (the default).
std::unique_ptr<state::SessionStore> makeStore(const Config& c);
session::CallControlLimits callControlLimits(const Config& c);
// Without the upgrade handler and the durability wait, which belong to the parts.
net::HttpServerOptions httpOptions(const Config& c);
media::MediaConfig mediaConfig(const Config& c);
// The TURN credentials devices get (docs/protocol.md "ICE servers (TURN)"); null without `turn`.
std::shared_ptr<const auth::TurnCredentials> turnCredentials(const Config& c);
// Only when c.sipListen is set.
bridge::BridgeConfig bridgeConfig(const Config& c);
// Each account's toll-fraud policy; accounts not configured may not call.
std::unique_ptr<voice::CallRegistry> callRegistry(const Config& c);
// Where callbacks may go; refuses a config whose voice numbers call back where they may not.
std::shared_ptr<voice::OutboundPolicy> outboundPolicy(const Config& c);
voice::HttpCallbackOptions callbackOptions(const Config& c,
                                           std::shared_ptr<voice::OutboundPolicy> outbound);

}  // namespace sb::app
