#include "server/voice/BridgeVerbs.hpp"

#include "server/base/Log.hpp"
#include "server/voice/CallIds.hpp"
#include "server/voice/CallbackEvents.hpp"

namespace sb::voice {

struct BridgeVerbs::Context {
    bxml::Bridge verb;  // URLs resolved against the origin's document
    std::weak_ptr<BridgeVerbs> origin, target;
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

bool BridgeVerbs::execute(const bxml::Verb& verb) {
    auto* b = std::get_if<bxml::Bridge>(&verb);
    if (b) bridge(*b);
    return b != nullptr;
}

void BridgeVerbs::bridge(const bxml::Bridge& verb) {
    loop_.setTag(verb.tag);
    auto v = verb;
    v.bridgeComplete = resolveTarget(loop_.baseUrl(), v.bridgeComplete);
    v.bridgeTargetComplete = resolveTarget(loop_.baseUrl(), v.bridgeTargetComplete);
    auto target = lookup_ ? lookup_(v.targetCall) : nullptr;
    // Bandwidth: a target that is hung up, not answered yet, or not this account's cannot be
    // bridged, and the origin is told why in bridgeComplete.
    if (v.targetCall == loop_.call().callId)
        return failed(v, "a call cannot be bridged with itself");
    if (!target || target->loop_.finished())
        return failed(v, "the target call is not an active call of this account");
    auto& other = target->loop_;
    if (!other.call().answerTime) return failed(v, "the target call is not answered yet");
    if (target->bridge_) return failed(v, "the target call is already in a bridge");

    auto ctx = std::make_shared<Context>();
    ctx->verb = v;
    ctx->origin = loop_.weakRef(*this);
    ctx->target = target;
    // The target's BXML is cancelled: whatever it waits for is now stale; its media (playback)
    // is stopped by bridgeWith, and a REST redirect of it later stop()s the media, which ends
    // the bridge.
    ctx->targetPreviousStep = other.step();
    ctx->targetWasBusy = other.mediaBusy();
    ctx->targetStep = other.newStep();
    other.setMediaBusy(true);
    target->bridge_ = ctx;
    loop_.setMediaBusy(true);
    ctx->originStep = loop_.step();
    bridge_ = ctx;
    base::log(base::LogLevel::Info,
              "voice: call " + loop_.call().callId + " bridges with " + other.call().callId);
    auto* ex = &loop_.executor();
    loop_.media().bridgeWith(
        other.sharedMedia(),
        [ctx, ex](bool ok, std::string error) {
            if (ok) return;
            ex->post([ctx, error = std::move(error)] {
                auto origin = ctx->origin.lock();
                auto t = ctx->target.lock();
                if (ctx->over) return;
                ctx->over = true;
                // Nothing was done to the target's media (the SIP side refuses before touching
                // it): its verb carries on as if <Bridge> had never been tried.
                if (t && !t->loop_.stale(ctx->targetStep)) {
                    t->bridge_.reset();
                    t->loop_.restoreStep(ctx->targetPreviousStep);
                    t->loop_.setMediaBusy(ctx->targetWasBusy);
                }
                if (origin && !origin->loop_.stale(ctx->originStep)) {
                    origin->bridge_.reset();
                    origin->loop_.setMediaBusy(false);
                    origin->failed(ctx->verb, "the calls could not be connected: " + error);
                }
            });
        },
        [ctx, ex](bool targetLeft) { ex->post([ctx, targetLeft] { ended(ctx, targetLeft); }); });
}

void BridgeVerbs::failed(const bxml::Bridge& verb, const std::string& why) {
    base::log(base::LogLevel::Info,
              "voice: call " + loop_.call().callId + " <Bridge> failed: " + why);
    if (!verb.bridgeComplete) return loop_.next();
    loop_.fetch(*verb.bridgeComplete,
                bridgeCompleteEvent(loop_.call(), loop_.now(), cause::kError, why));
}

void BridgeVerbs::ended(const std::shared_ptr<Context>& ctx, bool targetLeft) {
    if (ctx->over) return;
    ctx->over = true;
    auto origin = ctx->origin.lock();
    auto target = ctx->target.lock();
    if (origin && origin->bridge_ == ctx) origin->bridge_.reset();
    if (target && target->bridge_ == ctx) target->bridge_.reset();
    const auto& v = ctx->verb;
    if (targetLeft) {
        if (!origin || origin->loop_.stale(ctx->originStep)) return;
        auto& loop = origin->loop_;
        loop.setMediaBusy(false);  // the bridge is already undone: nothing to stop
        if (!v.bridgeComplete) return loop.next();
        return loop.fetch(*v.bridgeComplete,
                          bridgeCompleteEvent(loop.call(), loop.now(), cause::kHangup, {}));
    }
    if (!target || target->loop_.stale(ctx->targetStep)) return;
    auto& loop = target->loop_;
    loop.setMediaBusy(false);
    if (!v.bridgeTargetComplete) return loop.finish(cause::kHangup, {}, true);
    // The returned document is the target's own from now on (relative URLs resolve against it).
    loop.fetch(*v.bridgeTargetComplete, callEvent("bridgeTargetComplete", loop.call(), loop.now()));
}

}  // namespace sb::voice
