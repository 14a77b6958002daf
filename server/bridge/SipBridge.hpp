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

#include "server/auth/TokenService.hpp"
#include "server/bridge/AddressList.hpp"
#include "server/media/MediaOrchestrator.hpp"
#include "server/session/CallControl.hpp"
#include "server/sip/endpoint/SipEndpoint.hpp"
#include "server/sip/media/CallAudioPipeline.hpp"
#include "server/sip/media/PortAllocator.hpp"
#include "server/sip/media/SpeechService.hpp"
#include "server/voice/CallMedia.hpp"
#include "server/voice/CallbackClient.hpp"
#include "server/voice/Conferences.hpp"  // conf
#include "server/voice/VoiceService.hpp"

namespace sb::bridge {

// A number that calls from the trunk may reach, and the application that handles them.
struct InboundNumber {
    std::string number;  // E.164, matched against the INVITE's Request-URI user part
    std::string accountId, applicationId;
    std::string initiateUrl;
    std::optional<std::string> disconnectUrl;
};

struct BridgeConfig {
    sip::SipConfig sip;
    // Outbound calls of the voice API leave only through this trunk, e.g. "sip:127.0.0.1:5070";
    // empty: the voice API cannot place calls.
    std::string trunk;
    std::vector<InboundNumber> numbers;
    // Who may call `numbers` (IPs / CIDR networks): an INVITE for them from any other address
    // gets 403. Empty: the host of `trunk` when it is an IP literal, else nobody. INVITEs that
    // carry a participant token are accepted from anywhere (the token is the credential).
    std::vector<std::string> trunkAddresses;
    // RTP source check, reflection limit and inactivity timeout of every call's phone side.
    sip::media::PhoneSourceGuard::Config rtpGuard;
    std::string rtpAddress = "127.0.0.1";  // our RTP address towards phones (and Janus)
    std::uint16_t rtpPortMin = 30000;
    std::uint16_t rtpPortMax = 31999;
    // ivr
    sip::media::SpeechService::Config speech;  // SpeakSentence: synthesis workers and clip cache
    double playAudioMaxSeconds = 3600;         // PlayAudio: longer files are refused
};

struct BridgeStats {
    std::size_t activeCalls = 0;
    std::uint64_t callsAnswered = 0, callsRefused = 0, callsEnded = 0;
    std::uint64_t callsRtpTimedOut = 0;       // ended because the phone's RTP stopped
    std::uint64_t rtpForeignPackets = 0;      // of ended calls: RTP from a source not the phone's
    std::uint64_t untrustedTrunkInvites = 0;  // INVITEs for voice numbers from a non-trunk address
};

class VoiceRecorder;

// The voice API a bridge serves: the service it reports call progress to, the client it fetches
// PlayAudio files with, and the recorder of the recording verbs. Null members: voice calls
// (recordings) are refused. The service must outlive the bridge's serving (stop() first).
struct BridgeVoice {
    voice::VoiceService* service = nullptr;
    voice::CallbackClient* http = nullptr;
    std::shared_ptr<VoiceRecorder> recorder;  // record (issue 9)
};

class SipBridge : public voice::CallPlacer, public std::enable_shared_from_this<SipBridge> {
  public:
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
    BridgeStats stats() const { return stats_; }
    std::size_t freeRtpPorts() const { return ports_->available(); }

    // Called for an INVITE that carries no participant token (the voice API claims those that
    // are calls to its numbers). Returns false to have the call refused with 403.
    using UnclaimedInvite = std::function<bool(const sip::InboundInvite&)>;
    void onUnclaimedInvite(UnclaimedInvite handler) { unclaimed_ = std::move(handler); }

    sip::SipEndpoint& endpoint() { return *endpoint_; }

  private:
    struct Call;
    struct Transfer;
    class Sink;
    class Media;
    friend class Media;

    void onInvite(const sip::InboundInvite& invite);
    void refuse(const std::string& callId, int status, const std::string& reason);
    // Why a call could not join its participant's session; nullopt: it joined.
    using JoinDone = std::function<void(std::optional<media::PhoneJoinFailure>)>;
    void join(const std::string& callId, const sip::RemoteMedia& remote,
              const std::string& accountId, const std::string& participantId, bool inbound,
              const JoinDone& done);
    void end(const std::string& callId, const std::string& reason, bool hangupSip);
    std::shared_ptr<Call> newCall(const std::string& callId, const sip::RemoteMedia* remote,
                                  std::string& error);
    void attach(const std::shared_ptr<Call>& call, const JoinDone& done);
    // INVITE through the trunk with a new pipeline's ports in the offer; the call is registered
    // under the endpoint's id. nullptr (and `error`) when no RTP port is free.
    std::shared_ptr<Call> dialOut(const std::string& pendingId, const std::string& toUri,
                                  const std::string& from, const std::string& userToUser,
                                  double timeoutSeconds, std::string& error,
                                  const std::string& displayName = {},
                                  std::vector<std::string> diversion = {});
    void onOutboundAnswered(const std::string& sipId, const sip::RemoteMedia& remote);
    void onOutboundFailed(const std::string& sipId, int status, const std::string& reason);
    bool onTrunkInvite(const sip::InboundInvite& invite);
    bool isOwnUri(const std::string& uri) const;
    void onMediaChanged(const std::string& callId, const sip::RemoteMedia& remote);
    void watchRtp(Call& call);
    // <Transfer> out of this server (TransferLegs.cpp).
    void transferOut(const std::shared_ptr<Call>& aLeg, const voice::TransferRequest& request,
                     std::function<void(std::size_t)> answered,
                     std::function<void(voice::TransferOutcome)> done);
    void onLegAnswered(const std::shared_ptr<Call>& leg, const sip::RemoteMedia& remote);
    void legEnded(Call& leg, const std::string& cause, const std::string& errorMessage);
    void hangUpLegs(const std::shared_ptr<Transfer>& transfer, const std::string& cause,
                    const std::string& reason);
    void connectAudio(Call& a, Call& b);
    std::string trunkUriFor(const std::string& to) const;
    // --- rooms: <Bridge> between two voice calls (VoiceRooms.cpp) ---
    struct BridgeLink;
    void bridgeCalls(const std::string& originId, const std::string& targetId,
                     const voice::CallMedia::Done& connected,
                     std::function<void(bool targetLeft)> ended);
    void unbridge(Call& leaving);
    // <Forward>: the forwarded leg answered; an unanswered inbound call is answered now (200 OK).
    void answerForwarded(Call& call);

    boost::asio::strand<boost::asio::any_io_executor> strand_;
    BridgeConfig config_;
    const auth::TokenService& tokens_;
    session::CallControl& calls_;
    std::shared_ptr<media::MediaOrchestrator> media_;
    std::shared_ptr<sip::media::PortAllocator> ports_;
    std::unique_ptr<sip::SipEndpoint> endpoint_;
    std::map<std::string, std::shared_ptr<Call>> active_;
    UnclaimedInvite unclaimed_;
    BridgeStats stats_;
    voice::VoiceService* const voice_;
    voice::CallbackClient* const http_;
    std::map<std::string, std::string> voiceToSip_;  // voice call id → SIP endpoint call id
    AddressList trunkAddresses_;

    // ivr (VoiceIvr.cpp)
  public:
    sip::media::SpeechService::Stats speechStats() const;

  private:
    sip::media::SpeechService& speech();
    // Creates the SpeechService on the strand, which warms flite's voices on a worker (issue 9:
    // the first SpeakSentence must not pay for loading them).
    void warmSpeech();
    // SpeakSentence: synthesizes (or takes from the cache) and plays on the call `sipId`.
    void speak(const std::string& sipId, const std::string& text, const std::string& voice,
               const voice::CallMedia::Done& done);
    // PlayAudio: decodes a fetched file off the strand and plays it on the call `sipId`.
    void playFetched(const std::string& sipId, std::string bytes,
                     const voice::CallMedia::Done& done);
    void playClip(const std::string& sipId, std::vector<std::int16_t> samples,
                  const voice::CallMedia::Done& done);
    std::shared_ptr<sip::media::SpeechService> speech_;
    const std::shared_ptr<VoiceRecorder> recorder_;  // record (issue 9)

    // conf (issue 9; VoiceConference.cpp)
  public:
    // Conference rooms as WebRTC sessions of CallControl (ConferenceService creates and deletes
    // them).
    std::shared_ptr<voice::ConferenceRooms> conferenceRooms();

  private:
    struct ConferenceLink;
    void joinConference(Call& call, const std::string& accountId, const std::string& sessionId,
                        bool mute, bool hold, voice::CallMedia::Done joined,
                        std::function<void(std::string)> left);
    void setConferenceAudio(Call& call, bool mute, bool hold);
    // Takes the call out of its conference room (detach, participant deleted); `why` as left()'s.
    void leaveConference(Call& call, const std::string& why);
};

}  // namespace sb::bridge
