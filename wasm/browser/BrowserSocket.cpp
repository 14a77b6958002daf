#include "wasm/browser/BrowserSocket.hpp"

#include "wasm/core/Json.hpp"

namespace sb::sdk::browser {

enum { kOpen, kMessage, kClose, kFailed };

void BrowserSocket::open(const std::string& url, Handler handler) {
    detach(0);
    handler_ = std::move(handler);
    web::JsResult created = web::jsTryNew(val::global("WebSocket"), val(url));
    if (!created.ok) {
        // A malformed URL throws SyntaxError (§9.3.1 step 3): reported like a failed connection,
        // later (Ports.hpp: never synchronously).
        js::settle(created, js::to(this, dispatch, kFailed), this);
        return;
    }
    ws_ = created.value;
    js::listen(ws_, "open", js::to(this, dispatch, kOpen), this);
    // The protocol is JSON text frames only (docs/protocol.md); binary frames are ignored, and
    // so are frames over the JSON size bound (Json::kMaxTextBytes), before they are copied.
    js::listen(ws_, "message", js::to(this, dispatch, kMessage), this);
    js::listen(ws_, "close", js::to(this, dispatch, kClose), this);
}

void BrowserSocket::dispatch(void* self, int kind, const val&, const val& event) {
    auto* s = static_cast<BrowserSocket*>(self);
    if (kind == kOpen) {
        if (s->handler_) s->handler_(SocketEvent::Open, 0, {});
    } else if (kind == kMessage) {
        auto text = js::boundedString(js::get(event, "data"), Json::kMaxTextBytes);
        if (text && s->handler_) s->handler_(SocketEvent::Message, 0, *text);
    } else {
        auto handler = s->handler_;
        s->detach(0);
        if (handler)
            handler(SocketEvent::Close, kind == kClose ? js::intAt(event, "code", 1006) : 1006, {});
    }
}

void BrowserSocket::send(const std::string& text) {
    // Only when OPEN (readyState 1, §9.3.2): send() on a CONNECTING socket throws.
    if (ws_.isUndefined() || js::get(ws_, "readyState").as<int>() != 1) return;
    web::jsTry(ws_, "send", text);
}

void BrowserSocket::detach(int code) {
    js::removeAll(this);
    // close(code) throws InvalidAccessError for a code other than 1000 or 3000-4999 (§9.3.2).
    if (code && !ws_.isUndefined()) web::jsTry(ws_, "close", code);
    ws_ = val::undefined();
}

}  // namespace sb::sdk::browser
