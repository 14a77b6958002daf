#pragma once
// Transport-neutral WebSocket interfaces, so signaling code never includes Beast.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "server/net/HttpTypes.hpp"

namespace sb::net {

// One accepted WebSocket connection. Thread-safe: may be called from any thread.
class WsConnection {
  public:
    virtual ~WsConnection() = default;
    virtual void send(std::string text) = 0;
    // Sends a close frame (RFC 6455 §7.4 status code) after queued messages.
    virtual void close(std::uint16_t code, std::string reason) = 0;
    // Once closed: true when neither side sent a close frame (RFC 6455 §7.1.5: the connection was
    // lost, e.g. a network change or the idle timeout), as opposed to a closing handshake started
    // by the peer (a closed tab sends 1001) or by us (limits, a server action). Read it from
    // WsHandler::onClose.
    virtual bool dropped() const { return false; }
    // Once closed: the status code of the peer's close frame (RFC 6455 §7.1.5), 0 without one.
    virtual std::uint16_t peerCloseCode() const { return 0; }
};

// Receives a connection's events, in order, never concurrently.
class WsHandler {
  public:
    virtual ~WsHandler() = default;
    virtual void onOpen(std::shared_ptr<WsConnection> connection) = 0;
    virtual void onMessage(std::string text) = 0;
    virtual void onClose() = 0;  // exactly once, also when the peer vanished
};

// Decides an upgrade request: refuse with an HTTP response, or accept with a handler.
struct UpgradeDecision {
    std::optional<net::HttpResponse> refusal;
    std::shared_ptr<WsHandler> handler;
};
using UpgradeHandler = std::function<UpgradeDecision(const net::HttpRequest&)>;

struct WebSocketLimits {
    std::size_t maxFrameBytes = std::size_t{256} * 1024;
    int maxFramesPerSecond = 100;
    std::size_t maxQueuedBytes = std::size_t{8} * 1024 * 1024;
};

}  // namespace sb::net
