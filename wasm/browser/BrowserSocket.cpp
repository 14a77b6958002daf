#include "wasm/browser/BrowserSocket.hpp"

namespace sb::sdk::browser {

void BrowserSocket::open(const std::string& url, Handlers handlers) {
    detach();
    handlers_ = std::move(handlers);
    TryResult created = tryNew("WebSocket", args(val(url)));
    if (!created.ok) {
        // new WebSocket() throws SyntaxError on a malformed URL (HTML §9.3.1 step 3); report it
        // like a failed connection, later, as the port contract requires.
        val fn = JsCallbacks::once(
            [this]() {
                failTimer_ = 0;
                if (handlers_.onClose) handlers_.onClose(1006);
            },
            failTimer_);
        val::global("setTimeout")(fn, 0);
        return;
    }
    ws_ = created.value;
    on("onopen", [this](val) {
        if (handlers_.onOpen) handlers_.onOpen();
    });
    on("onmessage", [this](val event) {
        val data = event["data"];
        // The protocol is JSON text frames only (docs/protocol.md); binary frames are ignored.
        if (data.isString() && handlers_.onMessage) handlers_.onMessage(data.as<std::string>());
    });
    on("onclose", [this](val event) {
        int code = event["code"].as<int>();
        auto onClose = handlers_.onClose;
        detach();
        if (onClose) onClose(code);
    });
}

void BrowserSocket::on(const char* event, Fn<void(val)> fn) {
    int id = 0;
    ws_.set(event, JsCallbacks::listener(std::move(fn), id));
    listeners_.push_back(id);
}

void BrowserSocket::send(const std::string& text) {
    if (ws_.isNull() || ws_["readyState"].as<int>() != 1) return;  // only when OPEN
    tryCall(ws_, "send", args(val(text)));
}

void BrowserSocket::close(int code) {
    val ws = ws_;
    detach();
    if (!ws.isNull()) tryCall(ws, "close", args(val(code)));
}

void BrowserSocket::detach() {
    if (failTimer_) JsCallbacks::remove(failTimer_);
    failTimer_ = 0;
    for (int id : listeners_) JsCallbacks::remove(id);
    listeners_.clear();
    if (!ws_.isNull()) {
        for (const char* event : {"onopen", "onmessage", "onclose"}) ws_.set(event, val::null());
    }
    ws_ = val::null();
}

}  // namespace sb::sdk::browser
