#include "server/voice/TransferVerbs.hpp"

#include <algorithm>

#include "server/base/Log.hpp"
#include "server/voice/CallIds.hpp"
#include "server/voice/CallbackEvents.hpp"

namespace sb::voice {

struct TransferVerbs::Context {
    bxml::Transfer verb;
    std::vector<TransferLeg> legs;
    std::vector<bool> reported;  // transferDisconnect sent for this leg

    // Sends the leg's transferDisconnect once (Bandwidth: when that leg ends).
    void report(std::size_t i, const TransferLegResult* result, TimePoint ended, const Call& call,
                CallbackClient& callbacks) {
        if (i >= legs.size() || reported[i]) return;
        reported[i] = true;
        auto& leg = legs[i];
        leg.endTime = ended;
        if (result) {
            leg.cause = result->cause;
            leg.errorMessage = result->errorMessage;
        } else {
            leg.cause = cause::kError;
            leg.errorMessage = "no result for this transfer target";
        }
        if (!leg.errorMessage.empty()) leg.errorId = reportError(leg.callId, leg.errorMessage);
        notify(callbacks, call, bxml::callbacksOf(verb.targets[i]).transferDisconnect,
               transferDisconnectEvent(call, leg, ended));
    }
};

bool TransferVerbs::execute(const bxml::Verb& verb) {
    if (auto* t = std::get_if<bxml::Transfer>(&verb)) {
        transfer(*t);
        return true;
    }
    if (auto* f = std::get_if<bxml::Forward>(&verb)) {
        forward(*f);
        return true;
    }
    return false;
}

void TransferVerbs::transfer(const bxml::Transfer& verb) {
    loop_.setTag(verb.tag);
    const auto& base = loop_.baseUrl();
    const auto& call = loop_.call();
    auto ctx = std::make_shared<Context>();
    ctx->verb = verb;
    auto& v = ctx->verb;
    v.transferComplete = resolveTarget(base, v.transferComplete);
    TransferRequest req;
    req.callId = call.callId;
    req.from = v.transferCallerId.value_or(call.from);
    req.callTimeout = v.callTimeout.value_or(30);
    auto now = loop_.now();
    for (auto& target : v.targets) {
        auto& cb =
            std::visit([](auto& t) -> bxml::TargetCallbacks& { return t.callbacks; }, target);
        cb.transferAnswer = resolveTarget(base, cb.transferAnswer);
        cb.transferDisconnect = resolveTarget(base, cb.transferDisconnect);
        TransferLeg leg;
        leg.callId = newCallId();
        leg.transferCallerId = req.from;
        leg.transferTo = bxml::destinationOf(target);
        leg.startTime = now;
        req.legCallIds.push_back(leg.callId);
        ctx->legs.push_back(std::move(leg));
    }
    req.targets = v.targets;
    ctx->reported.assign(ctx->legs.size(), false);
    loop_.setMediaBusy(true);
    auto step = loop_.step();
    auto weak = loop_.weakRef(*this);
    auto* ex = &loop_.executor();
    auto* callbacks = &loop_.callbacks();
    req.legEnded = [weak, ex, ctx, snapshot = call, callbacks, clock = loop_.clock()](
                       std::size_t index, const TransferLegResult& result) {
        ex->post([weak, ctx, index, result, snapshot, callbacks, clock] {
            auto self = weak.lock();
            ctx->report(index, &result, clock(), self ? self->loop_.call() : snapshot, *callbacks);
        });
    };
    loop_.media().transfer(
        req,
        [weak, ex, ctx](std::size_t index) {
            ex->post([weak, ctx, index] {
                if (auto self = weak.lock()) self->answered(ctx, index);
            });
        },
        // transferDisconnect events go out however the transfer ended, even when the flow is gone
        // (Bandwidth docs), so this callback keeps what it needs to send them itself.
        [weak, ex, ctx, step, snapshot = call, callbacks,
         clock = loop_.clock()](TransferOutcome outcome) {
            ex->post([weak, ctx, step, snapshot, callbacks, clock, outcome = std::move(outcome)] {
                auto self = weak.lock();
                auto ended = clock();
                const Call& current = self ? self->loop_.call() : snapshot;
                for (std::size_t i = 0; i < ctx->legs.size(); ++i)  // the legs not reported yet
                    ctx->report(i, i < outcome.legs.size() ? &outcome.legs[i] : nullptr, ended,
                                current, *callbacks);
                if (self) self->done(ctx, step, outcome);
            });
        });
}

void TransferVerbs::answered(const std::shared_ptr<Context>& ctx, std::size_t index) {
    if (loop_.finished() || index >= ctx->legs.size()) return;
    ctx->legs[index].answerTime = loop_.now();
    const auto& cb = bxml::callbacksOf(ctx->verb.targets[index]);
    loop_.setTag(cb.tag);
    // The BXML a transferAnswer callback returns (for the called party) is not executed here.
    notify(loop_.callbacks(), loop_.call(), cb.transferAnswer,
           transferAnswerEvent(loop_.call(), ctx->legs[index], loop_.now()));
}

void TransferVerbs::done(const std::shared_ptr<Context>& ctx, std::uint64_t step,
                         const TransferOutcome& outcome) {
    if (loop_.stale(step)) return;
    auto now = loop_.now();
    loop_.setMediaBusy(false);
    if (ctx->verb.transferComplete && !ctx->legs.empty()) {
        // The document it returns replaces the verbs after <Transfer>.
        auto index = outcome.answeredIndex.value_or(ctx->legs.size() - 1);
        const auto& leg = ctx->legs[std::min(index, ctx->legs.size() - 1)];
        return loop_.fetch(*ctx->verb.transferComplete,
                           transferCompleteEvent(loop_.call(), leg, now));
    }
    loop_.next();
}

// <Forward> (dev.bandwidth.com/docs/voice/bxml/forward): the call is handed to another number
// through the trunk (same toll-fraud rules as a <Transfer> B-leg); an inbound call not answered
// yet is answered only when the forwarded leg is. The application has no control afterwards:
// no events but the call's disconnect, which comes when either side hangs up.
void TransferVerbs::forward(const bxml::Forward& verb) {
    const auto& call = loop_.call();
    TransferRequest req;
    req.callId = call.callId;
    // Bandwidth: without `from`, the forwarded leg shows the number that was called.
    req.from = verb.from.value_or(call.to);
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
    req.divertingNumber = call.to;
    bool answerCaller = call.direction == CallDirection::Inbound && !call.answerTime;
    loop_.setMediaBusy(true);
    auto step = loop_.step();
    auto* ex = &loop_.executor();
    auto weak = loop_.weakRef(loop_);
    base::log(base::LogLevel::Info, "voice: call " + call.callId + " forwarded to " + verb.to);
    loop_.media().forward(
        req, answerCaller,
        [weak, ex, step] {
            ex->post([weak, step] {
                auto loop = weak.lock();
                if (!loop || loop->stale(step) || loop->call().answerTime) return;
                loop->answered();
            });
        },
        [weak, ex, step](TransferOutcome outcome) {
            ex->post([weak, step, outcome = std::move(outcome)] {
                auto loop = weak.lock();
                if (!loop || loop->stale(step)) return;
                loop->setMediaBusy(false);
                if (outcome.answeredIndex || outcome.legs.empty())
                    return loop->finish(cause::kHangup, {}, true);
                const auto& leg = outcome.legs.front();
                loop->finish(
                    leg.cause,
                    "the forwarded call was not connected" +
                        (leg.errorMessage.empty() ? std::string() : ": " + leg.errorMessage),
                    true);
            });
        });
}

}  // namespace sb::voice
