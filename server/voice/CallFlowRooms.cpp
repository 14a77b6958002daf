// <Bridge> (dev.bandwidth.com/docs/voice/bxml/bridge): the call running the verb (the origin)
// and another answered call of the same account (the target) hear each other. The target's BXML
// is cancelled. The bridge ends when one of them leaves (hangs up or is redirected); the one that
// stays gets an event and new BXML: bridgeComplete (to the origin's bridgeCompleteUrl) when the
// target left, bridgeTargetComplete (to bridgeTargetCompleteUrl, run on the target) when the
// origin left — never both. A target that cannot be bridged (not found, not answered, not of the
// account, already bridged, ended) gets the origin a bridgeComplete with cause "error" and an
// errorMessage saying why. Without bridgeCompleteUrl the origin continues after <Bridge>; without
// bridgeTargetCompleteUrl a target left alone is hung up (Bandwidth's documented behaviour).
//
// All flows run on the one VoiceExecutor, so the origin may act on the target's flow directly.

#include "server/base/Log.hpp"
#include "server/voice/CallFlow.hpp"
#include "server/voice/CallIds.hpp"
#include "server/voice/CallbackEvents.hpp"

namespace sb::voice {

struct CallFlow::BridgeContext {
    bxml::Bridge verb;  // URLs resolved against the origin's document
    std::weak_ptr<CallFlow> origin, target;
    std::uint64_t originStep = 0, targetStep = 0;  // each flow's step while it is in the bridge
    // The target's step and media state before it was interrupted: restored when the calls
    // cannot be connected, so what it was doing (a <Pause>, a <Transfer>) carries on.
    std::uint64_t targetPreviousStep = 0;
    bool targetWasBusy = false;
    bool over = false;
};

namespace {

nlohmann::json bridgeCompleteEvent(const Call& call, TimePoint now, const std::string& c,
                                   const std::string& error) {
    auto j = callEvent("bridgeComplete", call, now);
    j["cause"] = c;
    if (!error.empty()) {
        j["errorMessage"] = error;
        j["errorId"] = reportError(call.callId, "<Bridge>: " + error);
    }
    return j;
}

}  // namespace

void CallFlow::bridge(const bxml::Bridge& verb) {
    setTag(verb.tag);
    auto v = verb;
    v.bridgeComplete = resolveTarget(baseUrl_, v.bridgeComplete);
    v.bridgeTargetComplete = resolveTarget(baseUrl_, v.bridgeTargetComplete);
    auto target = hooks_.flowOf ? hooks_.flowOf(v.targetCall) : nullptr;
    // Bandwidth: a target that is hung up, not answered yet, or not this account's cannot be
    // bridged, and the origin is told why in bridgeComplete.
    if (v.targetCall == call_.callId)
        return bridgeFailed(v, "a call cannot be bridged with itself");
    if (!target || target->finished_)
        return bridgeFailed(v, "the target call is not an active call of this account");
    if (!target->call_.answerTime) return bridgeFailed(v, "the target call is not answered yet");
    if (target->bridge_) return bridgeFailed(v, "the target call is already in a bridge");

    auto ctx = std::make_shared<BridgeContext>();
    ctx->verb = v;
    ctx->origin = weak_from_this();
    ctx->target = target;
    // The target's BXML is cancelled: whatever it waits for is now stale; its media (playback)
    // is stopped by bridgeWith, and a REST redirect of it later stop()s the media, which ends
    // the bridge.
    ctx->targetPreviousStep = target->step_;
    ctx->targetWasBusy = target->mediaBusy_;
    ctx->targetStep = ++target->step_;
    target->mediaBusy_ = true;
    target->bridge_ = ctx;
    mediaBusy_ = true;
    ctx->originStep = step_;
    bridge_ = ctx;
    base::log(base::LogLevel::Info,
              "voice: call " + call_.callId + " bridges with " + target->call_.callId);
    auto* ex = &executor_;
    media_->bridgeWith(
        target->media_,
        [ctx, ex](bool ok, std::string error) {
            if (ok) return;
            ex->post([ctx, error = std::move(error)] {
                auto origin = ctx->origin.lock();
                auto t = ctx->target.lock();
                if (ctx->over) return;
                ctx->over = true;
                // Nothing was done to the target's media (the SIP side refuses before touching
                // it): its verb carries on as if <Bridge> had never been tried.
                if (t && !t->stale(ctx->targetStep)) {
                    t->bridge_.reset();
                    t->step_ = ctx->targetPreviousStep;
                    t->mediaBusy_ = ctx->targetWasBusy;
                }
                if (origin && !origin->stale(ctx->originStep)) {
                    origin->bridge_.reset();
                    origin->mediaBusy_ = false;
                    origin->bridgeFailed(ctx->verb, "the calls could not be connected: " + error);
                }
            });
        },
        [ctx, ex](bool targetLeft) {
            ex->post([ctx, targetLeft] { bridgeEnded(ctx, targetLeft); });
        });
}

void CallFlow::bridgeFailed(const bxml::Bridge& verb, const std::string& why) {
    base::log(base::LogLevel::Info, "voice: call " + call_.callId + " <Bridge> failed: " + why);
    if (!verb.bridgeComplete) return next();
    fetch(*verb.bridgeComplete, bridgeCompleteEvent(call_, clock_(), cause::kError, why));
}

void CallFlow::bridgeEnded(const std::shared_ptr<BridgeContext>& ctx, bool targetLeft) {
    if (ctx->over) return;
    ctx->over = true;
    auto origin = ctx->origin.lock();
    auto target = ctx->target.lock();
    if (origin && origin->bridge_ == ctx) origin->bridge_.reset();
    if (target && target->bridge_ == ctx) target->bridge_.reset();
    const auto& v = ctx->verb;
    if (targetLeft) {
        if (!origin || origin->stale(ctx->originStep)) return;
        origin->mediaBusy_ = false;  // the bridge is already undone: nothing to stop
        if (!v.bridgeComplete) return origin->next();
        return origin->fetch(*v.bridgeComplete, bridgeCompleteEvent(origin->call_, origin->clock_(),
                                                                    cause::kHangup, {}));
    }
    if (!target || target->stale(ctx->targetStep)) return;
    target->mediaBusy_ = false;
    if (!v.bridgeTargetComplete) return target->finish(cause::kHangup, {}, true);
    // The returned document is the target's own from now on (relative URLs resolve against it).
    target->fetch(*v.bridgeTargetComplete,
                  callEvent("bridgeTargetComplete", target->call_, target->clock_()));
}

// <Forward> (dev.bandwidth.com/docs/voice/bxml/forward): the call is handed to another number
// through the trunk (same toll-fraud rules as a <Transfer> B-leg); an inbound call not answered
// yet is answered only when the forwarded leg is. The application has no control afterwards:
// no events but the call's disconnect, which comes when either side hangs up.
void CallFlow::forward(const bxml::Forward& verb) {
    TransferRequest req;
    req.callId = call_.callId;
    // Bandwidth: without `from`, the forwarded leg shows the number that was called.
    req.from = verb.from.value_or(call_.to);
    req.callTimeout = verb.callTimeout.value_or(30);
    if (verb.to.rfind("sip:", 0) == 0)
        req.targets.emplace_back(bxml::SipUriTarget{verb.to, std::nullopt, {}});
    else
        req.targets.emplace_back(bxml::PhoneNumberTarget{verb.to, {}});
    req.legCallIds.push_back(newCallId());
    // info: Bandwidth's Forward attributes that go on the forwarded leg's INVITE.
    req.displayName = verb.callerDisplayName.value_or("");
    req.userToUser = verb.uui.value_or("");
    req.diversionTreatment = verb.diversionTreatment.value_or("none");
    req.diversionReason = verb.diversionReason.value_or("");
    req.divertingNumber = call_.to;
    bool answerCaller = call_.direction == CallDirection::Inbound && !call_.answerTime;
    mediaBusy_ = true;
    auto step = step_;
    auto* ex = &executor_;
    std::weak_ptr<CallFlow> weak = weak_from_this();
    base::log(base::LogLevel::Info, "voice: call " + call_.callId + " forwarded to " + verb.to);
    media_->forward(
        req, answerCaller,
        [weak, ex, step] {
            ex->post([weak, step] {
                auto self = weak.lock();
                if (!self || self->stale(step) || self->call_.answerTime) return;
                self->call_.answerTime = self->clock_();
                self->call_.state = CallState::Answered;
                if (self->hooks_.answered) self->hooks_.answered();
            });
        },
        [weak, ex, step](TransferOutcome outcome) {
            ex->post([weak, step, outcome = std::move(outcome)] {
                auto self = weak.lock();
                if (!self || self->stale(step)) return;
                self->mediaBusy_ = false;
                if (outcome.answeredIndex || outcome.legs.empty())
                    return self->finish(cause::kHangup, {}, true);
                const auto& leg = outcome.legs.front();
                self->finish(
                    leg.cause,
                    "the forwarded call was not connected" +
                        (leg.errorMessage.empty() ? std::string() : ": " + leg.errorMessage),
                    true);
            });
        });
}

}  // namespace sb::voice
