#pragma once
// MediaPort over navigator.mediaDevices (W3C Media Capture and Streams). It also keeps the
// MediaStream objects the core refers to by id: the local ones (captured or given by the
// application) and the remote ones the subscribing connection received.

#include <map>

#include "wasm/browser/JsCallbacks.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk::browser {

class BrowserMedia : public MediaPort {
  public:
    void getUserMedia(const std::string& constraintsJson,
                      Fn<void(const Error&, const LocalStream&)> done) override;
    void stopStream(const std::string& streamId) override;
    void setTracksEnabled(const std::string& streamId, const std::string& kind,
                          bool enabled) override;

    // An application-supplied MediaStream (publish(stream)): remember it, describe it.
    LocalStream adopt(const val& stream);
    val local(const std::string& streamId) const;
    val localTrack(const std::string& trackId) const;
    void rememberRemote(const val& stream);
    val remote(const std::string& streamId) const;

  private:
    std::map<std::string, val> local_;
    std::map<std::string, val> remote_;
};

}  // namespace sb::sdk::browser
