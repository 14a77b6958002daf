#include "server/net/WebSocketSession.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "server/base/Log.hpp"

namespace sb::net {

namespace beast = boost::beast;
namespace websocket = beast::websocket;

template <class Stream>
BasicWebSocketSession<Stream>::BasicWebSocketSession(Stream stream,
                                                     std::shared_ptr<WsHandler> handler,
                                                     WebSocketLimits limits,
                                                     std::shared_ptr<void> slot)
    : ws_(std::move(stream)),
      handler_(std::move(handler)),
      limits_(limits),
      slot_(std::move(slot)) {}

template <class Stream>
template <typename F>
void BasicWebSocketSession<Stream>::guarded(const char* where, F&& step) {
    try {
        step();
    } catch (const std::exception& e) {
        base::log(base::LogLevel::Error,
                  std::string("websocket: ") + where + " failed: " + e.what());
        if (!closing_) {
            buffer_.consume(buffer_.size());
            try {
                doClose(websocket::close_code::internal_error, "internal error");
            } catch (const std::exception&) {
                finish();
            }
        } else {
            finish();
        }
    }
}

template <class Stream>
void BasicWebSocketSession<Stream>::accept(
    const beast::http::request<beast::http::string_body>& request) {
    beast::get_lowest_layer(ws_).expires_never();
    // Idle timeout with protocol-level pings (RFC 6455 §5.5.2) instead of a TCP read deadline.
    // The idle timeout is 30 s rather than Beast's suggested 300 s: a device whose network went
    // away is noticed within it (a ping after 15 s of silence, then 15 s for any answer; browsers
    // answer pings by themselves), so a resumable device is kept from then (docs/protocol.md
    // "Resuming a device") instead of minutes later.
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
    timeouts.idle_timeout = std::chrono::seconds(30);
    ws_.set_option(timeouts);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(beast::http::field::server, "switchboard"); }));
    ws_.read_message_max(limits_.maxFrameBytes);
    ws_.async_accept(request, beast::bind_front_handler(&BasicWebSocketSession::onAccept,
                                                        this->shared_from_this()));
}

template <class Stream>
void BasicWebSocketSession<Stream>::onAccept(beast::error_code ec) {
    if (ec) return finish();
    windowStart_ = std::chrono::steady_clock::now();
    guarded("open", [&] {
        handler_->onOpen(this->shared_from_this());
        read();
    });
}

template <class Stream>
void BasicWebSocketSession<Stream>::read() {
    ws_.async_read(buffer_, beast::bind_front_handler(&BasicWebSocketSession::onRead,
                                                      this->shared_from_this()));
}

template <class Stream>
void BasicWebSocketSession<Stream>::onRead(beast::error_code ec, std::size_t) {
    if (ec == websocket::error::message_too_big) {
        buffer_.consume(buffer_.size());
        doClose(websocket::close_code::too_big, "message too big");
        return;
    }
    if (ec == websocket::error::closed) {
        peerClosed_ = true;
        peerCloseCode_ = ws_.reason().code;
    }
    if (ec) return finish();
    auto now = std::chrono::steady_clock::now();
    if (now - windowStart_ >= std::chrono::seconds(1)) {
        windowStart_ = now;
        framesInWindow_ = 0;
    }
    if (++framesInWindow_ > limits_.maxFramesPerSecond) {
        buffer_.consume(buffer_.size());
        doClose(websocket::close_code::policy_error, "rate limit");
        return;
    }
    if (!ws_.got_text()) {
        buffer_.consume(buffer_.size());
        doClose(websocket::close_code::bad_payload, "binary frames are not supported");
        return;
    }
    std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    guarded("message", [&] {
        if (!closing_) handler_->onMessage(std::move(text));
        if (!closing_) read();
    });
}

template <class Stream>
void BasicWebSocketSession<Stream>::send(std::string text) {
    boost::asio::post(
        ws_.get_executor(), [self = this->shared_from_this(), text = std::move(text)]() mutable {
            // After close(): the close frame follows what was queued before it, nothing later.
            if (self->closing_ || self->finished_ || self->pendingClose_) return;
            self->queuedBytes_ += text.size();
            if (self->queuedBytes_ > self->limits_.maxQueuedBytes) {
                base::log(base::LogLevel::Warn, "websocket: peer does not read; closing");
                self->queue_.clear();
                self->queuedBytes_ = 0;
                self->doClose(websocket::close_code::try_again_later, "send queue overflow");
                return;
            }
            self->queue_.push_back(std::move(text));
            if (!self->writing_) self->write();
        });
}

template <class Stream>
void BasicWebSocketSession<Stream>::write() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(
        boost::asio::buffer(queue_.front()),
        beast::bind_front_handler(&BasicWebSocketSession::onWrite, this->shared_from_this()));
}

template <class Stream>
void BasicWebSocketSession<Stream>::onWrite(beast::error_code ec, std::size_t) {
    writing_ = false;
    if (ec) return finish();
    queuedBytes_ -= queue_.front().size();
    queue_.pop_front();
    if (!queue_.empty()) return write();
    if (pendingClose_) {
        auto [code, reason] = *pendingClose_;
        pendingClose_.reset();
        doClose(code, reason);
    }
}

template <class Stream>
void BasicWebSocketSession<Stream>::close(std::uint16_t code, std::string reason) {
    boost::asio::post(ws_.get_executor(),
                      [self = this->shared_from_this(), code, reason = std::move(reason)] {
                          if (self->closing_ || self->finished_) return;
                          if (self->writing_ || !self->queue_.empty()) {
                              self->pendingClose_ = {code, reason};
                              return;
                          }
                          self->doClose(code, reason);
                      });
}

template <class Stream>
void BasicWebSocketSession<Stream>::doClose(std::uint16_t code, const std::string& reason) {
    if (closing_) return;
    closing_ = true;
    closeSent_ = true;
    websocket::close_reason cr(static_cast<websocket::close_code>(code), reason);
    ws_.async_close(cr, [self = this->shared_from_this()](beast::error_code) { self->finish(); });
}

template <class Stream>
void BasicWebSocketSession<Stream>::finish() {
    if (finished_) return;
    finished_ = true;
    closing_ = true;
    try {
        handler_->onClose();
    } catch (const std::exception& e) {
        base::log(base::LogLevel::Error,
                  std::string("websocket: close handler failed: ") + e.what());
    }
    slot_.reset();
}

template class BasicWebSocketSession<PlainStream>;
template class BasicWebSocketSession<TlsStream>;

}  // namespace sb::net
