#pragma once
// The SIP interconnect (issue 4): an INVITE whose User-To-User header carries a participant token
// becomes that participant's audio in its session. Ties together the SIP endpoint (signaling),
// a CallAudioPipeline per call (RTP, mixing, G.711) and the media orchestration (Janus remote
// publisher + rtp_forward). Refusals happen before anything is allocated.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "server/api/CallControl.hpp"
#include "server/auth/TokenService.hpp"
#include "server/media/MediaOrchestrator.hpp"
#include "server/sip/endpoint/SipEndpoint.hpp"
#include "server/sip/media/CallAudioPipeline.hpp"
#include "server/sip/media/PortAllocator.hpp"

namespace sb::bridge {

struct BridgeConfig {
    sip::SipConfig sip;
    std::string rtpAddress = "127.0.0.1";  // our RTP address towards phones (and Janus)
    std::uint16_t rtpPortMin = 30000;
    std::uint16_t rtpPortMax = 31999;
};

struct BridgeStats {
    std::size_t activeCalls = 0;
    std::uint64_t callsAnswered = 0, callsRefused = 0, callsEnded = 0;
};

class SipBridge : public std::enable_shared_from_this<SipBridge> {
public:
    SipBridge(boost::asio::any_io_executor executor, BridgeConfig config, const auth::TokenService& tokens,
              api::CallControl& calls, std::shared_ptr<media::MediaOrchestrator> media);
    ~SipBridge();

    void start();
    void stop();
    std::uint16_t sipPort() const;
    BridgeStats stats() const { return stats_; }
    std::size_t freeRtpPorts() const { return ports_->available(); }

    // Called for an INVITE that carries no participant token (the voice API claims those that
    // are calls to its numbers). Returns false to have the call refused with 403.
    using UnclaimedInvite = std::function<bool(const sip::InboundInvite&)>;
    void onUnclaimedInvite(UnclaimedInvite handler) { unclaimed_ = std::move(handler); }

    // Joins an existing call's audio (e.g. an answered outbound call) to the session of the
    // participant named by `uui` — how a BXML <Transfer><SipUri uui=…> to this server is bridged
    // without another SIP leg. `done(error)`; empty error = bridged.
    void transferIntoSession(const std::string& callId, const std::string& uui, std::function<void(std::string)> done);

    sip::SipEndpoint& endpoint() { return *endpoint_; }

private:
    struct Call;
    class Sink;

    void onInvite(const sip::InboundInvite& invite);
    void refuse(const std::string& callId, int status, const std::string& reason);
    void join(const std::string& callId, const sip::RemoteMedia& remote, const std::string& accountId,
              const std::string& participantId, bool inbound, std::function<void(std::string)> done);
    void end(const std::string& callId, const std::string& reason, bool hangupSip);

    boost::asio::strand<boost::asio::any_io_executor> strand_;
    BridgeConfig config_;
    const auth::TokenService& tokens_;
    api::CallControl& calls_;
    std::shared_ptr<media::MediaOrchestrator> media_;
    std::shared_ptr<sip::media::PortAllocator> ports_;
    std::unique_ptr<sip::SipEndpoint> endpoint_;
    std::map<std::string, std::shared_ptr<Call>> active_;
    UnclaimedInvite unclaimed_;
    BridgeStats stats_;
};

}  // namespace sb::bridge
