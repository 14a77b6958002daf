#include "wasm/browser/BrowserSocket.hpp"

#include "wasm/core/Json.hpp"

namespace sb::sdk::browser {

void BrowserSocket::open(const std::string& url, Handlers handlers) {
    detach(0);
    handlers_ = std::move(handlers);
    auto closed = [this](int code) {
        auto onClose = handlers_.onClose;
        detach(0);
        if (onClose) onClose(code);
    };
    web::JsResult created = web::jsTryNew(val::global("WebSocket"), url);
    if (!created.ok) {
        // A malformed URL throws SyntaxError (§9.3.1 step 3): reported like a failed connection,
        // later (Ports.hpp: never synchronously).
        callbacks_.push_back(js::settle(created, [closed](bool, const val&) { closed(1006); }));
        return;
    }
    ws_ = created.value;
    js::listen(
        ws_, "open",
        [this](const val&) {
            if (handlers_.onOpen) handlers_.onOpen();
        },
        callbacks_);
    // The protocol is JSON text frames only (docs/protocol.md); binary frames are ignored, and
    // so are frames over the JSON size bound (Json::kMaxTextBytes), before they are copied.
    js::listen(
        ws_, "message",
        [this](const val& event) {
            auto text = js::boundedString(event["data"], Json::kMaxTextBytes);
            if (text && handlers_.onMessage) handlers_.onMessage(*text);
        },
        callbacks_);
    js::listen(
        ws_, "close",
        [closed](const val& event) {
            closed(event["code"].isNumber() ? event["code"].as<int>() : 1006);
        },
        callbacks_);
}

void BrowserSocket::send(const std::string& text) {
    // Only when OPEN (readyState 1, §9.3.2): send() on a CONNECTING socket throws.
    if (ws_.isUndefined() || ws_["readyState"].as<int>() != 1) return;
    web::jsTry(ws_, "send", text);
}

void BrowserSocket::detach(int code) {
    for (int id : callbacks_) js::remove(id);
    callbacks_.clear();
    // close(code) throws InvalidAccessError for a code other than 1000 or 3000-4999 (§9.3.2).
    if (code && !ws_.isUndefined()) web::jsTry(ws_, "close", code);
    ws_ = val::undefined();
}

}  // namespace sb::sdk::browser
