// The server side of a device WebSocket (server/net/WebSocketSession), with a real client on
// 127.0.0.1: messages in order both ways, the limits of docs/protocol.md (1009 for a frame over
// the size limit, 1008 "rate limit"), and the close codes the handler or the session choose.
#include <catch2/catch.hpp>

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "protocol/Methods.hpp"
#include "server/net/WebSocketSession.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using asio::ip::tcp;

namespace {

// What the session told its handler, in order; `reply` decides what to do with each message.
class ScriptedHandler : public sb::net::WsHandler {
  public:
    std::function<void(sb::net::WsConnection&, const std::string&)> reply;

    void onOpen(std::shared_ptr<sb::net::WsConnection> connection) override {
        std::lock_guard lock(mutex_);
        connection_ = std::move(connection);
        events_.push_back("open");
    }
    void onMessage(std::string text) override {
        std::shared_ptr<sb::net::WsConnection> connection;
        {
            std::lock_guard lock(mutex_);
            events_.push_back("message " + text);
            connection = connection_;
        }
        if (reply) reply(*connection, text);
    }
    void onClose() override {
        std::lock_guard lock(mutex_);
        events_.push_back("close");
        connection_.reset();
    }
    std::vector<std::string> events() const {
        std::lock_guard lock(mutex_);
        return events_;
    }

  private:
    mutable std::mutex mutex_;
    std::shared_ptr<sb::net::WsConnection> connection_;
    std::vector<std::string> events_;
};

// A listener on 127.0.0.1 that upgrades one connection to a WebSocketSession, on its own thread.
class Server {
  public:
    explicit Server(sb::net::WebSocketLimits limits)
        : handler(std::make_shared<ScriptedHandler>()), limits_(limits) {
        acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
            if (ec) return;
            stream_.emplace(std::move(socket));
            http::async_read(*stream_, buffer_, request_, [this](beast::error_code e, std::size_t) {
                if (e) return;
                session_ = std::make_shared<sb::net::WebSocketSession>(std::move(*stream_), handler,
                                                                       limits_, nullptr);
                session_->accept(request_);
                session_.reset();  // the session keeps itself alive while connected
            });
        });
        thread_ = std::thread([this] { io_.run_for(std::chrono::seconds(20)); });
    }
    ~Server() { stop(); }
    // Waits for the session to end (the server's loop runs out of work).
    void stop() {
        if (thread_.joinable()) thread_.join();
    }
    std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

    std::shared_ptr<ScriptedHandler> handler;

  private:
    asio::io_context io_;
    tcp::acceptor acceptor_{io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
    sb::net::WebSocketLimits limits_;
    std::optional<beast::tcp_stream> stream_;
    beast::flat_buffer buffer_;
    http::request<http::string_body> request_;
    std::shared_ptr<sb::net::WebSocketSession> session_;
    std::thread thread_;
};

// A plain synchronous client.
struct Client {
    asio::io_context io;
    websocket::stream<tcp::socket> ws{io};
    explicit Client(std::uint16_t port) {
        ws.next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
        ws.handshake("127.0.0.1", "/v3/");
    }
    void send(const std::string& text) { ws.write(asio::buffer(text)); }
    // The next message, or "" once the server closed (then reason() says how).
    std::string receive() {
        beast::flat_buffer b;
        beast::error_code ec;
        ws.read(b, ec);
        if (ec) return "";
        return beast::buffers_to_string(b.data());
    }
    // Reads until the server's close frame; the messages that came before it.
    std::vector<std::string> untilClosed() {
        std::vector<std::string> got;
        for (;;) {
            beast::flat_buffer b;
            beast::error_code ec;
            ws.read(b, ec);
            if (ec) return got;
            got.push_back(beast::buffers_to_string(b.data()));
        }
    }
};

}  // namespace

TEST_CASE("The default limits are the documented protocol limits", "[server][net][WebSocket]") {
    sb::net::WebSocketLimits limits;
    CHECK(limits.maxFrameBytes == sb::protocol::kMaxFrameBytes);
    CHECK(limits.maxFrameBytes == 256 * 1024);
    CHECK(limits.maxFramesPerSecond == sb::protocol::kMaxFramesPerSecond);
    CHECK(limits.maxFramesPerSecond == 100);
}

TEST_CASE("Messages arrive in order both ways; a client close is one onClose",
          "[server][net][WebSocket]") {
    Server server({});
    server.handler->reply = [](sb::net::WsConnection& c, const std::string& text) {
        c.send("echo " + text);
    };
    {
        Client client(server.port());
        for (const char* m : {"one", "two", "three"}) client.send(m);
        CHECK(client.receive() == "echo one");
        CHECK(client.receive() == "echo two");
        CHECK(client.receive() == "echo three");
        CHECK(client.ws.got_text());
        client.ws.close(websocket::close_code::normal);
    }
    server.stop();
    CHECK(server.handler->events() ==
          std::vector<std::string>{"open", "message one", "message two", "message three", "close"});
}

TEST_CASE("A frame over the size limit closes with 1009", "[server][net][WebSocket]") {
    sb::net::WebSocketLimits limits;
    limits.maxFrameBytes = 1024;
    Server server(limits);
    Client client(server.port());
    client.send(std::string(1024, 'a'));  // at the limit: delivered
    client.send(std::string(1025, 'b'));
    CHECK(client.untilClosed().empty());
    CHECK(client.ws.reason().code == websocket::close_code::too_big);
    server.stop();
    auto events = server.handler->events();
    REQUIRE(events.size() == 3);
    CHECK(events[1] == "message " + std::string(1024, 'a'));
    CHECK(events[2] == "close");
}

TEST_CASE("More frames in a second than allowed close with 1008 \"rate limit\"",
          "[server][net][WebSocket]") {
    sb::net::WebSocketLimits limits;
    limits.maxFramesPerSecond = 5;
    Server server(limits);
    Client client(server.port());
    for (int i = 0; i < 6; ++i) client.send(std::to_string(i));
    client.untilClosed();
    CHECK(client.ws.reason().code == websocket::close_code::policy_error);
    CHECK(client.ws.reason().reason == "rate limit");
    server.stop();
    auto events = server.handler->events();
    CHECK(events.size() == 1 + 5 + 1);  // open, the five allowed, close
    CHECK(events.back() == "close");
}

TEST_CASE("Binary frames are refused with 1007", "[server][net][WebSocket]") {
    Server server({});
    Client client(server.port());
    client.ws.binary(true);
    client.send("\x01\x02");
    client.untilClosed();
    CHECK(client.ws.reason().code == websocket::close_code::bad_payload);
    server.stop();
    CHECK(server.handler->events() == std::vector<std::string>{"open", "close"});
}

TEST_CASE("A close from the handler comes after the messages queued before it",
          "[server][net][WebSocket]") {
    Server server({});
    server.handler->reply = [](sb::net::WsConnection& c, const std::string&) {
        c.send("first");
        c.send("second");
        c.close(4404, "participant deleted");
        c.send("after the close");  // dropped: the connection is ending
    };
    Client client(server.port());
    client.send("go");
    CHECK(client.untilClosed() == std::vector<std::string>{"first", "second"});
    CHECK(client.ws.reason().code == 4404);
    CHECK(client.ws.reason().reason == "participant deleted");
    server.stop();
    CHECK(server.handler->events().back() == "close");
}

TEST_CASE("A handler that throws gets the connection closed with 1011",
          "[server][net][WebSocket]") {
    Server server({});
    server.handler->reply = [](sb::net::WsConnection&, const std::string&) {
        throw std::runtime_error("handler bug");
    };
    Client client(server.port());
    client.send("boom");
    client.untilClosed();
    CHECK(client.ws.reason().code == websocket::close_code::internal_error);
    server.stop();
    CHECK(server.handler->events() == std::vector<std::string>{"open", "message boom", "close"});
}

TEST_CASE("A peer that does not read is closed with 1013 once the send queue is full",
          "[server][net][WebSocket]") {
    sb::net::WebSocketLimits limits;
    limits.maxQueuedBytes = 100;
    Server server(limits);
    server.handler->reply = [](sb::net::WsConnection& c, const std::string&) {
        c.send(std::string(101, 'x'));
    };
    Client client(server.port());
    client.send("fill");
    CHECK(client.untilClosed().empty());
    CHECK(client.ws.reason().code == websocket::close_code::try_again_later);
    server.stop();
    CHECK(server.handler->events().back() == "close");
}

TEST_CASE("A peer that vanishes still gets exactly one onClose", "[server][net][WebSocket]") {
    Server server({});
    {
        Client client(server.port());
        client.send("hello");
        client.ws.next_layer().close();  // no close frame: the TCP connection just ends
    }
    server.stop();
    auto events = server.handler->events();
    CHECK(events.front() == "open");
    CHECK(std::count(events.begin(), events.end(), "close") == 1);
    CHECK(events.back() == "close");
}
