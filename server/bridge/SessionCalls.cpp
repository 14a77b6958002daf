#include "server/bridge/SessionCalls.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>

#include "server/base/Log.hpp"
#include "server/bridge/JoinStatus.hpp"
#include "server/session/SessionError.hpp"
#include "server/sip/endpoint/UserToUser.hpp"

namespace sb::bridge {

void SessionCalls::onTokenInvite(const sip::InboundInvite& invite) {
    // The endpoint parsed the header (RFC 7433); what it could not parse is refused here.
    if (!invite.userToUserError.empty())
        return calls_->refuse(invite.callId, 403, "bad User-To-User: " + invite.userToUserError);
    sip::UuiToken uui;
    try {
        uui = sip::extractUuiToken(invite.userToUserValues);
    } catch (const std::exception& e) {
        return calls_->refuse(invite.callId, 403, std::string("bad User-To-User: ") + e.what());
    }
    // The same check as the WebSocket (auth::TokenService::verify, DESIGN "Device token").
    auto check = calls_->tokens().verify(uui.token, calls_->control().now());
    if (!check)
        return calls_->refuse(invite.callId, 403,
                              std::string("token: ") + auth::tokenErrorMessage(*check.error));
    join(invite, check.claims.accountId, check.claims.participantId,
         [calls = calls_, callId = invite.callId](std::optional<media::PhoneJoinFailure> failure) {
             if (failure) calls->refuse(callId, sipStatusOf(failure->kind), failure->detail);
         });
}

void SessionCalls::join(const sip::InboundInvite& invite, const std::string& accountId,
                        const std::string& participantId, const JoinDone& done) {
    // (Media checks the participant again when the phone attaches: it may leave meanwhile.)
    try {
        auto p = calls_->control().participant(accountId, participantId);
        if (!p.sessionId)
            return done(media::PhoneJoinFailure{media::JoinError::NotInSession,
                                                "participant is not in a session"});
    } catch (const session::SessionError&) {
        return done(media::PhoneJoinFailure{media::JoinError::NoParticipant,
                                            "participant no longer exists"});
    }
    std::string error;
    auto call = calls_->create(invite.callId, &invite.remote, error);
    if (!call) return done(media::PhoneJoinFailure{media::JoinError::MediaUnavailable, error});
    call->accountId = accountId;
    call->participantId = participantId;
    call->inbound = true;
    attach(call,
           [calls = calls_, call, done](const std::optional<media::PhoneJoinFailure>& failure) {
               if (!failure) {
                   calls->answer(*call);
               } else {
                   calls->remove(call->id);
                   call->pipeline->stop();
               }
               done(failure);
           });
}

void SessionCalls::attach(const std::shared_ptr<BridgeCall>& call, const JoinDone& done) {
    const std::string callId = call->id;
    calls_->media().attachPhone(
        callId, call->accountId, call->participantId, call->pipeline->roomPort(), call->sink,
        [self = shared_from_this(), callId, done](
            const std::optional<media::PhoneJoinFailure>& failure,
            const media::PhoneEndpoint& janus) {
            asio::post(self->calls_->strand(), [self, callId, done, failure, janus] {
                self->attached(callId, failure, janus, done);
            });
        });
}

void SessionCalls::attached(const std::string& callId,
                            const std::optional<media::PhoneJoinFailure>& failure,
                            const media::PhoneEndpoint& janus, const JoinDone& done) {
    auto joined = calls_->find(callId);
    if (!joined) return done(media::PhoneJoinFailure{media::JoinError::CallEnded, "call ended"});
    if (failure) return done(failure);
    boost::system::error_code ec;
    joined->pipeline->setJanusRemote(
        CallAudioPipeline::Endpoint(asio::ip::make_address(janus.host, ec), janus.port));
    joined->attached = true;
    calls_->digitsToSession(*joined);
    ++calls_->stats().callsAnswered;
    base::log(base::LogLevel::Info, "sip: call " + callId + " joined the session of participant " +
                                        joined->participantId);
    done(std::nullopt);
}

// A <SipUri> of this server, or one whose uui carries a participant token (`;encoding=jwt`)
// whatever its host, bridges the call into the session of the participant the token names,
// without another SIP leg — as Bandwidth's Voice API did for generateTransferBxml's
// sip:sipx.webrtc.bandwidth.com:5060 (issue 9 item 0). A token is never sent out through
// the trunk: an invalid one, or one of another account, fails the transfer.
bool SessionCalls::intoSession(const voice::bxml::TransferTarget& target) const {
    const auto* sip = std::get_if<voice::bxml::SipUriTarget>(&target);
    return sip && (trunk_->isOwnUri(sip->uri) || sip::carriesUuiToken(sip->uui.value_or("")));
}

bool SessionCalls::entersSession(const voice::TransferRequest& request) const {
    return std::any_of(request.targets.begin(), request.targets.end(),
                       [this](const auto& target) { return intoSession(target); });
}

void SessionCalls::transferIn(BridgeCall& call, const voice::TransferRequest& request,
                              const std::function<void(std::size_t)>& answered,
                              const std::function<void(voice::TransferOutcome)>& done) {
    voice::TransferOutcome outcome;
    outcome.legs.resize(request.targets.size());
    for (std::size_t i = 0; i < request.targets.size(); ++i) {
        auto& leg = outcome.legs[i];
        if (!intoSession(request.targets[i])) {
            leg.cause = voice::cause::kError;
            leg.errorMessage = "a <Transfer> into a session rings no other destination";
            continue;
        }
        const auto& sipTarget = std::get<voice::bxml::SipUriTarget>(request.targets[i]);
        std::string token;
        try {
            token = sip::extractUuiToken(sipTarget.uui.value_or("")).token;
        } catch (const std::exception& e) {
            leg.cause = voice::cause::kRejected;
            leg.errorMessage = e.what();
            continue;
        }
        auto check = calls_->tokens().verify(token, calls_->control().now());
        if (!check) {
            leg.cause = voice::cause::kRejected;
            leg.errorMessage = auth::tokenErrorMessage(*check.error);
            continue;
        }
        if (check.claims.accountId != call.accountId) {
            // Another account's participant: its session is not this call's to join.
            leg.cause = voice::cause::kRejected;
            leg.errorMessage = "the participant token in the uui belongs to another account";
            continue;
        }
        call.participantId = check.claims.participantId;
        auto shared = calls_->find(call.id);
        attach(shared, [shared, i, outcome, answered,
                        done](const std::optional<media::PhoneJoinFailure>& failure) mutable {
            if (failure) {
                outcome.legs[i].cause = voice::cause::kRejected;
                outcome.legs[i].errorMessage = failure->detail;
                return done(outcome);
            }
            outcome.answeredIndex = i;
            outcome.legs[i].answered = true;
            answered(i);
            // The transfer lasts while the phone is in the session.
            shared->onLeftSession = [outcome, done] { done(outcome); };
        });
        return;
    }
    done(outcome);
}

void SessionCalls::released(BridgeCall& call) {
    if (call.attached) calls_->media().detachPhone(call.id);
    if (call.onLeftSession) std::exchange(call.onLeftSession, nullptr)();
}

}  // namespace sb::bridge
