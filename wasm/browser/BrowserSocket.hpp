#pragma once
// SocketPort over the browser's WebSocket (WHATWG HTML §9.3), through emscripten::val.

#include <vector>

#include "wasm/browser/JsCallbacks.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk::browser {

class BrowserSocket : public SocketPort {
  public:
    BrowserSocket() = default;
    ~BrowserSocket() override { detach(0); }
    BrowserSocket(const BrowserSocket&) = delete;
    BrowserSocket& operator=(const BrowserSocket&) = delete;

    void open(const std::string& url, Handler handler) override;
    void send(const std::string& text) override;
    void close(int code) override { detach(code); }

  private:
    // Unhooks the current WebSocket, closing it with `code` unless 0: after this it never calls
    // back (Ports.hpp contract).
    void detach(int code);
    // The WebSocket's events (js::to).
    static void dispatch(void* self, int kind, const val& a, const val& event);

    val ws_ = val::undefined();
    Handler handler_;
};

}  // namespace sb::sdk::browser
