#pragma once
// SocketPort over the browser's WebSocket (WHATWG HTML §9.3).

#include <vector>

#include "wasm/browser/JsCallbacks.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk::browser {

class BrowserSocket : public SocketPort {
  public:
    ~BrowserSocket() override { detach(); }
    void open(const std::string& url, Handlers handlers) override;
    void send(const std::string& text) override;
    void close(int code) override;

  private:
    // Unhooks the current WebSocket: after this it never calls back (Ports.hpp contract).
    void detach();
    void on(const char* event, Fn<void(val)> fn);

    val ws_ = val::null();
    Handlers handlers_;
    std::vector<int> listeners_;
    int failTimer_ = 0;
};

}  // namespace sb::sdk::browser
