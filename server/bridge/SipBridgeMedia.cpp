// SipBridge::Media (SipBridgeMedia.hpp): each BXML operation on a SIP call, run on the bridge's
// strand against the call's pipeline and the bridge's parts.

#include "server/bridge/SipBridgeMedia.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>

#include "server/bridge/BridgeCall.hpp"
#include "server/bridge/VoiceRecorder.hpp"
#include "server/sip/endpoint/UserToUser.hpp"

namespace sb::bridge {

template <typename F>
void SipBridge::Media::run(F f, Done fail) {
    auto bridge = bridge_.lock();
    if (!bridge) {
        if (fail) fail(false, "server stopping");
        return;
    }
    asio::post(bridge->strand_, [bridge, id = sipId_, f, fail] {
        auto it = bridge->active_.find(id);
        if (it == bridge->active_.end()) {
            if (fail) fail(false, "call ended");
            return;
        }
        f(*bridge, *it->second);
    });
}

void SipBridge::Media::answer(Done done) {
    run(
        [done](SipBridge& b, Call& call) {
            sip::LocalMedia local;
            local.address = b.config_.rtpAddress;
            local.port = call.pipeline->phonePort();
            // What the pipeline was set up for (newCall): the codec chosen from the offer.
            local.codec = call.remote.codec;
            local.telephoneEventPt = call.remote.telephoneEventPt;
            b.endpoint_->answer(call.id, local);
            call.pipeline->start();
            done(true, "");
        },
        done);
}

void SipBridge::Media::playAudio(const std::string& url,
                                 const std::optional<voice::BasicCredentials>& credentials,
                                 Done done) {
    std::weak_ptr<SipBridge> weak = bridge_;
    run(
        [weak, id = sipId_, url, credentials, done](SipBridge& bridge, Call& call) {
            if (!bridge.http_) return done(false, "no HTTP client to fetch audio");
            // The account's outbound policy applies to media URLs as to callbacks.
            voice::CallbackScope scope{call.accountId, call.voiceCallId};
            scope.credentials = credentials;
            bridge.http_->post(
                scope, url, "GET", nlohmann::json::object(),
                [weak, id, url, done](const voice::CallbackResult& r) {
                    auto b = weak.lock();
                    if (!b) return;
                    asio::post(b->strand_, [b, id, url, done, r] {
                        auto it = b->active_.find(id);
                        if (it == b->active_.end()) return done(false, "call ended");
                        if (!r.ok())
                            return done(false,
                                        "cannot fetch audio: " + voice::describeFailure(r, url));
                        b->playFetched(id, r.body, done);  // decoded off the strand (VoiceIvr.cpp)
                    });
                });
        },
        done);
}

void SipBridge::Media::sendDtmf(const std::string& digits, double toneMs, double gapMs, Done done) {
    run(
        [digits, toneMs, gapMs, done](SipBridge&, Call& call) {
            try {
                call.pipeline->sendDtmf(
                    digits, std::chrono::milliseconds(static_cast<long>(toneMs)),
                    std::chrono::milliseconds(static_cast<long>(gapMs)), [done](bool completed) {
                        done(completed, completed ? "" : "DTMF interrupted");
                    });
            } catch (const std::exception& e) {
                done(false, e.what());
            }
        },
        done);
}

// A <SipUri> of this server, or one whose uui carries a participant token (`;encoding=jwt`)
// whatever its host, bridges the call into the session of the participant the token names,
// without another SIP leg — as Bandwidth's Voice API did for generateTransferBxml's
// sip:sipx.webrtc.bandwidth.com:5060 (issue 9 item 0). A token is never sent out through
// the trunk: an invalid one, or one of another account, fails the transfer. Other targets
// are dialed through the trunk (TransferLegs.cpp).
void SipBridge::Media::transfer(const voice::TransferRequest& request,
                                std::function<void(std::size_t)> answered,
                                std::function<void(voice::TransferOutcome)> done) {
    run(
        [request, answered, done](SipBridge& b, Call& call) {
            auto own = [&b](const voice::bxml::TransferTarget& target) {
                const auto* sip = std::get_if<voice::bxml::SipUriTarget>(&target);
                return sip && (b.isOwnUri(sip->uri) || sip::carriesUuiToken(sip->uui.value_or("")));
            };
            if (std::none_of(request.targets.begin(), request.targets.end(), own))
                return b.transferOut(b.active_[call.id], request, answered, done);
            voice::TransferOutcome outcome;
            outcome.legs.resize(request.targets.size());
            for (std::size_t i = 0; i < request.targets.size(); ++i) {
                const auto* sipTarget = std::get_if<voice::bxml::SipUriTarget>(&request.targets[i]);
                if (!own(request.targets[i])) {
                    outcome.legs[i].cause = voice::cause::kError;
                    outcome.legs[i].errorMessage =
                        "a <Transfer> into a session rings no other destination";
                    continue;
                }
                std::string token;
                try {
                    token = sip::extractUuiToken(sipTarget->uui.value_or("")).token;
                } catch (const std::exception& e) {
                    outcome.legs[i].cause = voice::cause::kRejected;
                    outcome.legs[i].errorMessage = e.what();
                    continue;
                }
                auto check = b.tokens_.verify(token, b.calls_.now());
                if (!check) {
                    outcome.legs[i].cause = voice::cause::kRejected;
                    outcome.legs[i].errorMessage = auth::tokenErrorMessage(*check.error);
                    continue;
                }
                if (check.claims.accountId != call.accountId) {
                    // Another account's participant: its session is not this call's to join.
                    outcome.legs[i].cause = voice::cause::kRejected;
                    outcome.legs[i].errorMessage =
                        "the participant token in the uui belongs to another account";
                    continue;
                }
                call.participantId = check.claims.participantId;
                auto shared = b.active_[call.id];
                b.attach(shared, [shared, i, outcome, answered,
                                  done](std::optional<media::PhoneJoinFailure> failure) mutable {
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
        },
        [done](bool, const std::string&) { done({}); });
}

// ivr (VoiceIvr.cpp)
void SipBridge::Media::speak(const std::string& text, const std::string& voice, Done done) {
    run([id = sipId_, text, voice, done](SipBridge& b, Call&) { b.speak(id, text, voice, done); },
        done);
}
void SipBridge::Media::onDigit(std::function<void(char)> handler) {
    run([handler](SipBridge&, Call& call) { call.pipeline->onDigit(handler); }, nullptr);
}

void SipBridge::Media::stop() {
    run(
        [](SipBridge& b, Call& call) {
            call.pipeline->stopPlayback();
            if (b.recorder_) b.recorder_->stopVerbRecordings(call.id);
            if (call.transfer)
                b.hangUpLegs(call.transfer, voice::cause::kCancel, "transfer stopped");
            if (call.bridged) b.unbridge(call);  // rooms: a redirected call leaves its <Bridge>
            if (call.conference) b.leaveConference(call, "");  // conf
        },
        nullptr);
}

// record (issue 9): VoiceRecorder.cpp
std::uint64_t SipBridge::Media::startRecording(const voice::RecordingSpec& spec,
                                               voice::RecordingDone done) {
    auto id = VoiceRecorder::newId();
    auto fail = [done](bool, std::string error) {
        voice::RecordingResult r;
        r.error = std::move(error);
        done(r);
    };
    run(
        [id, spec, done, fail](SipBridge& b, Call& call) {
            if (!b.recorder_) return fail(false, "recordings are not enabled on this server");
            b.recorder_->start(id, call.id, call.pipeline, spec, done);
        },
        fail);
    return id;
}
void SipBridge::Media::setRecordingPaused(std::uint64_t id, bool paused) {
    if (auto b = bridge_.lock(); b && b->recorder_) b->recorder_->setPaused(id, paused);
}
void SipBridge::Media::stopRecording(std::uint64_t id) {
    if (auto b = bridge_.lock(); b && b->recorder_) b->recorder_->stop(id);
}

void SipBridge::Media::hangup() {
    auto bridge = bridge_.lock();
    if (!bridge) return;
    asio::post(bridge->strand_, [bridge, id = sipId_] { bridge->end(id, "voice hangup", true); });
}

// rooms: <Bridge> (VoiceRooms.cpp does the wiring).
void SipBridge::Media::bridgeWith(const std::shared_ptr<voice::CallMedia>& target, Done connected,
                                  std::function<void(bool)> ended) {
    const auto* peer = dynamic_cast<const Media*>(target.get());
    if (!peer) return connected(false, "the target call has no SIP media on this server");
    run([targetId = peer->sipId_, connected, ended](
            SipBridge& b, Call& call) { b.bridgeCalls(call.id, targetId, connected, ended); },
        connected);
}

// rooms: <Forward> is a <Transfer> to one target through the trunk whose end ends the call;
// the caller is answered when the forwarded leg answers.
void SipBridge::Media::forward(const voice::TransferRequest& request, bool answerCaller,
                               std::function<void()> answered,
                               std::function<void(voice::TransferOutcome)> done) {
    std::weak_ptr<SipBridge> weak = bridge_;
    run(
        [weak, request, answerCaller, answered, done](SipBridge& b, Call& call) {
            b.transferOut(
                b.active_[call.id], request,
                [weak, id = call.id, answerCaller, answered](std::size_t) {
                    auto self = weak.lock();  // runs on the strand (onLegAnswered)
                    if (!self) return;
                    auto it = self->active_.find(id);
                    if (it == self->active_.end()) return;
                    if (answerCaller) self->answerForwarded(*it->second);
                    answered();
                },
                done);
        },
        [done](bool, const std::string&) { done({}); });
}

// conf (VoiceConference.cpp)
void SipBridge::Media::joinConference(const std::string& accountId, const std::string& sessionId,
                                      bool mute, bool hold, Done joined,
                                      std::function<void(std::string)> left) {
    run(
        [accountId, sessionId, mute, hold, joined, left](SipBridge& b, Call& call) {
            b.joinConference(call, accountId, sessionId, mute, hold, joined, left);
        },
        joined);
}
void SipBridge::Media::setConferenceAudio(bool mute, bool hold) {
    run([mute, hold](SipBridge& b, Call& call) { b.setConferenceAudio(call, mute, hold); },
        nullptr);
}

}  // namespace sb::bridge
