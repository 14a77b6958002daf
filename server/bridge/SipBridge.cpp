#include "server/bridge/SipBridge.hpp"

#include <boost/asio/post.hpp>

#include "server/base/Log.hpp"
#include "server/bridge/BridgeCalls.hpp"
#include "server/bridge/SessionCalls.hpp"
#include "server/bridge/SipBridgeMedia.hpp"
#include "server/bridge/TransferLegs.hpp"
#include "server/bridge/Trunk.hpp"
#include "server/bridge/VoiceCalls.hpp"
#include "server/bridge/VoiceConference.hpp"
#include "server/bridge/VoiceIvr.hpp"
#include "server/bridge/VoiceRecorder.hpp"
#include "server/bridge/VoiceRooms.hpp"

namespace sb::bridge {

SipBridge::SipBridge(const asio::any_io_executor& executor, BridgeConfig config,
                     const auth::TokenService& tokens, session::CallControl& calls,
                     std::shared_ptr<media::MediaOrchestrator> media, BridgeVoice voice)
    : calls_(std::make_shared<BridgeCalls>(executor, std::move(config), tokens, calls,
                                           std::move(media), voice.service, voice.http)),
      trunk_(std::make_shared<Trunk>(calls_)),
      sessions_(std::make_shared<SessionCalls>(calls_, trunk_)),
      transfers_(std::make_shared<TransferLegs>(calls_, trunk_)),
      voiceCalls_(std::make_shared<VoiceCalls>(calls_, trunk_, transfers_)),
      rooms_(std::make_shared<VoiceRooms>(calls_)),
      conference_(std::make_shared<VoiceConference>(calls_)),
      ivr_(std::make_shared<VoiceIvr>(calls_)),
      recorder_(std::move(voice.recorder)) {}

SipBridge::~SipBridge() = default;

void SipBridge::place(const voice::Call& call) {
    voiceCalls_->place(call);
}

void SipBridge::cancel(const std::string& callId) {
    voiceCalls_->cancel(callId);
}

std::uint16_t SipBridge::sipPort() const {
    return calls_->sipPort();
}

BridgeStats SipBridge::stats() const {
    return calls_->stats();
}

std::size_t SipBridge::freeRtpPorts() const {
    return calls_->freeRtpPorts();
}

sip::media::SpeechService::Stats SipBridge::speechStats() const {
    return ivr_->stats();
}

sip::SipEndpoint& SipBridge::endpoint() {
    return calls_->endpoint();
}

std::shared_ptr<voice::ConferenceRooms> SipBridge::conferenceRooms() {
    return conference_->rooms();
}

void SipBridge::start() {
    std::weak_ptr<SipBridge> weak = shared_from_this();
    BridgeCalls::Hooks hooks;
    hooks.released = [weak](BridgeCall& call, const std::string& reason, bool hangupSip) {
        if (auto self = weak.lock()) self->released(call, reason, hangupSip);
    };
    hooks.leaveConference = [weak](BridgeCall& call, const std::string& why) {
        if (auto self = weak.lock()) self->conference_->leave(call, why);
    };
    calls_->setHooks(std::move(hooks));
    voiceCalls_->setMediaFactory(
        [weak](const std::string& sipId) { return std::make_shared<SipBridgeMedia>(weak, sipId); });

    // Every event is handled on the bridge's strand, by the part it concerns.
    auto onStrand = [weak](auto step) {
        if (auto self = weak.lock())
            asio::post(self->calls_->strand(), [self, step = std::move(step)] { step(*self); });
    };
    sip::SipEndpoint::Events events;
    events.onInvite = [onStrand](const sip::InboundInvite& invite) {
        onStrand([invite](SipBridge& b) { b.onInvite(invite); });
    };
    events.onAnswered = [onStrand](const std::string& callId, const sip::RemoteMedia& remote) {
        onStrand([callId, remote](SipBridge& b) { b.voiceCalls_->onAnswered(callId, remote); });
    };
    events.onRinging = [onStrand](const std::string& callId) {
        onStrand([callId](SipBridge& b) { b.voiceCalls_->onRinging(callId); });
    };
    events.onFailed = [onStrand](const std::string& callId, int status, const std::string& reason) {
        onStrand([callId, status, reason](SipBridge& b) {
            b.voiceCalls_->onFailed(callId, status, reason);
        });
    };
    events.onMediaChanged = [onStrand](const std::string& callId, const sip::RemoteMedia& remote) {
        onStrand([callId, remote](SipBridge& b) { b.calls_->onMediaChanged(callId, remote); });
    };
    events.onEnded = [onStrand](const std::string& callId, const std::string& reason) {
        onStrand([callId, reason](SipBridge& b) { b.calls_->end(callId, reason, false); });
    };
    // info: a digit from a SIP INFO request joins the call's RFC 4733 digit path, so every verb
    // and relay that reads digits gets it.
    events.onDigit = [onStrand](const std::string& callId, char digit) {
        onStrand([callId, digit](SipBridge& b) {
            if (auto call = b.calls_->find(callId)) call->pipeline->digitFromSignaling(digit);
        });
    };
    events.onConfirmed = [onStrand](const sip::SipDialog& dialog) {
        onStrand([dialog](SipBridge& b) {
            if (b.dialogs_) b.dialogs_->confirmed(dialog);
        });
    };
    const auto& config = calls_->config();
    if (!config.dialogsFile.empty()) dialogs_ = std::make_unique<LeftDialogs>(config.dialogsFile);
    calls_->setEndpoint(
        std::make_unique<sip::SipEndpoint>(calls_->strand(), config.sip, std::move(events)));
    calls_->endpoint().start();
    base::log(base::LogLevel::Info, "sip: listening on " + config.sip.bindAddress + ":" +
                                        std::to_string(calls_->sipPort()));
    // The calls a killed predecessor left get their BYE now (sip::LeftoverByes).
    if (dialogs_)
        leftoverByes_ =
            std::make_unique<sip::LeftoverByes>(dialogs_->takePrevious(), config.sip.bindAddress,
                                                config.sip.advertisedHost(), config.sip.userAgent);
    if (calls_->voice()) ivr_->warm();  // the first SpeakSentence need not wait for a voice
}

void SipBridge::stop() {
    calls_->stopAll();
}

void SipBridge::onInvite(const sip::InboundInvite& invite) {
    if (!invite.codecMatch) return calls_->refuse(invite.callId, 488, "PCMU or PCMA required");
    if (!invite.userToUser.empty()) return sessions_->onTokenInvite(invite);
    if (voiceCalls_->onTrunkInvite(invite)) return;
    if (unclaimed_ && unclaimed_(invite)) return;
    calls_->refuse(invite.callId, 403, "no participant token in User-To-User");
}

void SipBridge::released(BridgeCall& call, const std::string& reason, bool hangupSip) {
    if (dialogs_) dialogs_->ended(call.id);
    conference_->leave(call, "");  // conf
    sessions_->released(call);
    transfers_->released(call);
    rooms_->unbridge(call);  // rooms
    voiceCalls_->released(call, reason, hangupSip);
}

}  // namespace sb::bridge
