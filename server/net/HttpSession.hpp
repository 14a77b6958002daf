#pragma once
// One HTTP/1.1 connection: read a request (bounded header and body, each under its own deadline),
// validate it, route it, write the reply, repeat while keep-alive. Follows Beast's
// advanced_server session idioms. No exception leaves a completion handler: each ends in one
// catch that answers 500 or closes the connection. A template on the transport (Streams.hpp):
// over TLS the handshake comes first, under the first request's header deadline.

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "server/net/ConcurrencyLimit.hpp"
#include "server/net/HttpError.hpp"
#include "server/net/HttpServer.hpp"
#include "server/net/Streams.hpp"

namespace sb::net {

struct SessionShared {
    const net::Router& router;
    base::Metrics& metrics;
    HttpServerOptions options;
    std::atomic<int> inFlight{0};  // requests read but not yet answered, for a clean shutdown
};

// Who is on the other end, and the connection-cap slot this connection holds until it closes.
struct Peer {
    std::string address;
    bool thisHost = false;
    std::shared_ptr<ConcurrencyLimit::Slot> slot;
    // The TLS context the connection was accepted with: a SIGHUP reload makes a new one for new
    // connections while this one lives on with the connections that use it.
    std::shared_ptr<const void> tls;
};

template <class Stream>
class HttpSession : public std::enable_shared_from_this<HttpSession<Stream>> {
  public:
    HttpSession(Stream stream, SessionShared& shared, Peer peer);
    void start();

  private:
    using Request = boost::beast::http::request<boost::beast::http::string_body>;
    using Response = boost::beast::http::response<boost::beast::http::string_body>;

    void handshake(std::chrono::steady_clock::time_point deadline);
    void awaitRequest();
    void readHeader(std::chrono::steady_clock::time_point deadline);
    void onHeader(boost::beast::error_code ec, std::size_t bytes);
    void afterHeader(boost::beast::error_code ec);
    void onRead(boost::beast::error_code ec, std::size_t bytes);
    bool readFailed(boost::beast::error_code ec);
    void handle();
    void refuse(const net::HttpError& error);
    void redirect();
    void reply(net::HttpResponse response, const std::string& route, unsigned version,
               bool keepAlive, const std::string& requestId);
    void onWrite(bool keepAlive, boost::beast::error_code ec, std::size_t bytes);
    void close();
    void closeSocket();

    Stream stream_;
    boost::beast::flat_buffer buffer_;
    SessionShared& shared_;
    Peer peer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    std::shared_ptr<Response> response_;
    std::chrono::steady_clock::time_point started_;
    bool handshaken_ = false;    // TLS only
    bool shuttingDown_ = false;  // TLS only: close_notify sent
};

}  // namespace sb::net
