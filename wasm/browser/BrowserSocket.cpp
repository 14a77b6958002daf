#include "wasm/browser/BrowserSocket.hpp"

namespace sb::sdk::browser {

void BrowserSocket::open(const std::string& url, Handlers handlers) {
    detach(0);
    handlers_ = std::move(handlers);
    cb_ = js::add(
        [this](int kind, int code, const std::string& text) {
            if (kind == 0) {
                if (handlers_.onOpen) handlers_.onOpen();
            } else if (kind == 1) {
                if (handlers_.onMessage) handlers_.onMessage(text);
            } else {
                auto onClose = handlers_.onClose;
                detach(0);
                if (onClose) onClose(code);
            }
        },
        false);
    // A malformed URL gives handle 0 and, later, a close with 1006.
    ws_ = sb_ws_open(url.c_str(), cb_);
}

void BrowserSocket::send(const std::string& text) {
    if (ws_) sb_ws_send(ws_, text.c_str());
}

void BrowserSocket::detach(int code) {
    if (cb_) js::remove(cb_);
    if (ws_) sb_ws_close(ws_, code);
    cb_ = ws_ = 0;
}

}  // namespace sb::sdk::browser
