// JanusClient against a scripted Janus on 127.0.0.1: the order in which requests reach Janus.
// Janus 1.1.2 runs a detach, and VideoRoom a room's "destroy", as soon as they arrive, while a
// subscriber's "update" may still be in its handler thread; a detach that overtakes the update
// is a use after free in Janus (issue 10 item 5, docs/janus-crash.md). So a detach waits for the
// answers to its handle's earlier messages, and a destroy for the answers to all earlier ones.
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "server/media/JanusClient.hpp"

using namespace sb::media;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// A Janus stand-in serving one WebSocket connection on its own thread. It answers at once,
// except the plugin message {"request":"update"}: acked, its answer held until releaseUpdate().
// log() lists what arrived ("detach 11", "message update 11", "message destroy 10") and when a
// held answer went out ("answered update 11"), in order.
class ScriptedJanus {
  public:
    ScriptedJanus() : acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
        accept();
        thread_ = std::thread([this] { io_.run(); });
    }
    ~ScriptedJanus() {
        io_.stop();
        thread_.join();
    }

    std::string url() const {
        return "ws://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
    }

    std::vector<std::string> log() {
        std::lock_guard<std::mutex> lock(mutex_);
        return log_;
    }
    bool received(const std::string& entry) { return indexOf(entry).has_value(); }
    std::optional<std::size_t> indexOf(const std::string& entry) {
        auto entries = log();
        for (std::size_t i = 0; i < entries.size(); ++i)
            if (entries[i] == entry) return i;
        return std::nullopt;
    }

    void releaseUpdate(HandleId handle) {
        asio::post(io_, [this, handle] {
            auto it = held_.find(handle);
            if (it == held_.end()) return;
            std::string tx = it->second;
            held_.erase(it);
            note("answered update " + std::to_string(handle));
            send({{"janus", "event"},
                  {"session_id", 1},
                  {"sender", handle},
                  {"transaction", tx},
                  {"plugindata",
                   {{"plugin", "janus.plugin.videoroom"}, {"data", {{"videoroom", "updated"}}}}}});
        });
    }

  private:
    void note(std::string entry) {
        std::lock_guard<std::mutex> lock(mutex_);
        log_.push_back(std::move(entry));
    }

    void accept() {
        acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
            if (ec) return;
            ws_ = std::make_unique<websocket::stream<tcp::socket>>(std::move(socket));
            ws_->set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
                res.set(beast::http::field::sec_websocket_protocol, "janus-protocol");
            }));
            ws_->async_accept([this](beast::error_code ec2) {
                if (!ec2) read();
            });
        });
    }

    void read() {
        ws_->async_read(buffer_, [this](beast::error_code ec, std::size_t) {
            if (ec) return;
            auto msg = json::parse(beast::buffers_to_string(buffer_.data()), nullptr, false);
            buffer_.consume(buffer_.size());
            if (msg.is_object()) answer(msg);
            read();
        });
    }

    void answer(const json& msg) {
        std::string kind = msg.value("janus", "");
        std::string tx = msg.value("transaction", "");
        HandleId handle = msg.value("handle_id", HandleId{0});
        json success{{"janus", "success"}, {"transaction", tx}, {"session_id", 1}};
        if (kind == "create") {
            success["data"] = {{"id", 1}};
            return send(success);
        }
        if (kind == "attach") {
            success["data"] = {{"id", nextHandle_++}};
            return send(success);
        }
        if (kind == "keepalive") return send({{"janus", "ack"}, {"transaction", tx}});
        if (kind == "detach") {
            note("detach " + std::to_string(handle));
            return send(success);
        }
        if (kind == "message") {
            std::string request = msg.contains("body") ? msg["body"].value("request", "") : "";
            note("message " + request + " " + std::to_string(handle));
            if (request == "update") {
                held_[handle] = tx;
                return send({{"janus", "ack"}, {"transaction", tx}, {"session_id", 1}});
            }
            success["sender"] = handle;
            success["plugindata"] = {{"plugin", "janus.plugin.videoroom"},
                                     {"data", {{"videoroom", request}}}};
            return send(success);
        }
    }

    void send(const json& msg) {
        out_.push_back(msg.dump());
        if (out_.size() == 1) writeNext();
    }
    void writeNext() {
        ws_->text(true);
        ws_->async_write(asio::buffer(out_.front()), [this](beast::error_code ec, std::size_t) {
            if (ec) return;
            out_.pop_front();
            if (!out_.empty()) writeNext();
        });
    }

    asio::io_context io_;
    tcp::acceptor acceptor_;
    std::unique_ptr<websocket::stream<tcp::socket>> ws_;
    beast::flat_buffer buffer_;
    std::deque<std::string> out_;
    std::map<HandleId, std::string> held_;  // handle → transaction of its unanswered update
    HandleId nextHandle_ = 10;
    std::mutex mutex_;
    std::vector<std::string> log_;
    std::thread thread_;
};

template <class F>
bool eventually(F done, std::chrono::milliseconds timeout = 5000ms) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(5ms);
    }
    return done();
}

// A JanusClient on its own io_context thread; every call runs on the client's strand.
class Client {
  public:
    explicit Client(const std::string& url)
        : strand_(asio::make_strand(io_.get_executor())), guard_(asio::make_work_guard(io_)) {
        JanusClient::Listener listener;
        listener.onReady = [this] { ready_ = true; };
        client_ = std::make_unique<JanusClient>(strand_, url, std::move(listener));
        client_->start();
        thread_ = std::thread([this] { io_.run(); });
    }
    ~Client() {
        client_->stop();
        std::this_thread::sleep_for(50ms);
        guard_.reset();
        io_.stop();
        thread_.join();
        client_.reset();
    }

    bool ready() const { return ready_; }

    template <class F>
    void run(F f) {
        asio::post(strand_, [this, f] { f(*client_); });
    }

    HandleId attach() {
        std::atomic<HandleId> id{0};
        run([&id](JanusClient& c) {
            c.attach("janus.plugin.videoroom",
                     [&id](bool ok, HandleId h, const std::string&) { id = ok ? h : 1; });
        });
        eventually([&] { return id != 0; });
        return id;
    }

  private:
    asio::io_context io_;
    asio::strand<asio::any_io_executor> strand_;
    asio::executor_work_guard<asio::io_context::executor_type> guard_;
    std::unique_ptr<JanusClient> client_;
    std::atomic<bool> ready_{false};
    std::thread thread_;
};

json update() {
    return {{"request", "update"}, {"unsubscribe", json::array({{{"feed", 7}, {"mid", "1"}}})}};
}
json destroy() {
    return {{"request", "destroy"}, {"room", 1234}, {"secret", "s"}};
}

// What every test starts from: the scripted Janus, a client connected to it, and the client's
// first handle (the control handle rooms are destroyed on).
struct Connected {
    ScriptedJanus server;
    Client client{server.url()};
    HandleId control = 0;

    Connected() {
        REQUIRE(eventually([&] { return client.ready(); }));
        control = client.attach();
    }
};

}  // namespace

TEST_CASE_METHOD(
    Connected, "JanusClient: a detach and a room destroy wait for the answer to an earlier update",
    "[media][janus]") {
    HandleId subscriber = client.attach();
    REQUIRE(control >= 10);
    REQUIRE(subscriber >= 10);
    const auto sub = std::to_string(subscriber);
    const auto ctl = std::to_string(control);

    // The sequence of the Janus crash: a subscriber's update, then at once its detach and the
    // room's destroy (the subscriber's device left and nobody else was in the room).
    std::atomic<int> answered{0};
    client.run([&](JanusClient& c) {
        c.message(subscriber, update(), nullptr,
                  [&](const JanusReply& r) { answered = r.ok ? 1 : -1; });
        c.detach(subscriber);
        c.message(control, destroy(), nullptr, [](const JanusReply&) {});
    });
    REQUIRE(eventually([&] { return server.received("message update " + sub); }));
    std::this_thread::sleep_for(300ms);
    CHECK_FALSE(server.received("detach " + sub));
    CHECK_FALSE(server.received("message destroy " + ctl));

    server.releaseUpdate(subscriber);
    REQUIRE(eventually([&] {
        return server.received("detach " + sub) && server.received("message destroy " + ctl);
    }));
    CHECK(answered == 1);
    auto released = server.indexOf("answered update " + sub);
    REQUIRE(released);
    CHECK(*server.indexOf("detach " + sub) > *released);
    CHECK(*server.indexOf("message destroy " + ctl) > *released);
}

TEST_CASE_METHOD(
    Connected,
    "JanusClient: a detach waits only for its own handle; a destroy only for messages sent before "
    "it",
    "[media][janus]") {
    HandleId a = client.attach();
    HandleId b = client.attach();
    HandleId idle = client.attach();
    REQUIRE(idle >= 10);

    client.run([&](JanusClient& c) {
        c.message(a, update(), nullptr, [](const JanusReply&) {});
        c.detach(idle);  // nothing unanswered on it: goes at once
        c.message(control, destroy(), nullptr, [](const JanusReply&) {});
        c.message(b, update(), nullptr,
                  [](const JanusReply&) {});  // after the destroy: not waited for
        c.detach(b);
    });
    REQUIRE(eventually([&] { return server.received("detach " + std::to_string(idle)); }));
    REQUIRE(eventually([&] { return server.received("message update " + std::to_string(b)); }));
    std::this_thread::sleep_for(200ms);
    CHECK_FALSE(server.received("message destroy " + std::to_string(control)));
    CHECK_FALSE(server.received("detach " + std::to_string(b)));

    server.releaseUpdate(a);
    CHECK(
        eventually([&] { return server.received("message destroy " + std::to_string(control)); }));
    std::this_thread::sleep_for(100ms);
    CHECK_FALSE(server.received("detach " + std::to_string(b)));  // b's update is still unanswered

    server.releaseUpdate(b);
    CHECK(eventually([&] { return server.received("detach " + std::to_string(b)); }));
}

TEST_CASE_METHOD(Connected,
                 "JanusClient: a destroy still waiting when the client stops fails instead of "
                 "hanging",
                 "[media][janus]") {
    HandleId subscriber = client.attach();
    REQUIRE(subscriber >= 10);

    std::atomic<int> destroyed{0};
    client.run([&](JanusClient& c) {
        c.message(subscriber, update(), nullptr, [](const JanusReply&) {});
        c.message(control, destroy(), nullptr,
                  [&](const JanusReply& r) { destroyed = r.ok ? 1 : -1; });
    });
    REQUIRE(eventually(
        [&] { return server.received("message update " + std::to_string(subscriber)); }));
    client.run([](JanusClient& c) { c.stop(); });
    CHECK(eventually([&] { return destroyed == -1; }));
    CHECK_FALSE(server.received("message destroy " + std::to_string(control)));
}
