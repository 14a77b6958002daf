#include "server/bridge/SipBridge.hpp"
#include "server/bridge/BridgeCall.hpp"
#include "server/bridge/JoinStatus.hpp"

#include <sofia-sip/url.h>
#include <boost/asio/post.hpp>

#include "server/base/Log.hpp"
#include "server/session/SessionError.hpp"
#include "server/sip/endpoint/UserToUser.hpp"

namespace sb::bridge {

SipBridge::SipBridge(const asio::any_io_executor& executor, BridgeConfig config,
                     const auth::TokenService& tokens, session::CallControl& calls,
                     std::shared_ptr<media::MediaOrchestrator> media, BridgeVoice voice)
    : strand_(asio::make_strand(executor)),
      config_(std::move(config)),
      tokens_(tokens),
      calls_(calls),
      media_(std::move(media)),
      ports_(std::make_shared<sip::media::PortAllocator>(config_.rtpPortMin, config_.rtpPortMax)),
      voice_(voice.service),
      http_(voice.http),
      recorder_(std::move(voice.recorder)) {
    if (!config_.trunkAddresses.empty()) {
        try {
            trunkAddresses_ = AddressList(config_.trunkAddresses);
        } catch (const std::invalid_argument& e) {
            throw std::invalid_argument(std::string("sipTrunkAddresses: ") + e.what());
        }
    } else if (!config_.trunk.empty()) {
        // Default: the trunk's own host, when it is an address (sofia's parser, not ours).
        auto* home = static_cast<su_home_t*>(su_home_new(sizeof(su_home_t)));
        if (url_t* url = url_make(home, config_.trunk.c_str()); url && url->url_host) {
            std::string host = url->url_host;
            if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
            boost::system::error_code ec;
            asio::ip::make_address(host, ec);
            if (!ec) trunkAddresses_ = AddressList({host});
        }
        su_home_unref(home);
    }
}

SipBridge::~SipBridge() = default;

void SipBridge::start() {
    std::weak_ptr<SipBridge> weak = shared_from_this();
    sip::SipEndpoint::Events events;
    events.onInvite = [weak](const sip::InboundInvite& invite) {
        if (auto self = weak.lock())
            asio::post(self->strand_, [self, invite] { self->onInvite(invite); });
    };
    events.onAnswered = [weak](const std::string& callId, const sip::RemoteMedia& remote) {
        if (auto self = weak.lock())
            asio::post(self->strand_,
                       [self, callId, remote] { self->onOutboundAnswered(callId, remote); });
    };
    events.onRinging = [weak](const std::string& callId) {
        if (auto self = weak.lock())
            asio::post(self->strand_, [self, callId] {
                auto it = self->active_.find(callId);
                if (it != self->active_.end() && self->voice_ && !it->second->voiceCallId.empty())
                    self->voice_->callRinging(it->second->voiceCallId);
            });
    };
    events.onFailed = [weak](const std::string& callId, int status, const std::string& reason) {
        if (auto self = weak.lock())
            asio::post(self->strand_, [self, callId, status, reason] {
                self->onOutboundFailed(callId, status, reason);
            });
    };
    events.onMediaChanged = [weak](const std::string& callId, const sip::RemoteMedia& remote) {
        if (auto self = weak.lock())
            asio::post(self->strand_,
                       [self, callId, remote] { self->onMediaChanged(callId, remote); });
    };
    events.onEnded = [weak](const std::string& callId, const std::string& reason) {
        if (auto self = weak.lock())
            asio::post(self->strand_, [self, callId, reason] { self->end(callId, reason, false); });
    };
    // info: a digit from a SIP INFO request joins the call's RFC 4733 digit path, so every verb
    // and relay that reads digits gets it.
    events.onDigit = [weak](const std::string& callId, char digit) {
        if (auto self = weak.lock())
            asio::post(self->strand_, [self, callId, digit] {
                auto it = self->active_.find(callId);
                if (it != self->active_.end()) it->second->pipeline->digitFromSignaling(digit);
            });
    };
    endpoint_ = std::make_unique<sip::SipEndpoint>(strand_, config_.sip, std::move(events));
    endpoint_->start();
    base::log(base::LogLevel::Info, "sip: listening on " + config_.sip.bindAddress + ":" +
                                        std::to_string(endpoint_->port()));
    if (voice_) warmSpeech();  // ivr
}

void SipBridge::stop() {
    if (endpoint_) endpoint_->stop();
    for (auto& [id, call] : active_) {
        call->pipeline->stop();
        media_->detachPhone(id);
    }
    active_.clear();
}

std::uint16_t SipBridge::sipPort() const {
    return endpoint_ ? endpoint_->port() : 0;
}

// The SIP response carries the status's standard phrase only (SipEndpoint::reject); the
// reason, which may quote what the caller sent, stays in the log.
void SipBridge::refuse(const std::string& callId, int status, const std::string& reason) {
    ++stats_.callsRefused;
    base::log(base::LogLevel::Info,
              "sip: refused call " + callId + ": " + std::to_string(status) + " " + reason);
    endpoint_->reject(callId, status);
}

void SipBridge::onInvite(const sip::InboundInvite& invite) {
    if (!invite.codecMatch) return refuse(invite.callId, 488, "PCMU or PCMA required");
    if (invite.userToUser.empty()) {
        if (onTrunkInvite(invite)) return;
        if (unclaimed_ && unclaimed_(invite)) return;
        return refuse(invite.callId, 403, "no participant token in User-To-User");
    }
    // The endpoint parsed the header (RFC 7433); what it could not parse is refused here.
    if (!invite.userToUserError.empty())
        return refuse(invite.callId, 403, "bad User-To-User: " + invite.userToUserError);
    sip::UuiToken uui;
    try {
        uui = sip::extractUuiToken(invite.userToUserValues);
    } catch (const std::exception& e) {
        return refuse(invite.callId, 403, std::string("bad User-To-User: ") + e.what());
    }
    // The same check as the WebSocket (auth::TokenService::verify, DESIGN "Device token").
    auto check = tokens_.verify(uui.token, calls_.now());
    if (!check)
        return refuse(invite.callId, 403,
                      std::string("token: ") + auth::tokenErrorMessage(*check.error));
    join(invite.callId, invite.remote, check.claims.accountId, check.claims.participantId, true,
         [self = shared_from_this(),
          callId = invite.callId](std::optional<media::PhoneJoinFailure> failure) {
             if (failure) self->refuse(callId, sipStatusOf(failure->kind), failure->detail);
         });
}

std::shared_ptr<SipBridge::Call> SipBridge::newCall(const std::string& callId,
                                                    const sip::RemoteMedia* remote,
                                                    std::string& error) {
    CallAudioPipeline::Config pc;
    boost::system::error_code ec;
    pc.phoneAddress = asio::ip::make_address(config_.rtpAddress, ec);
    pc.roomAddress = pc.phoneAddress;
    if (!remote) {
        // Outbound: our offer lists PCMU first and telephone-event as 101 (SipEndpoint::dial), and
        // answerers keep the offer's payload numbers (RFC 3264 §6.1), so these are what we get.
        pc.phoneEventPayloadType = 101;
    } else {
        pc.phoneLaw =
            remote->codec == sip::G711::Pcma ? sip::media::G711Law::A : sip::media::G711Law::Mu;
        if (remote->telephoneEventPt >= 0)
            pc.phoneEventPayloadType = static_cast<std::uint8_t>(remote->telephoneEventPt);
        auto phoneAddr = asio::ip::make_address(remote->address, ec);
        if (!ec) pc.phoneRemote = CallAudioPipeline::Endpoint(phoneAddr, remote->port);
    }
    pc.phoneGuard = config_.rtpGuard;
    auto call = std::make_shared<Call>();
    call->id = callId;
    if (remote) call->remote = *remote;
    try {
        call->pipeline = CallAudioPipeline::create(strand_.get_inner_executor(), pc, ports_);
    } catch (const std::exception& e) {
        error = std::string("no RTP port free: ") + e.what();
        return nullptr;
    }
    if (remote) call->pipeline->setPhoneDirection(remote->sends, remote->receives);
    watchRtp(*call);
    call->sink = std::make_shared<Sink>(weak_from_this(), callId);
    active_[callId] = call;
    stats_.activeCalls = active_.size();
    return call;
}

void SipBridge::join(const std::string& callId, const sip::RemoteMedia& remote,
                     const std::string& accountId, const std::string& participantId, bool inbound,
                     const JoinDone& done) {
    // (Media checks the participant again when the phone attaches: it may leave meanwhile.)
    try {
        auto p = calls_.participant(accountId, participantId);
        if (!p.sessionId)
            return done(media::PhoneJoinFailure{media::JoinError::NotInSession,
                                                "participant is not in a session"});
    } catch (const session::SessionError&) {  // not found: the only refusal of participant()
        return done(media::PhoneJoinFailure{media::JoinError::NoParticipant,
                                            "participant no longer exists"});
    }
    std::string error;
    auto call = newCall(callId, &remote, error);
    if (!call) return done(media::PhoneJoinFailure{media::JoinError::MediaUnavailable, error});
    call->accountId = accountId;
    call->participantId = participantId;
    call->inbound = inbound;
    attach(call, [self = shared_from_this(), call, remote,
                  done](const std::optional<media::PhoneJoinFailure>& failure) {
        if (!failure) {
            sip::LocalMedia local;
            local.address = self->config_.rtpAddress;
            local.port = call->pipeline->phonePort();
            local.codec = remote.codec;
            local.telephoneEventPt = remote.telephoneEventPt;
            self->endpoint_->answer(call->id, local);
            call->pipeline->start();
        } else {
            self->active_.erase(call->id);
            self->stats_.activeCalls = self->active_.size();
            call->pipeline->stop();
        }
        done(failure);
    });
}

// Makes the call's audio its participant's audio in the participant's session.
void SipBridge::attach(const std::shared_ptr<Call>& call, const JoinDone& done) {
    const std::string callId = call->id;
    media_->attachPhone(
        callId, call->accountId, call->participantId, call->pipeline->roomPort(), call->sink,
        [self = shared_from_this(), callId, done](
            const std::optional<media::PhoneJoinFailure>& failure,
            const media::PhoneEndpoint& janus) {
            asio::post(self->strand_, [self, callId, done, failure, janus] {
                auto it = self->active_.find(callId);
                if (it == self->active_.end())
                    return done(media::PhoneJoinFailure{media::JoinError::CallEnded, "call ended"});
                if (failure) return done(failure);
                auto joined = it->second;
                boost::system::error_code ec;
                joined->pipeline->setJanusRemote(CallAudioPipeline::Endpoint(
                    asio::ip::make_address(janus.host, ec), janus.port));
                joined->attached = true;
                std::weak_ptr<media::MediaOrchestrator> media = self->media_;
                joined->pipeline->onDigit([media, callId](char digit) {
                    if (auto m = media.lock()) m->phoneDigit(callId, digit);
                });
                ++self->stats_.callsAnswered;
                base::log(base::LogLevel::Info, "sip: call " + callId +
                                                    " joined the session of participant " +
                                                    joined->participantId);
                done(std::nullopt);
            });
        });
}

// A phone that stopped sending RTP vanished (no BYE): end the call with BYE, which frees its
// ports, its Janus publisher and its call slot. The id is read when it fires: an outbound
// call is renamed from its pending id once dialed.
void SipBridge::watchRtp(Call& call) {
    std::weak_ptr<SipBridge> weak = weak_from_this();
    call.pipeline->onPhoneInactive(
        [weak, pipeline = std::weak_ptr<CallAudioPipeline>(call.pipeline)] {
            auto self = weak.lock();
            if (!self) return;
            asio::post(self->strand_, [self, pipeline] {
                for (auto& [id, c] : self->active_) {
                    if (c->pipeline != pipeline.lock()) continue;
                    ++self->stats_.callsRtpTimedOut;
                    const std::string callId = id;  // end() erases the entry
                    return self->end(callId, "no RTP from the phone (inactivity timeout)", true);
                }
            });
        });
}

void SipBridge::onMediaChanged(const std::string& callId, const sip::RemoteMedia& remote) {
    auto it = active_.find(callId);
    if (it == active_.end()) return;
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(remote.address, ec);
    if (!ec) it->second->pipeline->setPhoneRemote(CallAudioPipeline::Endpoint(addr, remote.port));
    it->second->pipeline->setPhoneDirection(remote.sends, remote.receives);
    base::log(base::LogLevel::Info,
              "sip: call " + callId + " media changed: " + (remote.sends ? "" : "not ") +
                  "sending, " + (remote.receives ? "" : "not ") + "receiving");
}

void SipBridge::end(const std::string& callId, const std::string& reason, bool hangupSip) {
    auto it = active_.find(callId);
    if (it == active_.end()) return;
    auto call = it->second;
    active_.erase(it);
    stats_.activeCalls = active_.size();
    ++stats_.callsEnded;
    if (hangupSip) endpoint_->hangup(callId);
    call->pipeline->stop();
    if (call->conference) leaveConference(*call, "");  // conf
    if (call->attached) media_->detachPhone(callId);
    if (call->onLeftSession) std::exchange(call->onLeftSession, nullptr)();
    if (call->legOf) legEnded(*call, voice::cause::kHangup, "");
    if (call->transfer)
        hangUpLegs(call->transfer, voice::cause::kCancel, "transfer: the caller is gone");
    if (call->bridged) unbridge(*call);  // rooms
    if (!call->voiceCallId.empty()) {
        voiceToSip_.erase(call->voiceCallId);
        // The far end hung up (or the server ended the call): the voice API sends its callback.
        // So does a hangup sent to the phone, unless the voice API asked for it.
        if (voice_ && (!hangupSip || reason != "voice hangup"))
            voice_->callHungUp(call->voiceCallId);
    }
    auto st = call->pipeline->stats();  // atomics: readable from here
    stats_.rtpForeignPackets += st.phonePacketsForeign;
    base::log(base::LogLevel::Info,
              "sip: call " + callId + " ended: " + reason + " (RTP from the phone " +
                  std::to_string(st.phonePacketsIn) + ", dropped " +
                  std::to_string(st.phonePacketsDropped) + " (" +
                  std::to_string(st.phonePacketsForeign) + " from other sources)" + ", relayed " +
                  std::to_string(st.janusPacketsOut) + "; to the phone " +
                  std::to_string(st.phonePacketsOut) + ", room streams in " +
                  std::to_string(st.roomPacketsIn) + ")");
}

}  // namespace sb::bridge
