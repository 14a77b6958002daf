#pragma once
// The SIP bridge's calls (issue 4): the table of live calls by SIP call id, each with its audio
// pipeline (RTP, mixing, G.711), and what every part of the bridge does to a call whatever it is
// connected to: create it, answer it, follow its media, wire it to another call, end it. Also
// holds what the parts share: the strand every bridge step runs on, the SIP endpoint, the
// configuration, the counters, and the voice API. Runs on its strand only.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "server/auth/TokenService.hpp"
#include "server/bridge/BridgeCall.hpp"
#include "server/bridge/BridgeConfig.hpp"
#include "server/media/MediaOrchestrator.hpp"
#include "server/session/CallControl.hpp"
#include "server/sip/media/PortAllocator.hpp"
#include "server/voice/CallbackClient.hpp"
#include "server/voice/VoiceService.hpp"

namespace sb::bridge {

namespace asio = boost::asio;
using sip::media::CallAudioPipeline;

class BridgeCalls : public std::enable_shared_from_this<BridgeCalls> {
  public:
    using Strand = asio::strand<asio::any_io_executor>;
    // What the other parts undo when a call ends or its room goes; set by SipBridge.
    struct Hooks {
        // The call ended (already out of the table, its pipeline stopped): its links go.
        std::function<void(BridgeCall&, const std::string& reason, bool hangupSip)> released;
        // A conference member whose room's media went away leaves the conference (its BXML
        // decides what happens to the call) instead of being hung up.
        std::function<void(BridgeCall&, const std::string& why)> leaveConference;
    };

    BridgeCalls(const asio::any_io_executor& executor, BridgeConfig config,
                const auth::TokenService& tokens, session::CallControl& control,
                std::shared_ptr<media::MediaOrchestrator> media, voice::VoiceService* voice,
                voice::CallbackClient* http);

    void setHooks(Hooks hooks) { hooks_ = std::move(hooks); }
    void setEndpoint(std::unique_ptr<sip::SipEndpoint> endpoint) {
        endpoint_ = std::move(endpoint);
    }

    const Strand& strand() const { return strand_; }
    const BridgeConfig& config() const { return config_; }
    sip::SipEndpoint& endpoint() { return *endpoint_; }
    bool hasEndpoint() const { return endpoint_ != nullptr; }
    std::uint16_t sipPort() const { return endpoint_ ? endpoint_->port() : 0; }
    const auth::TokenService& tokens() const { return tokens_; }
    session::CallControl& control() { return control_; }
    media::MediaOrchestrator& media() { return *media_; }
    voice::VoiceService* voice() const { return voice_; }
    voice::CallbackClient* http() const { return http_; }
    BridgeStats& stats() { return stats_; }
    std::size_t freeRtpPorts() const { return ports_->available(); }

    // The live call `id`; nullptr once it ended.
    std::shared_ptr<BridgeCall> find(const std::string& id) const;
    // A call with a new pipeline, in the table under `id`. `remote`: an inbound call's offer;
    // nullptr: an outbound call, our offer not made yet. nullptr (and `error`) when no RTP port
    // is free.
    std::shared_ptr<BridgeCall> create(const std::string& id, const sip::RemoteMedia* remote,
                                       std::string& error);
    // The call is known under the endpoint's id from now on (an outbound call once dialed).
    void rename(const std::shared_ptr<BridgeCall>& call, const std::string& id);
    // Out of the table without the steps of end() (a call that never started).
    void remove(const std::string& id);

    // 200 OK with the codec and event payload type chosen from the caller's offer (create), and
    // the pipeline started.
    void answer(BridgeCall& call);
    // The far end's media (its answer, or a re-INVITE): where the pipeline sends RTP, and which
    // way audio flows.
    void setRemote(BridgeCall& call, const sip::RemoteMedia& remote);
    // A phone's digits reach its WebRTC session (MediaOrchestrator::phoneDigit).
    void digitsToSession(BridgeCall& call);
    // Each call's audio goes to the other and digits are sent on (<Transfer>, <Bridge>).
    void connectAudio(BridgeCall& a, BridgeCall& b);
    // Undoes connectAudio (or a session's wiring) on one call: it sends and hears nothing.
    static void disconnectAudio(BridgeCall& call);

    // The SIP response carries the status's standard phrase only (SipEndpoint::reject); the
    // reason, which may quote what the caller sent, stays in the log.
    void refuse(const std::string& callId, int status, const std::string& reason);
    void end(const std::string& callId, const std::string& reason, bool hangupSip);
    // The room of a conference member went away (BridgeCallSink::endPhone).
    void roomMediaEnded(const std::string& callId, const std::string& reason);
    void onMediaChanged(const std::string& callId, const sip::RemoteMedia& remote);
    // Every call's pipeline stops (server stopping); no callbacks run.
    void stopAll();

  private:
    void watchRtp(BridgeCall& call);

    Strand strand_;
    BridgeConfig config_;
    const auth::TokenService& tokens_;
    session::CallControl& control_;
    std::shared_ptr<media::MediaOrchestrator> media_;
    std::shared_ptr<sip::media::PortAllocator> ports_;
    std::unique_ptr<sip::SipEndpoint> endpoint_;
    std::map<std::string, std::shared_ptr<BridgeCall>> calls_;
    Hooks hooks_;
    BridgeStats stats_;
    voice::VoiceService* const voice_;  // null: no voice API (voice calls refused)
    voice::CallbackClient* const http_;
};

}  // namespace sb::bridge
