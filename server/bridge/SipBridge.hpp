#pragma once
// The SIP interconnect (issue 4): SIP calls as participants of WebRTC sessions, and as the voice
// API's calls. This class only ties the parts together and routes the SIP endpoint's events to
// them; each part owns one concern:
//   BridgeCalls      the table of calls and their audio pipelines (what every call has)
//   SessionCalls     calls joined to a WebRTC session (participant token, <Transfer> into one)
//   Trunk            the way out (and the only way in to the voice numbers)
//   VoiceCalls       the voice API's outbound and inbound calls
//   TransferLegs     <Transfer>/<Forward> out through the trunk
//   VoiceRooms       <Bridge> between two calls
//   VoiceConference  <Conference> rooms
//   VoiceIvr         SpeakSentence and PlayAudio
//   SipBridgeMedia   what BXML does to one call (voice::CallMedia), across those parts

#include <boost/asio/any_io_executor.hpp>
#include <functional>
#include <memory>
#include <string>

#include "server/auth/TokenService.hpp"
#include "server/bridge/BridgeConfig.hpp"
#include "server/bridge/LeftDialogs.hpp"
#include "server/media/MediaOrchestrator.hpp"
#include "server/session/CallControl.hpp"
#include "server/sip/endpoint/LeftoverByes.hpp"
#include "server/sip/endpoint/SipEndpoint.hpp"
#include "server/sip/media/SpeechService.hpp"
#include "server/voice/CallMedia.hpp"
#include "server/voice/CallbackClient.hpp"
#include "server/voice/Conferences.hpp"
#include "server/voice/VoiceService.hpp"

namespace sb::bridge {

class BridgeCalls;
class SessionCalls;
class Trunk;
class VoiceCalls;
class TransferLegs;
class VoiceRooms;
class VoiceConference;
class VoiceIvr;
class VoiceRecorder;
struct BridgeCall;

// The voice API a bridge serves: the service it reports call progress to, the client it fetches
// PlayAudio files with, and the recorder of the recording verbs. Null members: voice calls
// (recordings) are refused. The service must outlive the bridge's serving (stop() first).
struct BridgeVoice {
    voice::VoiceService* service = nullptr;
    voice::CallbackClient* http = nullptr;
    std::shared_ptr<VoiceRecorder> recorder;
};

class SipBridge : public voice::CallPlacer, public std::enable_shared_from_this<SipBridge> {
  public:
    // Throws std::invalid_argument for a bad sipTrunkAddresses entry.
    SipBridge(const boost::asio::any_io_executor& executor, BridgeConfig config,
              const auth::TokenService& tokens, session::CallControl& calls,
              std::shared_ptr<media::MediaOrchestrator> media, BridgeVoice voice = {});
    ~SipBridge() override;

    // voice::CallPlacer
    void place(const voice::Call& call) override;
    void cancel(const std::string& callId) override;

    void start();
    void stop();
    std::uint16_t sipPort() const;
    BridgeStats stats() const;
    std::size_t freeRtpPorts() const;
    sip::media::SpeechService::Stats speechStats() const;

    // Called for an INVITE that carries no participant token (the voice API claims those that
    // are calls to its numbers). Returns false to have the call refused with 403.
    using UnclaimedInvite = std::function<bool(const sip::InboundInvite&)>;
    void onUnclaimedInvite(UnclaimedInvite handler) { unclaimed_ = std::move(handler); }

    sip::SipEndpoint& endpoint();

    // conf: conference rooms as WebRTC sessions of CallControl (ConferenceService creates and
    // deletes them).
    std::shared_ptr<voice::ConferenceRooms> conferenceRooms();

  private:
    friend class SipBridgeMedia;

    void onInvite(const sip::InboundInvite& invite);
    // A call ended: every part lets go of it, in the order its links were made.
    void released(BridgeCall& call, const std::string& reason, bool hangupSip);

    std::shared_ptr<BridgeCalls> calls_;
    std::shared_ptr<Trunk> trunk_;
    std::shared_ptr<SessionCalls> sessions_;
    std::shared_ptr<TransferLegs> transfers_;
    std::shared_ptr<VoiceCalls> voiceCalls_;
    std::shared_ptr<VoiceRooms> rooms_;
    std::shared_ptr<VoiceConference> conference_;
    std::shared_ptr<VoiceIvr> ivr_;
    const std::shared_ptr<VoiceRecorder> recorder_;  // null: recordings refused
    UnclaimedInvite unclaimed_;
    // Dialogs kept for a restart, and the BYEs of the previous process's (null: no dialogsFile).
    std::unique_ptr<LeftDialogs> dialogs_;
    std::unique_ptr<sip::LeftoverByes> leftoverByes_;
};

}  // namespace sb::bridge
