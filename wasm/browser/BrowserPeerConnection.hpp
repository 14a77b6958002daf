#pragma once
// PeerConnectionPort over RTCPeerConnection (W3C WebRTC 1.0), through library.js, and its factory.

#include <memory>

#include "wasm/browser/JsCallbacks.hpp"
#include "wasm/core/Alive.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk::browser {

class BrowserPeerConnection : public PeerConnectionPort {
  public:
    BrowserPeerConnection() = default;
    ~BrowserPeerConnection() override { close(); }
    BrowserPeerConnection(const BrowserPeerConnection&) = delete;
    BrowserPeerConnection& operator=(const BrowserPeerConnection&) = delete;

    // new RTCPeerConnection(configuration); false when the constructor throws.
    bool open(const std::string& configurationJson);

    void setHandlers(Handlers handlers) override { handlers_ = std::move(handlers); }
    void createDataChannel(const std::string& label, int id) override {
        sb_pc_channel(pc_, label.c_str(), id);
    }
    void sendOnChannel(const std::string& label, const std::string& text) override {
        sb_pc_send(pc_, label.c_str(), text.c_str());
    }
    void addTrack(const LocalTrack& track, const std::string& streamId,
                  const std::string& codecPreferencesJson) override {
        sb_pc_add_track(pc_, track.id.c_str(), streamId.c_str(), codecPreferencesJson.c_str());
    }
    void removeTrack(const std::string& trackId) override {
        sb_pc_remove_track(pc_, trackId.c_str());
    }
    void createOffer(bool iceRestart, SdpDone done) override {
        sb_pc_offer(pc_, iceRestart, settle(std::move(done)));
    }
    void createAnswer(SdpDone done) override { sb_pc_answer(pc_, settle(std::move(done))); }
    void setLocalDescription(const std::string& type, const std::string& sdp, Done done) override {
        sb_pc_set(pc_, 0, type.c_str(), sdp.c_str(), settle(std::move(done)));
    }
    void setRemoteDescription(const std::string& type, const std::string& sdp, Done done) override {
        sb_pc_set(pc_, 1, type.c_str(), sdp.c_str(), settle(std::move(done)));
    }
    bool insertDtmf(const std::string& streamId, const std::string& tones) override {
        return sb_pc_dtmf(pc_, streamId.c_str(), tones.c_str());
    }
    void getStats(Fn<void(const Error&, const std::string&)> done) override {
        sb_pc_stats(pc_, settle(std::move(done)));
    }
    void close() override;

  private:
    void onEvent(int kind, const std::string& text);
    // A callback for a promise of this connection; skipped once the connection is closed.
    int settle(SdpDone done);
    int settle(Done done);

    int pc_ = 0;
    int cb_ = 0;
    Handlers handlers_;
    Alive alive_;
};

class BrowserPeerFactory : public PeerConnectionFactory {
  public:
    std::unique_ptr<PeerConnectionPort> create(const std::string& configurationJson) override {
        auto pc = std::make_unique<BrowserPeerConnection>();
        if (!pc->open(configurationJson)) return nullptr;
        return pc;
    }
};

}  // namespace sb::sdk::browser
