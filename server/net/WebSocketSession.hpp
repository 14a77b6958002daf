#pragma once
// A server-side WebSocket (RFC 6455) on Beast, after HttpSession saw an accepted upgrade.
// Owns the read loop, a write queue with one write in flight, and the frame size/rate limits.
// No exception leaves a completion handler: the handler's failures close the connection with 1011.
// A template on the transport (Streams.hpp): WS and WSS, compiled for both in the .cpp file.

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <deque>
#include <memory>

#include "server/net/Streams.hpp"
#include "server/net/WebSocket.hpp"

namespace sb::net {

template <class Stream>
class BasicWebSocketSession : public WsConnection,
                              public std::enable_shared_from_this<BasicWebSocketSession<Stream>> {
  public:
    // `slot` is what the HTTP connection held (its connection-cap slot, its TLS context); kept
    // until this one ends.
    BasicWebSocketSession(Stream stream, std::shared_ptr<WsHandler> handler, WebSocketLimits limits,
                          std::shared_ptr<void> slot);
    void accept(const boost::beast::http::request<boost::beast::http::string_body>& request);

    void send(std::string text) override;
    void close(std::uint16_t code, std::string reason) override;
    bool dropped() const override { return !peerClosed_ && !closeSent_; }
    std::uint16_t peerCloseCode() const override { return peerCloseCode_; }

  private:
    void onAccept(boost::beast::error_code ec);
    void read();
    void onRead(boost::beast::error_code ec, std::size_t bytes);
    void write();
    void onWrite(boost::beast::error_code ec, std::size_t bytes);
    void doClose(std::uint16_t code, const std::string& reason);
    void finish();
    // Runs `step` of a completion; anything it throws closes the connection (1011), logged once.
    template <typename F>
    void guarded(const char* where, F&& step);

    boost::beast::websocket::stream<Stream> ws_;
    boost::beast::flat_buffer buffer_;
    std::shared_ptr<WsHandler> handler_;
    WebSocketLimits limits_;
    std::deque<std::string> queue_;
    std::size_t queuedBytes_ = 0;
    bool writing_ = false;
    bool closing_ = false;
    bool peerClosed_ = false;  // the peer's close frame arrived
    std::uint16_t peerCloseCode_ = 0;
    bool closeSent_ = false;  // we started the closing handshake
    bool finished_ = false;
    std::optional<std::pair<std::uint16_t, std::string>> pendingClose_;
    std::chrono::steady_clock::time_point windowStart_;
    int framesInWindow_ = 0;
    std::shared_ptr<void> slot_;
};

using WebSocketSession = BasicWebSocketSession<PlainStream>;

}  // namespace sb::net
