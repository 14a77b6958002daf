#pragma once
// MediaPort over navigator.mediaDevices (W3C Media Capture and Streams), through library.js,
// which keeps the MediaStream objects by id: the local ones (captured, or given by the
// application to publish) and the remote ones the subscribing connection received.

#include "wasm/browser/JsCallbacks.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk::browser {

class BrowserMedia : public MediaPort {
  public:
    void getUserMedia(const std::string& constraintsJson,
                      Fn<void(const Error&, const LocalStream&)> done) override;
    void stopStream(const std::string& streamId) override { sb_media_stop(streamId.c_str()); }
    void setTracksEnabled(const std::string& streamId, const std::string& kind,
                          bool enabled) override {
        sb_media_enable(streamId.c_str(), kind.c_str(), enabled);
    }

    // A stream's description from JavaScript (lines: id, then id and kind of each track).
    static LocalStream describe(const std::string& lines);

  private:
    static Error rejection(const std::string& text);
};

}  // namespace sb::sdk::browser
