#pragma once
// MediaPort over navigator.mediaDevices (W3C Media Capture and Streams), through emscripten::val.
// The MediaStream objects stay JavaScript objects, kept by id in `local` (captured here, or given
// by the application to publish); the core knows only their ids and their tracks' ids and kinds.

#include "wasm/browser/JsCallbacks.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk::browser {

class BrowserMedia : public MediaPort {
  public:
    explicit BrowserMedia(JsObjects& local) : local_(local) {}
    // A getUserMedia that settles after this is destroyed finds its callback gone.
    ~BrowserMedia() override { js::removeAll(this); }
    BrowserMedia(const BrowserMedia&) = delete;
    BrowserMedia& operator=(const BrowserMedia&) = delete;

    void setHandler(Handler handler) override;
    void getUserMedia(const std::string& constraintsJson,
                      Fn<void(const Error&, const LocalStream&)> done) override;
    void stopStream(const std::string& streamId) override;
    void setTracksEnabled(const std::string& streamId, const std::string& kind,
                          bool enabled) override;
    void swapTrack(const std::string& streamId, const std::string& trackId,
                   const std::string& otherStreamId) override;

    // Keeps a MediaStream by id and describes it to the core; watches its tracks' `ended`.
    LocalStream adopt(const val& stream);

  private:
    // A watched track's `ended` (js::to).
    static void ended(void* self, int, const val&, const val& event);
    Handler handler_;
    int ended_ = 0;  // the one callback of every watched track's `ended` listener (js::on)
    // getUserMedia's rejection, classified by the DOMException's name (errors::userMedia).
    static Error rejection(const val& error);
    JsObjects& local_;
};

}  // namespace sb::sdk::browser
