#include "server/bridge/SipBridgeMedia.hpp"

#include <boost/asio/post.hpp>

#include "server/bridge/BridgeCalls.hpp"
#include "server/bridge/SessionCalls.hpp"
#include "server/bridge/SipBridge.hpp"
#include "server/bridge/TransferLegs.hpp"
#include "server/bridge/VoiceConference.hpp"
#include "server/bridge/VoiceIvr.hpp"
#include "server/bridge/VoiceRecorder.hpp"
#include "server/bridge/VoiceRooms.hpp"

namespace sb::bridge {

template <typename F>
void SipBridgeMedia::run(F f, Done fail) {
    auto bridge = bridge_.lock();
    if (!bridge) {
        if (fail) fail(false, "server stopping");
        return;
    }
    asio::post(bridge->calls_->strand(),
               [bridge, id = sipId_, f = std::move(f), fail = std::move(fail)] {
                   auto call = bridge->calls_->find(id);
                   if (!call) {
                       if (fail) fail(false, "call ended");
                       return;
                   }
                   f(*bridge, *call);
               });
}

void SipBridgeMedia::answer(Done done) {
    run(
        [done](SipBridge& b, BridgeCall& call) {
            b.calls_->answer(call);
            done(true, "");
        },
        done);
}

void SipBridgeMedia::playAudio(const std::string& url,
                               const std::optional<voice::BasicCredentials>& credentials,
                               Done done) {
    run([url, credentials, done](
            SipBridge& b, BridgeCall& call) { b.ivr_->playAudio(call, url, credentials, done); },
        done);
}

void SipBridgeMedia::sendDtmf(const std::string& digits, double toneMs, double gapMs, Done done) {
    run(
        [digits, toneMs, gapMs, done](SipBridge&, BridgeCall& call) {
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

// Into a WebRTC session when a target is this server or carries a participant token
// (SessionCalls); else every target is dialed through the trunk (TransferLegs).
void SipBridgeMedia::transfer(const voice::TransferRequest& request,
                              std::function<void(std::size_t)> answered,
                              std::function<void(voice::TransferOutcome)> done) {
    run(
        [request, answered, done](SipBridge& b, BridgeCall& call) {
            if (b.sessions_->entersSession(request))
                return b.sessions_->transferIn(call, request, answered, done);
            b.transfers_->transferOut(call, request, answered, done);
        },
        [done](bool, const std::string&) { done({}); });
}

void SipBridgeMedia::speak(const std::string& text, const std::string& voice, Done done) {
    run([id = sipId_, text, voice, done](SipBridge& b,
                                         BridgeCall&) { b.ivr_->speak(id, text, voice, done); },
        done);
}

void SipBridgeMedia::onDigit(std::function<void(char)> handler) {
    run([handler](SipBridge&, BridgeCall& call) { call.pipeline->onDigit(handler); }, nullptr);
}

void SipBridgeMedia::stop() {
    run(
        [](SipBridge& b, BridgeCall& call) {
            call.pipeline->stopPlayback();
            if (b.recorder_) b.recorder_->stopVerbRecordings(call.id);
            b.transfers_->stop(call, "transfer stopped");
            b.rooms_->unbridge(call);        // rooms: a redirected call leaves its <Bridge>
            b.conference_->leave(call, "");  // conf
        },
        nullptr);
}

std::uint64_t SipBridgeMedia::startRecording(const voice::RecordingSpec& spec,
                                             voice::RecordingDone done) {
    auto id = VoiceRecorder::newId();
    auto fail = [done](bool, std::string error) {
        voice::RecordingResult r;
        r.error = std::move(error);
        done(r);
    };
    run(
        [id, spec, done, fail](SipBridge& b, BridgeCall& call) {
            if (!b.recorder_) return fail(false, "recordings are not enabled on this server");
            b.recorder_->start(id, call.id, call.pipeline, spec, done);
        },
        fail);
    return id;
}

// Through the call's strand, after the startRecording queued there: a <PauseRecording> or
// <StopRecording> right after <StartRecording> used to find no recording yet and was lost.
void SipBridgeMedia::setRecordingPaused(std::uint64_t id, bool paused) {
    run(
        [id, paused](SipBridge& b, BridgeCall&) {
            if (b.recorder_) b.recorder_->setPaused(id, paused);
        },
        nullptr);
}

void SipBridgeMedia::stopRecording(std::uint64_t id) {
    run(
        [id](SipBridge& b, BridgeCall&) {
            if (b.recorder_) b.recorder_->stop(id);
        },
        nullptr);
}

void SipBridgeMedia::hangup() {
    auto bridge = bridge_.lock();
    if (!bridge) return;
    asio::post(bridge->calls_->strand(),
               [bridge, id = sipId_] { bridge->calls_->end(id, "voice hangup", true); });
}

void SipBridgeMedia::bridgeWith(const std::shared_ptr<voice::CallMedia>& target, Done connected,
                                std::function<void(bool)> ended) {
    const auto* peer = dynamic_cast<const SipBridgeMedia*>(target.get());
    if (!peer) return connected(false, "the target call has no SIP media on this server");
    run(
        [targetId = peer->sipId_, connected, ended](SipBridge& b, BridgeCall& call) {
            b.rooms_->bridge(call.id, targetId, connected, ended);
        },
        connected);
}

// rooms: <Forward> is a <Transfer> to one target through the trunk whose end ends the call;
// the caller is answered when the forwarded leg answers.
void SipBridgeMedia::forward(const voice::TransferRequest& request, bool answerCaller,
                             std::function<void()> answered,
                             std::function<void(voice::TransferOutcome)> done) {
    run(
        [request, answerCaller, answered, done](SipBridge& b, BridgeCall& call) {
            std::weak_ptr<BridgeCalls> weak = b.calls_;
            b.transfers_->transferOut(
                call, request,
                [weak, id = call.id, answerCaller, answered](std::size_t) {
                    auto calls = weak.lock();  // runs on the strand (onLegAnswered)
                    if (!calls) return;
                    auto caller = calls->find(id);
                    if (!caller) return;
                    if (answerCaller) calls->answer(*caller);
                    answered();
                },
                done);
        },
        [done](bool, const std::string&) { done({}); });
}

void SipBridgeMedia::joinConference(const std::string& accountId, const std::string& sessionId,
                                    bool mute, bool hold, Done joined,
                                    std::function<void(std::string)> left) {
    run(
        [accountId, sessionId, mute, hold, joined, left](SipBridge& b, BridgeCall& call) {
            b.conference_->join(call, accountId, sessionId, mute, hold, joined, left);
        },
        joined);
}

void SipBridgeMedia::setConferenceAudio(bool mute, bool hold) {
    run([mute, hold](SipBridge& b, BridgeCall& call) { b.conference_->setAudio(call, mute, hold); },
        nullptr);
}

}  // namespace sb::bridge
