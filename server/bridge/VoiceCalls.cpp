// The voice API side of the SIP bridge (issue 4): outbound calls through the configured trunk,
// inbound calls from the trunk to configured numbers, and voice::CallMedia — what BXML verbs do
// to a call: play a WAV, send DTMF, transfer into a WebRTC session (or out through the trunk:
// TransferLegs.cpp), hang up.

#include <boost/asio/post.hpp>
#include <algorithm>

#include "server/api/ApiError.hpp"
#include "server/app/Log.hpp"
#include "server/bridge/SipBridge.hpp"
#include "server/bridge/BridgeCall.hpp"
#include "server/bridge/VoiceRecorder.hpp"
#include "server/sip/media/WavFile.hpp"
#include "server/sip/endpoint/UserToUser.hpp"

namespace sb::bridge {

namespace {

std::string causeForStatus(int status) {
    if (status == 486 || status == 600) return voice::cause::kBusy;
    if (status == 408 || status == 480) return voice::cause::kTimeout;
    if (status == 487) return voice::cause::kCancel;
    if (status == 403 || status == 404 || status == 603) return voice::cause::kRejected;
    return voice::cause::kError;
}

// "sip:user@host:port;params" → "host:port" (port 5060 when absent).
std::string hostPortOf(const std::string& uri) {
    std::string rest = uri.rfind("sip:", 0) == 0 ? uri.substr(4) : uri;
    auto at = rest.find('@');
    if (at != std::string::npos) rest = rest.substr(at + 1);
    rest = rest.substr(0, rest.find_first_of(";?>"));
    if (rest.find(':') == std::string::npos) rest += ":5060";
    return rest;
}

}  // namespace

// What BXML does to one call, on the bridge's strand.
class SipBridge::Media : public voice::CallMedia {
public:
    Media(std::weak_ptr<SipBridge> bridge, std::string sipId) : bridge_(std::move(bridge)), sipId_(std::move(sipId)) {}

    void answer(Done done) override {
        run([done](SipBridge& b, Call& call) {
            sip::LocalMedia local;
            local.address = b.config_.rtpAddress;
            local.port = call.pipeline->phonePort();
            // What the pipeline was set up for (newCall): the codec chosen from the offer.
            local.codec = call.remote.codec;
            local.telephoneEventPt = call.remote.telephoneEventPt;
            b.endpoint_->answer(call.id, local);
            call.pipeline->start();
            done(true, "");
        }, done);
    }

    void playAudio(const std::string& url, const std::optional<voice::BasicCredentials>& credentials, Done done) override {
        std::weak_ptr<SipBridge> weak = bridge_;
        run([weak, id = sipId_, url, credentials, done](SipBridge& bridge, Call& call) {
            if (!bridge.http_) return done(false, "no HTTP client to fetch audio");
            // The account's outbound policy applies to media URLs as to callbacks.
            voice::CallbackScope scope{call.accountId, call.voiceCallId};
            scope.credentials = credentials;
            bridge.http_->post(scope, url, "GET", nlohmann::json::object(), [weak, id, url, done](voice::CallbackResult r) {
                auto b = weak.lock();
                if (!b) return;
                asio::post(b->strand_, [b, id, url, done, r] {
                    auto it = b->active_.find(id);
                    if (it == b->active_.end()) return done(false, "call ended");
                    if (!r.ok()) return done(false, "cannot fetch audio: " + voice::describeFailure(r, url));
                    b->playFetched(id, r.body, done);  // decoded off the strand (VoiceIvr.cpp)
                });
            });
        }, done);
    }

    void sendDtmf(const std::string& digits, double toneMs, double gapMs, Done done) override {
        run([digits, toneMs, gapMs, done](SipBridge&, Call& call) {
            try {
                call.pipeline->sendDtmf(digits, std::chrono::milliseconds(static_cast<long>(toneMs)),
                                        std::chrono::milliseconds(static_cast<long>(gapMs)),
                                        [done](bool completed) { done(completed, completed ? "" : "DTMF interrupted"); });
            } catch (const std::exception& e) {
                done(false, e.what());
            }
        }, done);
    }

    // A <SipUri> of this server, or one whose uui carries a participant token (`;encoding=jwt`)
    // whatever its host, bridges the call into the session of the participant the token names,
    // without another SIP leg — as Bandwidth's Voice API did for generateTransferBxml's
    // sip:sipx.webrtc.bandwidth.com:5060 (issue 9 item 0). A token is never sent out through
    // the trunk: an invalid one, or one of another account, fails the transfer. Other targets
    // are dialed through the trunk (TransferLegs.cpp).
    void transfer(const voice::TransferRequest& request, std::function<void(std::size_t)> answered,
                  std::function<void(voice::TransferOutcome)> done) override {
        run([request, answered, done](SipBridge& b, Call& call) {
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
                    outcome.legs[i].errorMessage = "a <Transfer> into a session rings no other destination";
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
                    outcome.legs[i].errorMessage = "the participant token in the uui belongs to another account";
                    continue;
                }
                call.participantId = check.claims.participantId;
                auto shared = b.active_[call.id];
                b.attach(shared, [shared, i, outcome, answered, done](const std::string& err) mutable {
                    if (!err.empty()) {
                        outcome.legs[i].cause = voice::cause::kRejected;
                        outcome.legs[i].errorMessage = err;
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
        }, [done](bool, std::string) { done({}); });
    }

    // ---- ivr (VoiceIvr.cpp) ----
    void speak(const std::string& text, const std::string& voice, Done done) override {
        run([id = sipId_, text, voice, done](SipBridge& b, Call&) { b.speak(id, text, voice, done); }, done);
    }
    void onDigit(std::function<void(char)> handler) override {
        run([handler](SipBridge&, Call& call) { call.pipeline->onDigit(handler); }, nullptr);
    }

    void stop() override {
        run([](SipBridge& b, Call& call) {
            call.pipeline->stopPlayback();
            if (b.recorder_) b.recorder_->stopVerbRecordings(call.id);
            if (call.transfer) b.hangUpLegs(call.transfer, voice::cause::kCancel, "transfer stopped");
            if (call.bridged) b.unbridge(call);  // rooms: a redirected call leaves its <Bridge>
            if (call.conference) b.leaveConference(call, "");  // conf
        }, nullptr);
    }

    // record (issue 9): VoiceRecorder.cpp
    std::uint64_t startRecording(const voice::RecordingSpec& spec, voice::RecordingDone done) override {
        auto id = VoiceRecorder::newId();
        auto fail = [done](bool, std::string error) {
            voice::RecordingResult r;
            r.error = std::move(error);
            done(r);
        };
        run([id, spec, done, fail](SipBridge& b, Call& call) {
            if (!b.recorder_) return fail(false, "recordings are not enabled on this server");
            b.recorder_->start(id, call.id, call.pipeline, spec, done);
        }, fail);
        return id;
    }
    void setRecordingPaused(std::uint64_t id, bool paused) override {
        if (auto b = bridge_.lock(); b && b->recorder_) b->recorder_->setPaused(id, paused);
    }
    void stopRecording(std::uint64_t id) override {
        if (auto b = bridge_.lock(); b && b->recorder_) b->recorder_->stop(id);
    }

    void hangup() override {
        auto bridge = bridge_.lock();
        if (!bridge) return;
        asio::post(bridge->strand_, [bridge, id = sipId_] { bridge->end(id, "voice hangup", true); });
    }

    // rooms: <Bridge> (VoiceRooms.cpp does the wiring).
    void bridgeWith(const std::shared_ptr<voice::CallMedia>& target, Done connected,
                    std::function<void(bool)> ended) override {
        const auto* peer = dynamic_cast<const Media*>(target.get());
        if (!peer) return connected(false, "the target call has no SIP media on this server");
        run([targetId = peer->sipId_, connected, ended](SipBridge& b, Call& call) {
            b.bridgeCalls(call.id, targetId, connected, ended);
        }, connected);
    }

    // rooms: <Forward> is a <Transfer> to one target through the trunk whose end ends the call;
    // the caller is answered when the forwarded leg answers.
    void forward(const voice::TransferRequest& request, bool answerCaller, std::function<void()> answered,
                 std::function<void(voice::TransferOutcome)> done) override {
        std::weak_ptr<SipBridge> weak = bridge_;
        run([weak, request, answerCaller, answered, done](SipBridge& b, Call& call) {
            b.transferOut(b.active_[call.id], request, [weak, id = call.id, answerCaller, answered](std::size_t) {
                auto self = weak.lock();  // runs on the strand (onLegAnswered)
                if (!self) return;
                auto it = self->active_.find(id);
                if (it == self->active_.end()) return;
                if (answerCaller) self->answerForwarded(*it->second);
                answered();
            }, done);
        }, [done](bool, std::string) { done({}); });
    }

    // conf (VoiceConference.cpp)
    void joinConference(const std::string& accountId, const std::string& sessionId, bool mute, bool hold, Done joined,
                        std::function<void(std::string)> left) override {
        run([accountId, sessionId, mute, hold, joined, left](SipBridge& b, Call& call) {
            b.joinConference(call, accountId, sessionId, mute, hold, joined, left);
        }, joined);
    }
    void setConferenceAudio(bool mute, bool hold) override {
        run([mute, hold](SipBridge& b, Call& call) { b.setConferenceAudio(call, mute, hold); }, nullptr);
    }

private:
    template <typename F, typename Fail>
    void run(F f, Fail fail) {
        auto bridge = bridge_.lock();
        if (!bridge) {
            if constexpr (!std::is_same_v<Fail, std::nullptr_t>) fail(false, "server stopping");
            return;
        }
        asio::post(bridge->strand_, [bridge, id = sipId_, f, fail] {
            auto it = bridge->active_.find(id);
            if (it == bridge->active_.end()) {
                if constexpr (!std::is_same_v<Fail, std::nullptr_t>) fail(false, "call ended");
                return;
            }
            f(*bridge, *it->second);
        });
    }

    std::weak_ptr<SipBridge> bridge_;
    std::string sipId_;
};

bool SipBridge::isOwnUri(const std::string& uri) const {
    auto hp = hostPortOf(uri);
    auto own = config_.sip.bindAddress + ":" + std::to_string(sipPort());
    return hp == own || hp == "sipx.webrtc.bandwidth.com:5060" || hp == "localhost:" + std::to_string(sipPort());
}

// Toll fraud is the first attack on any SIP platform (DESIGN): calls leave only through the
// configured trunk; a sip: destination must be the trunk itself.
std::string SipBridge::trunkUriFor(const std::string& to) const {
    if (config_.trunk.empty()) throw api::ApiError(api::ErrorCode::Internal, "no SIP trunk is configured for outbound calls");
    auto trunkHost = hostPortOf(config_.trunk);
    if (to.rfind("sip:", 0) == 0) {
        if (hostPortOf(to) != trunkHost)
            throw api::ApiError(api::ErrorCode::Forbidden, "sip: destinations must go through the configured trunk", "to");
        return to;
    }
    return "sip:" + to + "@" + trunkHost;
}

void SipBridge::place(const voice::Call& vc) {
    std::string toUri = trunkUriFor(vc.to);  // throws: the REST request fails, nothing is placed
    auto self = shared_from_this();
    asio::post(strand_, [self, vc, toUri] {
        std::string error;
        auto call = self->dialOut("pending-" + vc.callId, toUri, vc.from, vc.uui.value_or(""), vc.callTimeout, error,
                                  vc.displayName.value_or(""));
        if (!call) {
            if (self->voice_) self->voice_->callFailed(vc.callId, voice::cause::kError, error);
            return;
        }
        call->voiceCallId = vc.callId;
        call->accountId = vc.accountId;
        self->voiceToSip_[vc.callId] = call->id;
    });
}

std::shared_ptr<SipBridge::Call> SipBridge::dialOut(const std::string& pendingId, const std::string& toUri,
                                                    const std::string& from, const std::string& userToUser,
                                                    double timeoutSeconds, std::string& error,
                                                    const std::string& displayName,
                                                    std::vector<std::string> diversion) {
    auto call = newCall(pendingId, nullptr, error);  // its ports are in our offer
    if (!call) return nullptr;
    sip::OutboundCall oc;
    oc.toUri = toUri;
    oc.fromUri = from.rfind("sip:", 0) == 0 ? from : "sip:" + from + "@" + config_.sip.bindAddress;
    if (!displayName.empty()) {
        // createCall's displayName: the From display name as a quoted-string, '"' and '\' escaped
        // as quoted-pairs (RFC 3261 §25.1); VoiceApi has refused control characters.
        std::string quoted;
        for (char c : displayName) {
            if (c == '"' || c == '\\') quoted += '\\';
            quoted += c;
        }
        oc.fromUri = "\"" + quoted + "\" <" + oc.fromUri + ">";
    }
    oc.userToUser = userToUser;
    oc.diversion = std::move(diversion);
    oc.local.address = config_.rtpAddress;
    oc.local.port = call->pipeline->phonePort();
    oc.timeout = std::chrono::seconds(static_cast<long>(timeoutSeconds > 0 ? timeoutSeconds : 30));
    std::string sipId = endpoint_->dial(oc);
    active_.erase(pendingId);
    call->id = sipId;
    call->inbound = false;
    call->sink = std::make_shared<Sink>(weak_from_this(), sipId);
    active_[sipId] = call;
    stats_.activeCalls = active_.size();
    return call;
}

void SipBridge::cancel(const std::string& voiceCallId) {
    asio::post(strand_, [self = shared_from_this(), voiceCallId] {
        auto it = self->voiceToSip_.find(voiceCallId);
        if (it == self->voiceToSip_.end()) return;
        self->end(it->second, "voice hangup", true);
    });
}

void SipBridge::onOutboundAnswered(const std::string& sipId, const sip::RemoteMedia& remote) {
    auto it = active_.find(sipId);
    if (it == active_.end()) return;
    auto call = it->second;
    if (call->legOf) return onLegAnswered(call, remote);
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(remote.address, ec);
    if (!ec) call->pipeline->setPhoneRemote(CallAudioPipeline::Endpoint(addr, remote.port));
    call->pipeline->setPhoneDirection(remote.sends, remote.receives);
    call->pipeline->start();
    call->media = std::make_shared<Media>(weak_from_this(), sipId);
    if (voice_) voice_->callAnswered(call->voiceCallId, call->media);
}

void SipBridge::onOutboundFailed(const std::string& sipId, int status, const std::string& reason) {
    auto it = active_.find(sipId);
    if (it == active_.end()) return;
    auto call = it->second;
    active_.erase(it);
    stats_.activeCalls = active_.size();
    call->pipeline->stop();
    if (call->legOf) return legEnded(*call, causeForStatus(status), std::to_string(status) + " " + reason);
    voiceToSip_.erase(call->voiceCallId);
    if (voice_) voice_->callFailed(call->voiceCallId, causeForStatus(status), std::to_string(status) + " " + reason);
}

// An INVITE from the trunk to one of the configured numbers: the number's application decides
// (Bandwidth's "initiate" event), and its BXML runs on the call.
bool SipBridge::onTrunkInvite(const sip::InboundInvite& invite) {
    if (!voice_) return false;
    // The user part as sofia's URI parser found it; numbers are short, anything long is not one.
    const std::string& number = invite.requestUser;
    if (number.empty() || number.size() > 32) return false;
    const InboundNumber* target = nullptr;
    for (const auto& n : config_.numbers)
        if (n.number == number) target = &n;
    if (!target) return false;
    // Only the trunk delivers calls to the numbers (toll fraud and spam otherwise: anyone who
    // reaches the SIP port could start the number's application).
    if (!trunkAddresses_.contains(invite.sourceAddress)) {
        ++stats_.untrustedTrunkInvites;
        refuse(invite.callId, 403, "INVITE for " + number + " from " + invite.sourceAddress + ", not a trunk address");
        return true;
    }
    std::string error;
    auto call = newCall(invite.callId, &invite.remote, error);
    if (!call) {
        refuse(invite.callId, 503, error);
        return true;
    }
    call->inbound = true;
    call->accountId = target->accountId;
    call->diversion = invite.diversion;  // info: <Forward diversionTreatment="propagate|stack">
    call->media = std::make_shared<Media>(weak_from_this(), invite.callId);
    voice::InboundCall inbound;
    inbound.accountId = target->accountId;
    inbound.applicationId = target->applicationId;
    // The caller's number (From's user part), bounded like any number we keep.
    inbound.from = invite.fromUser.size() <= 64 ? invite.fromUser : invite.fromUser.substr(0, 64);
    inbound.to = number;
    inbound.initiateUrl = target->initiateUrl;
    inbound.disconnectUrl = target->disconnectUrl;
    try {
        auto vc = voice_->acceptInbound(inbound, call->media);
        call->voiceCallId = vc.callId;
        voiceToSip_[vc.callId] = invite.callId;
    } catch (const std::exception& e) {
        active_.erase(invite.callId);
        stats_.activeCalls = active_.size();
        call->pipeline->stop();
        refuse(invite.callId, 486, e.what());
    }
    return true;
}

}  // namespace sb::bridge
