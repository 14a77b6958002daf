#pragma once
// PeerConnectionPort over RTCPeerConnection (W3C WebRTC 1.0), through emscripten::val, and its
// factory.

#include <memory>
#include <vector>

#include "wasm/browser/JsCallbacks.hpp"
#include "wasm/core/Alive.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk::browser {

class BrowserPeerConnection : public PeerConnectionPort {
  public:
    // `local`: the streams it may send; `remote`: where it keeps the streams it receives.
    BrowserPeerConnection(JsObjects& local, JsObjects& remote) : local_(local), remote_(remote) {}
    ~BrowserPeerConnection() override { close(); }
    BrowserPeerConnection(const BrowserPeerConnection&) = delete;
    BrowserPeerConnection& operator=(const BrowserPeerConnection&) = delete;

    // new RTCPeerConnection(configuration); false when the constructor throws (§4.4.1.1: an
    // invalid configuration, such as a bad ICE server URL).
    bool open(const std::string& configurationJson);

    void setHandler(Handler handler) override { handler_ = std::move(handler); }
    void createDataChannel(const std::string& label, int id) override;
    void sendOnChannel(const std::string& label, const std::string& text) override;
    void addTrack(const LocalTrack& track, const std::string& streamId,
                  const std::string& codecPreferencesJson) override;
    void removeTrack(const std::string& trackId) override;
    void replaceTrack(const std::string& oldTrackId, const std::string& trackId,
                      Done done) override;
    void createOffer(bool iceRestart, SdpDone done) override;
    void createAnswer(SdpDone done) override;
    void setLocalDescription(const std::string& type, const std::string& sdp, Done done) override;
    void setRemoteDescription(const std::string& type, const std::string& sdp, Done done) override;
    bool insertDtmf(const std::string& streamId, const std::string& tones) override;
    void getStats(Fn<void(const Error&, const std::string&)> done) override;
    void close() override;

  private:
    // The senders, in the order they were added: a list (smaller code than a vector's growth).
    struct Sender {
        std::string trackId;
        std::string streamId;
        std::string kind;
        val transceiver;
        Sender* next;
    };
    static void dispatch(void* self, int kind, const val& a, const val& event);
    void onTrack(const val& event);
    // The outcome of one of this connection's promises, by kind: an SDP or the stats JSON to
    // `text`, or done; dropped once the connection is closed.
    void settle(const web::JsResult& call, int kind, SdpDone text, Done done);
    // pc_[method](args...), caught; a failure once closed (pc_ is then undefined).
    template <typename... Args>
    web::JsResult invoke(const char* method, Args&&... args) {
        if (pc_.isUndefined()) return {false, val("closed")};
        return web::jsTry(pc_, method, std::forward<Args>(args)...);
    }

    JsObjects& local_;
    JsObjects& remote_;
    val pc_ = val::undefined();
    Sender* senders_ = nullptr;
    JsObjects channels_;                // RTCDataChannel by label
    std::vector<std::string> watched_;  // remote stream ids with a removetrack listener
    Handler handler_;
    Alive alive_;
};

class BrowserPeerFactory : public PeerConnectionFactory {
  public:
    BrowserPeerFactory(JsObjects& local, JsObjects& remote) : local_(local), remote_(remote) {}
    std::unique_ptr<PeerConnectionPort> create(const std::string& configurationJson) override {
        auto pc = std::make_unique<BrowserPeerConnection>(local_, remote_);
        if (!pc->open(configurationJson)) return nullptr;
        return pc;
    }

  private:
    JsObjects& local_;
    JsObjects& remote_;
};

}  // namespace sb::sdk::browser
