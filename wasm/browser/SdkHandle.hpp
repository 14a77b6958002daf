#pragma once
// The one object the JS facade holds (STYLE.md 13: keep exposed handles to a minimum): the core
// Client wired to the browser adapters. Outcomes cross to JavaScript as JSON text (sb_settle,
// sb_emit); pre.js and web/src/ shape them into the public API.

#include <string>

#include "wasm/browser/BrowserHttp.hpp"
#include "wasm/browser/BrowserMedia.hpp"
#include "wasm/browser/BrowserPeerConnection.hpp"
#include "wasm/browser/BrowserSocket.hpp"
#include "wasm/browser/BrowserTimers.hpp"
#include "wasm/core/Client.hpp"

namespace sb::sdk::browser {

class SdkHandle {
  public:
    // `listener`: the index of pre.js's listener function, which gets state changes, streams
    // and log lines (sb_emit).
    explicit SdkHandle(int listener);

    // Each settles JavaScript promise `promise` (sb_settle).
    void connect(int promise, const ConnectOptions& options);
    void publishMedia(int promise, const std::string& constraintsJson, const std::string& alias,
                      const std::string& codecPreferencesJson);
    // `stream`: the description pre.js made of the application's MediaStream.
    void publishStream(int promise, const std::string& stream, const std::string& alias,
                       const std::string& codecPreferencesJson);
    void unpublish(int promise, std::vector<std::string> streamIds);
    void getStats(int promise, const std::string& which);
    Client& client() { return client_; }

  private:
    ClientListener makeListener();
    Publisher::PublishDone publishDone(int promise);
    void emit(int kind, int num, const std::string& a, const std::string& b = {}) const;

    int listener_;
    BrowserSocket socket_;
    BrowserTimers timers_;
    BrowserHttp http_;
    BrowserMedia media_;
    BrowserPeerFactory peers_;
    Client client_;
};

}  // namespace sb::sdk::browser
