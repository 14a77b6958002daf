#pragma once
// The one object the JS facade holds (STYLE.md 13: keep exposed handles to a minimum): the core
// Client wired to the browser adapters. Results cross to JavaScript as JSON text plus the
// MediaStream objects; web/src/ shapes them into the public API.

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
    // `listener` has state(name, errorJson), stream(infoJson, mediaStream), streamGone(id),
    // log(level, message).
    explicit SdkHandle(val listener);

    // optionsJson: {websocketUrl, token, uniqueId, sdkVersion, rtcConfiguration, timeoutMs}
    void connect(std::string optionsJson, val resolve, val reject);
    void publishMedia(std::string constraintsJson, std::string alias,
                      std::string codecPreferencesJson, val resolve, val reject);
    void publishStream(val stream, std::string alias, std::string codecPreferencesJson, val resolve,
                       val reject);
    void unpublish(val streamIds, val resolve, val reject);
    bool sendDtmf(std::string tones, std::string streamId) {
        return client_.sendDtmf(tones, streamId);
    }
    void setTracksEnabled(std::string kind, bool enabled, std::string streamId) {
        client_.setTracksEnabled(kind, enabled, streamId);
    }
    void getStats(std::string which, val resolve, val reject);
    void disconnect() { client_.disconnect(); }
    std::string state() const { return toString(client_.state()); }

  private:
    ClientListener makeListener();
    Publisher::PublishDone publishDone(val resolve, val reject);

    val listener_;
    BrowserSocket socket_;
    BrowserTimers timers_;
    BrowserHttp http_;
    BrowserMedia media_;
    BrowserPeerFactory peers_{media_};
    Client client_;
};

}  // namespace sb::sdk::browser
