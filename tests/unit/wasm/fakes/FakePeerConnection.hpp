#pragma once
// RTCPeerConnection for native tests. Every call is recorded in a PcRecord that outlives the
// fake (the core destroys its connection on close), callbacks are posted to the FakeLoop, and
// the test plays the browser's events (track, removetrack, connectionstatechange).

#include <memory>
#include <string>
#include <vector>

#include "tests/unit/wasm/fakes/FakeLoop.hpp"
#include "wasm/core/Errors.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk::test {

// The connection's handler, called the way the browser's events would (one method per event).
struct FakePeerHandlers {
    PeerConnectionPort::Handler handler;
    explicit operator bool() const { return static_cast<bool>(handler); }
    void onTrack(const RemoteTrack& track) const { handler(PeerEvent::Track, {}, {}, 0, &track); }
    void onTrackRemoved(const std::string& streamId, const std::string& trackId) const {
        handler(PeerEvent::TrackRemoved, streamId, trackId, 0, nullptr);
    }
    void onConnectionState(const std::string& state) const {
        handler(PeerEvent::ConnectionState, state, {}, 0, nullptr);
    }
    void onChannelMessage(const std::string& label, const std::string& text) const {
        handler(PeerEvent::ChannelMessage, label, text, 0, nullptr);
    }
    void onIceCandidateError(const std::string& url, int code, const std::string& text) const {
        handler(PeerEvent::IceCandidateError, url, text, code, nullptr);
    }
};

struct PcRecord {
    std::string configuration;
    std::vector<std::string> calls;  // "createOffer", "setLocal:offer", "addTrack:t1@s1", ...
    std::vector<std::string> channels;
    std::vector<std::string> channelSends;
    std::string localSdp, remoteSdp;
    std::string answerSdp =
        "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF "
        "111\r\na=setup:active\r\n"
        "a=recvonly\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=setup:active\r\n";
    std::string failNext;  // a call name that fails once
    bool closed = false;
    int offers = 0;
    FakePeerHandlers handlers;
    bool dtmfResult = true;
    std::vector<std::string> dtmf;
    std::string stats = R"([{"type":"outbound-rtp"}])";  // what getStats() answers
};

class FakePeerConnection : public PeerConnectionPort {
  public:
    FakePeerConnection(FakeLoop& loop, std::shared_ptr<PcRecord> record)
        : loop_(loop), r_(std::move(record)) {}

    void setHandler(Handler handler) override { r_->handlers.handler = std::move(handler); }
    void createDataChannel(const std::string& label, int id) override {
        r_->channels.push_back(label + "#" + std::to_string(id));
    }
    void sendOnChannel(const std::string& label, const std::string& text) override {
        r_->channelSends.push_back(label + ":" + text);
    }
    void addTrack(const LocalTrack& track, const std::string& streamId,
                  const std::string& prefs) override {
        r_->calls.push_back("addTrack:" + track.id + "@" + streamId +
                            (prefs.empty() ? "" : " " + prefs));
    }
    void removeTrack(const std::string& trackId) override {
        r_->calls.push_back("removeTrack:" + trackId);
    }
    void replaceTrack(const std::string& oldTrackId, const std::string& trackId,
                      Done done) override {
        r_->calls.push_back("replaceTrack:" + oldTrackId + "->" + trackId);
        post("replaceTrack", done);
    }
    void createOffer(bool iceRestart, SdpDone done) override {
        r_->calls.push_back(iceRestart ? "createOffer:iceRestart" : "createOffer");
        std::string sdp = "offer-" + std::to_string(++r_->offers);
        post("createOffer", [done, sdp](const Error& e) { done(e, e.failed() ? "" : sdp); });
    }
    void createAnswer(SdpDone done) override {
        r_->calls.push_back("createAnswer");
        std::string sdp = r_->answerSdp;
        post("createAnswer", [done, sdp](const Error& e) { done(e, e.failed() ? "" : sdp); });
    }
    void setLocalDescription(const std::string& type, const std::string& sdp, Done done) override {
        r_->calls.push_back("setLocal:" + type);
        r_->localSdp = sdp;
        post("setLocal", done);
    }
    void setRemoteDescription(const std::string& type, const std::string& sdp, Done done) override {
        r_->calls.push_back("setRemote:" + type);
        r_->remoteSdp = sdp;
        post("setRemote", done);
    }
    bool insertDtmf(const std::string& streamId, const std::string& tones) override {
        r_->dtmf.push_back(streamId + ":" + tones);
        return r_->dtmfResult;
    }
    void getStats(Fn<void(const Error&, const std::string&)> done) override {
        loop_.post([done, stats = r_->stats]() { done({}, stats); });
    }
    void close() override { r_->closed = true; }

  private:
    void post(const std::string& name, Done done) {
        Error e;
        if (r_->failNext == name) {
            r_->failNext.clear();
            e = errors::negotiation(name + " failed");
        }
        std::weak_ptr<PcRecord> alive = r_;
        bool* closed = &r_->closed;
        loop_.post([done, e, alive, closed]() {
            if (!alive.expired() && !*closed) done(e);  // a closed connection never calls back
        });
    }

    FakeLoop& loop_;
    std::shared_ptr<PcRecord> r_;
};

class FakePeerFactory : public PeerConnectionFactory {
  public:
    explicit FakePeerFactory(FakeLoop& loop) : loop_(loop) {}
    std::unique_ptr<PeerConnectionPort> create(const std::string& configurationJson) override {
        auto record = std::make_shared<PcRecord>();
        record->configuration = configurationJson;
        created.push_back(record);
        return std::make_unique<FakePeerConnection>(loop_, record);
    }
    std::vector<std::shared_ptr<PcRecord>> created;

  private:
    FakeLoop& loop_;
};

}  // namespace sb::sdk::test
