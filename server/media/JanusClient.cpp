#include "server/media/JanusClient.hpp"
#include "protocol/SafeJson.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <deque>
#include <list>
#include <map>
#include <regex>
#include <set>
#include <vector>

#include "server/base/Log.hpp"
#include "server/media/JanusMessages.hpp"

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
// Requests waiting for their answer, and messages waiting to be written: a Janus that stops
// reading or answering cannot make either grow without bound. Past it a request fails at once.
constexpr std::size_t kMaxPending = 4096;
}  // namespace

// "Requests that wait": see JanusClient.hpp (detach and room destroy).
class JanusClient::Impl : public std::enable_shared_from_this<Impl> {
  public:
    Impl(const asio::strand<asio::any_io_executor>& strand, std::string url, Listener listener,
         std::size_t maxMessageBytes)
        : strand_(strand),
          url_(std::move(url)),
          listener_(std::move(listener)),
          maxMessageBytes_(maxMessageBytes),
          resolver_(strand),
          keepalive_(strand),
          sweep_(strand),
          retry_(strand) {
        std::smatch m;
        static const std::regex re(R"(^wss?://([^/:]+|\[[^\]]+\]):(\d+)(/.*)?$)");
        if (!std::regex_match(url_, m, re))
            throw std::runtime_error("janus url must be ws://HOST:PORT[/path]: " + url_);
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
        failAll(janus::kClientStopped);
    }

    bool ready() const { return sessionId_ != 0; }

    // `messageHandle`: the handle of a plugin message ("janus":"message"), 0 for anything else.
    void send(json msg, JanusCallback cb, HandleId messageHandle = 0) {
        bool busy = pending_.size() >= kMaxPending || queue_.size() >= kMaxPending;
        if (busy ||
            (!ready() && janus::stringAt(msg, "janus") != std::optional<std::string>("create"))) {
            JanusReply r;
            r.error =
                busy ? "media server busy: too many requests waiting" : "media server unavailable";
            asio::post(strand_, [cb = std::move(cb), r] {
                if (cb) cb(r);
            });
            return;
        }
        std::string tx = std::to_string(++nextTx_);
        msg["transaction"] = tx;
        if (sessionId_ && !msg.contains("session_id")) msg["session_id"] = sessionId_;
        // A plugin message is awaited even without a callback: a detach or a destroy may wait for
        // it.
        if (cb || messageHandle != 0)
            pending_[tx] = Pending{std::move(cb), Clock::now() + kRequestTimeout, messageHandle};
        write(protocol::dumpJson(msg));
    }

    // Sends `msg` once every plugin message sent before it — to `handle`, or to any handle when
    // `handle` is 0 — has been answered (or has failed or timed out); at once when none is
    // unanswered. See "Requests that wait" at the top of this file.
    void sendAfterAnswers(json msg, JanusCallback cb, HandleId handle) {
        std::set<std::string> waits;
        for (const auto& [tx, p] : pending_)
            if (p.messageHandle != 0 && (handle == 0 || p.messageHandle == handle))
                waits.insert(tx);
        // Past the bound the request goes at once, as it did before the rule (a detach not sent
        // would leak its handle for the life of the Janus session).
        if (waits.empty() || deferred_.size() >= kMaxPending)
            return send(std::move(msg), std::move(cb));
        deferred_.push_back(Deferred{std::move(msg), std::move(cb), std::move(waits)});
    }

    asio::strand<asio::any_io_executor> strand_;

  private:
    struct Pending {
        JanusCallback cb;
        Clock::time_point deadline;
        HandleId messageHandle = 0;  // a plugin message's handle; 0 for other requests
    };
    struct Deferred {
        json msg;
        JanusCallback cb;
        std::set<std::string> waits;  // transactions still unanswered
    };

    // Transaction `tx` is no longer pending (answered, failed or timed out): requests waiting
    // for it go out, in the order they were asked for.
    void settled(const std::string& tx) {
        std::vector<Deferred> due;
        for (auto it = deferred_.begin(); it != deferred_.end();) {
            it->waits.erase(tx);
            if (it->waits.empty()) {
                due.push_back(std::move(*it));
                it = deferred_.erase(it);
            } else {
                ++it;
            }
        }
        for (auto& d : due) send(std::move(d.msg), std::move(d.cb));
    }

    void connect() {
        if (stopped_) return;
        sessionId_ = 0;
        ws_ = std::make_unique<websocket::stream<beast::tcp_stream>>(strand_);
        auto self = shared_from_this();
        resolver_.async_resolve(
            host_, port_, [self](beast::error_code ec, const tcp::resolver::results_type& results) {
                if (ec) return self->lost("resolve: " + ec.message());
                beast::get_lowest_layer(*self->ws_).expires_after(std::chrono::seconds(5));
                beast::get_lowest_layer(*self->ws_)
                    .async_connect(results, [self](beast::error_code ec2, const tcp::endpoint&) {
                        if (ec2) return self->lost("connect: " + ec2.message());
                        beast::get_lowest_layer(*self->ws_).expires_never();
                        self->ws_->set_option(
                            websocket::stream_base::timeout::suggested(beast::role_type::client));
                        self->ws_->set_option(
                            websocket::stream_base::decorator([](websocket::request_type& req) {
                                req.set(beast::http::field::sec_websocket_protocol,
                                        "janus-protocol");
                            }));
                        self->ws_->read_message_max(self->maxMessageBytes_);
                        self->ws_->async_handshake(
                            self->host_ + ":" + self->port_, self->path_,
                            [self](beast::error_code ec3) {
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
            auto id = janus::uintAt(r.data, "id");
            if (!id || *id == 0)
                return self->lost(std::string("create session: ") + janus::kMalformed);
            self->sessionId_ = *id;
            self->backoff_ = std::chrono::milliseconds(250);
            base::log(base::LogLevel::Info, "janus: connected to " + self->url_ + ", session " +
                                                std::to_string(self->sessionId_));
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
                    std::string tx = it->first;
                    it = self->pending_.erase(it);
                    self->settled(tx);
                    JanusReply r;
                    r.error = "media server did not answer in time";
                    if (cb) cb(r);
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
        ws_->async_write(asio::buffer(queue_.front()),
                         [self = shared_from_this()](beast::error_code ec, std::size_t) {
                             if (ec) return self->lost("write: " + ec.message());
                             self->queue_.pop_front();
                             if (!self->queue_.empty()) self->writeNext();
                         });
    }

    // The one boundary for what Janus sends: a message is validated before any field of it is
    // used, and whatever a handler still throws ends here (logged), not in the io_context.
    void dispatch(const std::string& text) {
        json msg = json::parse(text, nullptr, false);
        if (msg.is_discarded() || !msg.is_object()) {
            base::log(base::LogLevel::Warn, "janus: ignored a message that is not a JSON object");
            return;
        }
        auto kind = janus::stringAt(msg, "janus").value_or("");
        if (kind == "ack") return;  // an async plugin reply follows with the same transaction
        auto tx = janus::stringAt(msg, "transaction").value_or("");
        auto it = tx.empty() ? pending_.end() : pending_.find(tx);
        try {
            if (it != pending_.end()) {
                auto cb = std::move(it->second.cb);
                pending_.erase(it);
                settled(tx);
                auto reply = janus::parseReply(msg);
                if (!reply.ok && reply.error == janus::kMalformed)
                    base::log(base::LogLevel::Warn, std::string("janus: ") + janus::kMalformed +
                                                        " (transaction " + tx + ")");
                if (cb) cb(reply);
                return;
            }
            auto sender = janus::senderOf(msg);
            if (!sender || !listener_.onHandleEvent) return;
            if (msg.contains("jsep") && !janus::validJsep(msg["jsep"])) {
                base::log(base::LogLevel::Warn, "janus: ignored an event with a malformed jsep");
                return;
            }
            listener_.onHandleEvent(*sender, msg);
        } catch (const std::exception& e) {
            // Only a field read this file's validation missed can get here; the request it
            // answered has failed (its reply callback did not finish), the server goes on.
            base::log(base::LogLevel::Error,
                      std::string("janus: a message could not be handled: ") + e.what());
        }
    }

    void failAll(const std::string& why) {
        // Requests still waiting to be sent belong to the session being left: they fail too.
        auto deferred = std::move(deferred_);
        deferred_.clear();
        auto pending = std::move(pending_);
        pending_.clear();
        JanusReply r;
        r.error = why;
        for (auto& [tx, p] : pending)
            if (p.cb) p.cb(r);
        for (auto& d : deferred)
            if (d.cb) d.cb(r);
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
        if (wasReady || !warned_)
            base::log(base::LogLevel::Warn, "janus: " + why + "; reconnecting");
        warned_ = true;
        failAll(janus::kConnectionLost);
        if (wasReady && listener_.onLost) listener_.onLost();
        retry_.expires_after(backoff_);
        backoff_ = std::min(backoff_ * 2, std::chrono::milliseconds(4000));
        retry_.async_wait([self = shared_from_this()](beast::error_code ec) {
            if (!ec) self->connect();
        });
    }

    std::string url_, host_, port_, path_;
    Listener listener_;
    std::size_t maxMessageBytes_;
    tcp::resolver resolver_;
    std::unique_ptr<websocket::stream<beast::tcp_stream>> ws_;
    beast::flat_buffer buffer_;
    std::deque<std::string> queue_;
    std::map<std::string, Pending> pending_;
    std::list<Deferred> deferred_;  // detaches and room destroys waiting for earlier answers
    std::uint64_t nextTx_ = 0;
    std::uint64_t sessionId_ = 0;
    asio::steady_timer keepalive_, sweep_, retry_;
    std::chrono::milliseconds backoff_{250};
    bool stopped_ = false;
    bool warned_ = false;
};

JanusClient::JanusClient(const asio::strand<asio::any_io_executor>& strand, std::string url,
                         Listener listener, std::size_t maxMessageBytes)
    : impl_(std::make_shared<Impl>(strand, std::move(url), std::move(listener), maxMessageBytes)) {}

JanusClient::~JanusClient() = default;

void JanusClient::start() {
    asio::post(impl_->strand_, [i = impl_] { i->start(); });
}
void JanusClient::stop() {
    asio::post(impl_->strand_, [i = impl_] { i->stop(); });
}
bool JanusClient::ready() const {
    return impl_->ready();
}

void JanusClient::attach(const std::string& plugin,
                         std::function<void(bool, HandleId, const std::string&)> cb) {
    impl_->send(json{{"janus", "attach"}, {"plugin", plugin}},
                [cb = std::move(cb)](const JanusReply& r) {
                    auto id = r.ok ? janus::uintAt(r.data, "id") : std::nullopt;
                    if (r.ok && (!id || *id == 0)) return cb(false, 0, janus::kMalformed);
                    cb(r.ok, id.value_or(0), r.error);
                });
}

void JanusClient::message(HandleId handle, json body, json jsep, JanusCallback cb) {
    // A room's "destroy" (VideoRoom, and the same name in Janus's other room plugins) waits for
    // the answers to every plugin message sent before it.
    bool destroysRoom = janus::stringAt(body, "request") == std::optional<std::string>("destroy");
    json msg{{"janus", "message"}, {"handle_id", handle}, {"body", std::move(body)}};
    if (!jsep.is_null()) msg["jsep"] = std::move(jsep);
    if (destroysRoom) return impl_->sendAfterAnswers(std::move(msg), std::move(cb), 0);
    impl_->send(std::move(msg), std::move(cb), handle);
}

// A detach waits for the answers to the messages sent to its handle before it.
void JanusClient::detach(HandleId handle) {
    impl_->sendAfterAnswers(
        json{{"janus", "detach"}, {"handle_id", handle}}, [](const JanusReply&) {}, handle);
}

void JanusClient::hangup(HandleId handle) {
    impl_->send(json{{"janus", "hangup"}, {"handle_id", handle}}, [](const JanusReply&) {});
}

}  // namespace sb::media
