#pragma once
// PeerConnectionPort over RTCPeerConnection (W3C WebRTC 1.0), and its factory.

#include <map>
#include <set>
#include <vector>

#include "wasm/browser/BrowserMedia.hpp"
#include "wasm/browser/JsCallbacks.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk::browser {

class BrowserPeerConnection : public PeerConnectionPort {
  public:
    BrowserPeerConnection(val pc, BrowserMedia& media);
    ~BrowserPeerConnection() override { close(); }

    void setHandlers(Handlers handlers) override { handlers_ = std::move(handlers); }
    void createDataChannel(const std::string& label, int id) override;
    void sendOnChannel(const std::string& label, const std::string& text) override;
    void addTrack(const LocalTrack& track, const std::string& streamId,
                  const std::string& codecPreferencesJson) override;
    void removeTrack(const std::string& trackId) override;
    void createOffer(bool iceRestart, SdpDone done) override;
    void createAnswer(SdpDone done) override;
    void setLocalDescription(const std::string& type, const std::string& sdp, Done done) override;
    void setRemoteDescription(const std::string& type, const std::string& sdp, Done done) override;
    bool insertDtmf(const std::string& streamId, const std::string& tones) override;
    void getStats(Fn<void(const Error&, const std::string&)> done) override;
    void close() override;

  private:
    struct Sender {
        std::string trackId;
        std::string streamId;
        std::string kind;
        val transceiver;
    };
    val listen(const char* event, Fn<void(val)> fn);
    void onTrack(val event);
    void watchRemoteStream(val stream);
    // Runs a promise-returning method; `done` is skipped once the connection is closed.
    void await(const val& promise, Fn<void(const Error&, val)> done);

    val pc_;
    BrowserMedia& media_;
    Handlers handlers_;
    std::map<std::string, val> channels_;
    std::vector<Sender> senders_;
    std::set<std::string> watchedStreams_;
    std::vector<int> listeners_;
    std::shared_ptr<char> alive_ = std::make_shared<char>();
};

class BrowserPeerFactory : public PeerConnectionFactory {
  public:
    explicit BrowserPeerFactory(BrowserMedia& media) : media_(media) {}
    std::unique_ptr<PeerConnectionPort> create(const std::string& configurationJson) override;

  private:
    BrowserMedia& media_;
};

}  // namespace sb::sdk::browser
