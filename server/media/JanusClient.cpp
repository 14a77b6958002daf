#include "server/media/JanusClient.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <deque>
#include <map>
#include <regex>

#include "server/app/Log.hpp"

namespace sb::media {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {
constexpr auto kKeepalive = std::chrono::seconds(20);  // Janus session_timeout is 60 s
constexpr auto kRequestTimeout = std::chrono::seconds(10);
}  // namespace

class JanusClient::Impl : public std::enable_shared_from_this<Impl> {
public:
    Impl(asio::strand<asio::any_io_executor> strand, std::string url, Listener listener)
        : strand_(strand), url_(std::move(url)), listener_(std::move(listener)), resolver_(strand),
          keepalive_(strand), sweep_(strand), retry_(strand) {
        std::smatch m;
        static const std::regex re(R"(^wss?://([^/:]+|\[[^\]]+\]):(\d+)(/.*)?$)");
        if (!std::regex_match(url_, m, re)) throw std::runtime_error("janus url must be ws://HOST:PORT[/path]: " + url_);
        host_ = m[1];
        port_ = m[2];
        path_ = m[3].matched ? std::string(m[3]) : "/";
    }

    void start() {
        stopped_ = false;
        connect();
        scheduleSweep();
    }

    void stop() {
        stopped_ = true;
        keepalive_.cancel();
        sweep_.cancel();
        retry_.cancel();
        if (ws_ && ws_->is_open()) {
            beast::error_code ec;
            beast::get_lowest_layer(*ws_).socket().close(ec);
        }
        failAll("janus client stopped");
    }

    bool ready() const { return sessionId_ != 0; }

    void send(json msg, JanusCallback cb) {
        if (!ready() && msg.value("janus", "") != "create") {
            JanusReply r;
            r.error = "media server unavailable";
            asio::post(strand_, [cb = std::move(cb), r] { if (cb) cb(r); });
            return;
        }
        std::string tx = std::to_string(++nextTx_);
        msg["transaction"] = tx;
        if (sessionId_ && !msg.contains("session_id")) msg["session_id"] = sessionId_;
        if (cb) pending_[tx] = Pending{std::move(cb), Clock::now() + kRequestTimeout};
        write(msg.dump());
    }

    asio::strand<asio::any_io_executor> strand_;

private:
    struct Pending {
        JanusCallback cb;
        Clock::time_point deadline;
    };

    void connect() {
        if (stopped_) return;
        sessionId_ = 0;
        ws_ = std::make_unique<websocket::stream<beast::tcp_stream>>(strand_);
        auto self = shared_from_this();
        resolver_.async_resolve(host_, port_, [self](beast::error_code ec, tcp::resolver::results_type results) {
            if (ec) return self->lost("resolve: " + ec.message());
            beast::get_lowest_layer(*self->ws_).expires_after(std::chrono::seconds(5));
            beast::get_lowest_layer(*self->ws_).async_connect(results, [self](beast::error_code ec2, tcp::endpoint) {
                if (ec2) return self->lost("connect: " + ec2.message());
                beast::get_lowest_layer(*self->ws_).expires_never();
                self->ws_->set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
                self->ws_->set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
                    req.set(beast::http::field::sec_websocket_protocol, "janus-protocol");
                }));
                self->ws_->read_message_max(16 * 1024 * 1024);
                self->ws_->async_handshake(self->host_ + ":" + self->port_, self->path_, [self](beast::error_code ec3) {
                    if (ec3) return self->lost("handshake: " + ec3.message());
                    self->read();
                    self->createSession();
                });
            });
        });
    }

    void createSession() {
        auto self = shared_from_this();
        send(json{{"janus", "create"}}, [self](const JanusReply& r) {
            if (!r.ok) return self->lost("create session: " + r.error);
            self->sessionId_ = r.data.value("id", std::uint64_t{0});
            self->backoff_ = std::chrono::milliseconds(250);
            app::log(app::LogLevel::Info, "janus: connected to " + self->url_ + ", session " + std::to_string(self->sessionId_));
            self->scheduleKeepalive();
            if (self->listener_.onReady) self->listener_.onReady();
        });
    }

    void scheduleKeepalive() {
        keepalive_.expires_after(kKeepalive);
        keepalive_.async_wait([self = shared_from_this()](beast::error_code ec) {
            if (ec || !self->ready()) return;
            self->send(json{{"janus", "keepalive"}}, nullptr);
            self->scheduleKeepalive();
        });
    }

    void scheduleSweep() {
        sweep_.expires_after(std::chrono::seconds(1));
        sweep_.async_wait([self = shared_from_this()](beast::error_code ec) {
            if (ec || self->stopped_) return;
            auto now = Clock::now();
            for (auto it = self->pending_.begin(); it != self->pending_.end();) {
                if (it->second.deadline <= now) {
                    auto cb = std::move(it->second.cb);
                    it = self->pending_.erase(it);
                    JanusReply r;
                    r.error = "media server did not answer in time";
                    cb(r);
                } else {
                    ++it;
                }
            }
            self->scheduleSweep();
        });
    }

    void read() {
        ws_->async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->lost("read: " + ec.message());
            std::string text = beast::buffers_to_string(self->buffer_.data());
            self->buffer_.consume(self->buffer_.size());
            self->dispatch(text);
            self->read();
        });
    }

    void write(std::string text) {
        if (!ws_ || !ws_->is_open()) return;
        queue_.push_back(std::move(text));
        if (queue_.size() == 1) writeNext();
    }

    void writeNext() {
        ws_->text(true);
        ws_->async_write(asio::buffer(queue_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->lost("write: " + ec.message());
            self->queue_.pop_front();
            if (!self->queue_.empty()) self->writeNext();
        });
    }

    void dispatch(const std::string& text) {
        json msg = json::parse(text, nullptr, false);
        if (msg.is_discarded() || !msg.is_object()) return;
        std::string kind = msg.value("janus", "");
        if (kind == "ack") return;  // an async plugin reply follows with the same transaction
        auto tx = msg.value("transaction", "");
        auto it = tx.empty() ? pending_.end() : pending_.find(tx);
        if (it != pending_.end()) {
            auto cb = std::move(it->second.cb);
            pending_.erase(it);
            cb(toReply(msg));
            return;
        }
        if (msg.contains("sender") && listener_.onHandleEvent)
            listener_.onHandleEvent(msg["sender"].get<HandleId>(), msg);
    }

    static JanusReply toReply(const json& msg) {
        JanusReply r;
        std::string kind = msg.value("janus", "");
        if (kind == "error") {
            r.error = msg.contains("error") ? msg["error"].value("reason", "error") : "error";
            return r;
        }
        if (msg.contains("plugindata")) {
            r.data = msg["plugindata"].value("data", json::object());
            if (r.data.contains("error_code") || r.data.contains("error")) {
                r.error = r.data.value("error", "plugin error") + " (" + std::to_string(r.data.value("error_code", 0)) + ")";
                return r;
            }
        } else {
            r.data = msg.value("data", json::object());
        }
        r.jsep = msg.value("jsep", json());
        r.ok = true;
        return r;
    }

    void failAll(const std::string& why) {
        auto pending = std::move(pending_);
        pending_.clear();
        for (auto& [tx, p] : pending) {
            JanusReply r;
            r.error = why;
            p.cb(r);
        }
    }

    void lost(const std::string& why) {
        bool wasReady = ready();
        sessionId_ = 0;
        keepalive_.cancel();
        queue_.clear();
        if (ws_) {
            beast::error_code ec;
            beast::get_lowest_layer(*ws_).socket().close(ec);
        }
        if (stopped_) return;
        if (wasReady || !warned_) app::log(app::LogLevel::Warn, "janus: " + why + "; reconnecting");
        warned_ = true;
        failAll("media server connection lost");
        if (wasReady && listener_.onLost) listener_.onLost();
        retry_.expires_after(backoff_);
        backoff_ = std::min(backoff_ * 2, std::chrono::milliseconds(4000));
        retry_.async_wait([self = shared_from_this()](beast::error_code ec) {
            if (!ec) self->connect();
        });
    }

    std::string url_, host_, port_, path_;
    Listener listener_;
    tcp::resolver resolver_;
    std::unique_ptr<websocket::stream<beast::tcp_stream>> ws_;
    beast::flat_buffer buffer_;
    std::deque<std::string> queue_;
    std::map<std::string, Pending> pending_;
    std::uint64_t nextTx_ = 0;
    std::uint64_t sessionId_ = 0;
    asio::steady_timer keepalive_, sweep_, retry_;
    std::chrono::milliseconds backoff_{250};
    bool stopped_ = false;
    bool warned_ = false;
};

JanusClient::JanusClient(asio::strand<asio::any_io_executor> strand, std::string url, Listener listener)
    : impl_(std::make_shared<Impl>(strand, std::move(url), std::move(listener))) {}

JanusClient::~JanusClient() = default;

void JanusClient::start() { asio::post(impl_->strand_, [i = impl_] { i->start(); }); }
void JanusClient::stop() { asio::post(impl_->strand_, [i = impl_] { i->stop(); }); }
bool JanusClient::ready() const { return impl_->ready(); }

void JanusClient::attach(const std::string& plugin, std::function<void(bool, HandleId, const std::string&)> cb) {
    impl_->send(json{{"janus", "attach"}, {"plugin", plugin}}, [cb = std::move(cb)](const JanusReply& r) {
        cb(r.ok, r.ok ? r.data.value("id", HandleId{0}) : 0, r.error);
    });
}

void JanusClient::message(HandleId handle, json body, json jsep, JanusCallback cb) {
    json msg{{"janus", "message"}, {"handle_id", handle}, {"body", std::move(body)}};
    if (!jsep.is_null()) msg["jsep"] = std::move(jsep);
    impl_->send(std::move(msg), std::move(cb));
}

void JanusClient::detach(HandleId handle) { impl_->send(json{{"janus", "detach"}, {"handle_id", handle}}, [](const JanusReply&) {}); }
void JanusClient::hangup(HandleId handle) { impl_->send(json{{"janus", "hangup"}, {"handle_id", handle}}, [](const JanusReply&) {}); }

}  // namespace sb::media
