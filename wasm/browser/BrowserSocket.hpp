#pragma once
// SocketPort over the browser's WebSocket (WHATWG HTML §9.3), through library.js.

#include "wasm/browser/JsCallbacks.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk::browser {

class BrowserSocket : public SocketPort {
  public:
    ~BrowserSocket() override { detach(0); }
    void open(const std::string& url, Handlers handlers) override;
    void send(const std::string& text) override;
    void close(int code) override { detach(code); }

  private:
    // Unhooks the current WebSocket, closing it with `code` unless 0: after this it never calls
    // back (Ports.hpp contract).
    void detach(int code);

    int ws_ = 0;
    int cb_ = 0;
    Handlers handlers_;
};

}  // namespace sb::sdk::browser
