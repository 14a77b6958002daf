#pragma once
// One HTTP/1.1 connection: read a request (bounded header and body), route it, write the reply,
// repeat while keep-alive. Follows Beast's advanced_server session idioms.

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>

#include "server/net/HttpServer.hpp"

namespace sb::net {

struct SessionShared {
    const api::Router& router;
    ops::Metrics& metrics;
    HttpServerOptions options;
    std::atomic<int> inFlight{0};  // requests read but not yet answered, for a clean shutdown
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(boost::asio::ip::tcp::socket socket, SessionShared& shared);
    void start();

private:
    using Request = boost::beast::http::request<boost::beast::http::string_body>;
    using Response = boost::beast::http::response<boost::beast::http::string_body>;

    void read();
    void onRead(boost::beast::error_code ec, std::size_t bytes);
    void reply(api::HttpResponse response, const std::string& route, unsigned version, bool keepAlive,
               std::chrono::steady_clock::time_point started, const std::string& requestId);
    void onWrite(bool keepAlive, boost::beast::error_code ec, std::size_t bytes);
    void close();

    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    SessionShared& shared_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    std::shared_ptr<Response> response_;
};

}  // namespace sb::net
