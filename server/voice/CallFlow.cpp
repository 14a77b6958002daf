#include "server/voice/CallFlow.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include "server/base/Log.hpp"
#include "server/voice/CallIds.hpp"
#include "server/voice/CallbackEvents.hpp"

namespace sb::voice {

using base::LogLevel;

std::string resolveUrl(const std::string& base, const std::string& ref) {
    if (ref.find("://") != std::string::npos) return ref;
    auto scheme = base.find("://");
    if (scheme == std::string::npos) return ref;
    if (ref.rfind("//", 0) == 0) return base.substr(0, scheme + 1) + ref;
    auto pathStart = base.find_first_of("/?#", scheme + 3);
    std::string origin = base.substr(0, pathStart);
    if (!ref.empty() && ref.front() == '/') return origin + ref;
    if (pathStart == std::string::npos || base[pathStart] != '/') return origin + "/" + ref;
    auto pathEnd = base.find_first_of("?#", pathStart);
    auto path = base.substr(pathStart,
                            pathEnd == std::string::npos ? std::string::npos : pathEnd - pathStart);
    return origin + path.substr(0, path.rfind('/') + 1) + ref;
}

CallbackTarget resolveTarget(const std::string& base, CallbackTarget target) {
    target.url = resolveUrl(base, target.url);
    if (target.fallbackUrl) target.fallbackUrl = resolveUrl(base, *target.fallbackUrl);
    return target;
}

std::optional<CallbackTarget> resolveTarget(const std::string& base,
                                            std::optional<CallbackTarget> target) {
    if (target) target = resolveTarget(base, std::move(*target));
    return target;
}

struct CallFlow::TransferContext {
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

CallFlow::CallFlow(Call call, std::shared_ptr<CallMedia> media, CallbackClient& callbacks,
                   VoiceExecutor& executor, Clock clock, CallFlowHooks hooks, int maxRedirectHops)
    : call_(std::move(call)),
      media_(std::move(media)),
      callbacks_(callbacks),
      executor_(executor),
      clock_(std::move(clock)),
      hooks_(std::move(hooks)),
      maxRedirectHops_(maxRedirectHops) {}

template <typename Fn>
void CallFlow::onExecutor(Fn fn) {
    executor_.post([self = shared_from_this(), fn = std::move(fn)]() mutable { fn(*self); });
}

void CallFlow::start() {
    onExecutor([](CallFlow& f) {
        auto now = f.clock_();
        auto event = f.call_.direction == CallDirection::Inbound ? initiateEvent(f.call_, now)
                                                                 : answerEvent(f.call_, now);
        f.fetch(answerTarget(f.call_), std::move(event));
    });
}

void CallFlow::hangup() {
    onExecutor([](CallFlow& f) { f.finish(cause::kHangup, {}, true); });
}

void CallFlow::redirect(std::string url, std::string method) {
    CallbackTarget target;
    target.url = std::move(url);
    target.method = std::move(method);
    redirect(std::move(target));
}

void CallFlow::redirect(CallbackTarget target) {
    onExecutor([target = std::move(target)](CallFlow& f) {
        if (f.finished_) return;
        f.redirectHops_ = 0;  // the application asked for it: a new chain
        f.fetch(target, redirectEvent(f.call_, f.clock_()));
    });
}

void CallFlow::retag(std::optional<std::string> tag) {
    onExecutor([tag = std::move(tag)](CallFlow& f) { f.call_.tag = tag; });
}

void CallFlow::stop() {
    onExecutor([](CallFlow& f) {
        f.finished_ = true;
        ++f.step_;
    });
}

void CallFlow::fetch(const CallbackTarget& target, nlohmann::json event, Reply reply) {
    // Whatever was running is superseded: Bandwidth drops a transfer's B-leg on redirect.
    if (mediaBusy_) media_->stop();
    mediaBusy_ = false;
    auto step = ++step_;
    base::log(LogLevel::Debug, "voice: call " + call_.callId + " sends " +
                                   event.value("eventType", "") + " to " + target.url);
    sendCallback(
        callbacks_, scopeOf(call_), target, std::move(event),
        [self = shared_from_this(), step, reply](CallbackResult r, std::string url) {
            self->executor_.post([self, step, reply, url = std::move(url), r = std::move(r)] {
                if (!self->stale(step)) self->onDocument(url, r, reply);
            });
        });
}

void CallFlow::onDocument(const std::string& url, const CallbackResult& result, Reply reply) {
    if (!result.ok()) {
        auto why = "callback failed: " + describeFailure(result, url);
        base::log(LogLevel::Warn, "voice: call " + call_.callId + " " + why);
        return finish(cause::kCallbackError, why, true);
    }
    std::vector<bxml::Verb> verbs;
    try {
        verbs = bxml::parse(result.body);
    } catch (const bxml::BxmlError& e) {
        // What the document said is not repeated: only fixed texts and BXML's own names.
        auto why = bxml::withoutContent(e.what());
        base::log(LogLevel::Warn, "voice: call " + call_.callId + " got " + why + " from " + url);
        return finish(cause::kInvalidBxml, why + " (from " + url + ")", true);
    }
    if (verbs.empty() && reply == Reply::MayContinue)
        return next();  // the verbs after the sender run
    verbs_ = std::move(verbs);
    next_ = 0;
    baseUrl_ = url;
    // rooms: <Forward> first hands the call on unanswered (it is answered when the forwarded leg
    // is).
    bool forwardsFirst = !verbs_.empty() && std::holds_alternative<bxml::Forward>(verbs_.front());
    if (call_.direction == CallDirection::Inbound && !call_.answerTime && !forwardsFirst) {
        mediaBusy_ = true;
        auto step = step_;
        media_->answer([weak = weak_from_this(), ex = &executor_, step](bool ok,
                                                                        std::string error) {
            ex->post([weak, step, ok, error = std::move(error)] {
                auto self = weak.lock();
                if (!self || self->stale(step)) return;
                self->mediaBusy_ = false;
                if (!ok)
                    return self->finish(cause::kError, "answering the call failed: " + error, true);
                self->call_.answerTime = self->clock_();
                self->call_.state = CallState::Answered;
                if (self->hooks_.answered) self->hooks_.answered();
                self->next();
            });
        });
        return;
    }
    next();
}

void CallFlow::next() {
    if (finished_) return;
    if (next_ >= verbs_.size())
        return finish(cause::kHangup, {}, true);  // end of BXML: Bandwidth hangs up
    auto verb = verbs_[next_++];                  // a copy: executing it may replace verbs_
    base::log(LogLevel::Debug,
              "voice: call " + call_.callId + " runs <" + bxml::verbName(verb) + ">");
    execute(verb);
}

void CallFlow::execute(const bxml::Verb& verb) {
    bool spendsTime = std::holds_alternative<bxml::Transfer>(verb) ||
                      std::holds_alternative<bxml::PlayAudio>(verb) ||
                      std::holds_alternative<bxml::SendDtmf>(verb);
    if (auto* p = std::get_if<bxml::Pause>(&verb)) spendsTime = p->duration >= 1;
    if (auto* r = std::get_if<bxml::Ring>(&verb)) spendsTime = r->duration >= 1;
    if (spendsTime) redirectHops_ = 0;
    if (executeIvr(verb)) return;
    if (auto* t = std::get_if<bxml::Transfer>(&verb)) return transfer(*t);
    if (auto* b = std::get_if<bxml::Bridge>(&verb)) return bridge(*b);  // rooms
    if (auto* f = std::get_if<bxml::Forward>(&verb)) return forward(*f);
    if (std::holds_alternative<bxml::Hangup>(verb)) return finish(cause::kHangup, {}, true);
    if (auto* p = std::get_if<bxml::Pause>(&verb)) return wait(p->duration);
    // Ringback is not generated: <Ring> waits in silence for its duration.
    if (auto* r = std::get_if<bxml::Ring>(&verb)) return wait(r->duration);
    if (auto* a = std::get_if<bxml::PlayAudio>(&verb)) {
        mediaBusy_ = true;
        return media_->playAudio(resolveUrl(baseUrl_, a->url), a->credentials,
                                 resumeAfter("PlayAudio"));
    }
    if (auto* d = std::get_if<bxml::SendDtmf>(&verb)) {
        mediaBusy_ = true;
        return media_->sendDtmf(d->digits, d->toneDuration, d->toneInterval,
                                resumeAfter("SendDtmf"));
    }
    if (auto* r = std::get_if<bxml::Redirect>(&verb)) {
        setTag(r->tag);
        if (++redirectHops_ > maxRedirectHops_)
            return finish(
                cause::kApplicationError,
                "more than " + std::to_string(maxRedirectHops_) +
                    " <Redirect>s in a row without anything played or waited for (redirect loop?)",
                true);
        return fetch(resolveTarget(baseUrl_, r->redirect), redirectEvent(call_, clock_()));
    }
    if (auto* t = std::get_if<bxml::Tag>(&verb)) {
        setTag(t->value.empty() ? std::optional<std::string>{""}
                                : std::optional<std::string>{t->value});
        return next();
    }
    if (executeRecording(verb)) return;
    if (auto* c = std::get_if<bxml::Conference>(&verb))
        return conference(*c);  // conf (CallFlowConference.cpp)
    auto name = bxml::verbName(verb);
    finish(cause::kApplicationError, "<" + name + "> is not supported by this server", true);
}

void CallFlow::wait(double seconds) {
    auto step = step_;
    auto ms = std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000)));
    executor_.after(ms, [weak = weak_from_this(), step] {
        auto self = weak.lock();
        if (self && !self->stale(step)) self->next();
    });
}

CallMedia::Done CallFlow::resumeAfter(std::string verb) {
    return [weak = weak_from_this(), ex = &executor_, step = step_, verb = std::move(verb)](
               bool ok, std::string error) {
        ex->post([weak, step, verb, ok, error = std::move(error)] {
            auto self = weak.lock();
            if (!self || self->stale(step)) return;
            self->mediaBusy_ = false;
            if (!ok)
                return self->finish(cause::kApplicationError, "<" + verb + "> failed: " + error,
                                    true);
            self->next();
        });
    };
}

void CallFlow::transfer(const bxml::Transfer& verb) {
    setTag(verb.tag);
    auto ctx = std::make_shared<TransferContext>();
    ctx->verb = verb;
    auto& v = ctx->verb;
    v.transferComplete = resolveTarget(baseUrl_, v.transferComplete);
    TransferRequest req;
    req.callId = call_.callId;
    req.from = v.transferCallerId.value_or(call_.from);
    req.callTimeout = v.callTimeout.value_or(30);
    auto now = clock_();
    for (auto& target : v.targets) {
        auto& cb =
            std::visit([](auto& t) -> bxml::TargetCallbacks& { return t.callbacks; }, target);
        cb.transferAnswer = resolveTarget(baseUrl_, cb.transferAnswer);
        cb.transferDisconnect = resolveTarget(baseUrl_, cb.transferDisconnect);
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
    mediaBusy_ = true;
    auto step = step_;
    std::weak_ptr<CallFlow> weak = weak_from_this();
    auto* ex = &executor_;
    req.legEnded = [weak, ex, ctx, snapshot = call_, callbacks = &callbacks_, clock = clock_](
                       std::size_t index, const TransferLegResult& result) {
        ex->post([weak, ctx, index, result, snapshot, callbacks, clock] {
            auto self = weak.lock();
            ctx->report(index, &result, clock(), self ? self->call_ : snapshot, *callbacks);
        });
    };
    media_->transfer(
        req,
        [weak, ex, ctx](std::size_t index) {
            ex->post([weak, ctx, index] {
                if (auto self = weak.lock()) self->transferAnswered(ctx, index);
            });
        },
        // transferDisconnect events go out however the transfer ended, even when the flow is gone
        // (Bandwidth docs), so this callback keeps what it needs to send them itself.
        [weak, ex, ctx, step, snapshot = call_, callbacks = &callbacks_,
         clock = clock_](TransferOutcome outcome) {
            ex->post([weak, ctx, step, snapshot, callbacks, clock, outcome = std::move(outcome)] {
                auto self = weak.lock();
                auto ended = clock();
                const Call& call = self ? self->call_ : snapshot;
                for (std::size_t i = 0; i < ctx->legs.size(); ++i)  // the legs not reported yet
                    ctx->report(i, i < outcome.legs.size() ? &outcome.legs[i] : nullptr, ended,
                                call, *callbacks);
                if (self) self->transferDone(ctx, step, outcome);
            });
        });
}

void CallFlow::transferAnswered(const std::shared_ptr<TransferContext>& ctx, std::size_t index) {
    if (finished_ || index >= ctx->legs.size()) return;
    ctx->legs[index].answerTime = clock_();
    const auto& cb = bxml::callbacksOf(ctx->verb.targets[index]);
    setTag(cb.tag);
    // The BXML a transferAnswer callback returns (for the called party) is not executed here.
    notify(callbacks_, call_, cb.transferAnswer,
           transferAnswerEvent(call_, ctx->legs[index], clock_()));
}

void CallFlow::transferDone(const std::shared_ptr<TransferContext>& ctx, std::uint64_t step,
                            const TransferOutcome& outcome) {
    if (stale(step)) return;
    auto now = clock_();
    mediaBusy_ = false;
    if (ctx->verb.transferComplete && !ctx->legs.empty()) {
        // The document it returns replaces the verbs after <Transfer>.
        auto index = outcome.answeredIndex.value_or(ctx->legs.size() - 1);
        const auto& leg = ctx->legs[std::min(index, ctx->legs.size() - 1)];
        return fetch(*ctx->verb.transferComplete, transferCompleteEvent(call_, leg, now));
    }
    next();
}

void CallFlow::setTag(const std::optional<std::string>& tag) {
    if (!tag) return;  // attribute absent: the tag stays
    call_.tag = tag->empty() ? std::nullopt : tag;
    if (hooks_.tagChanged) hooks_.tagChanged(call_.tag);
}

void CallFlow::finish(const std::string& cause, const std::string& errorMessage, bool hangupMedia) {
    if (finished_) return;
    finished_ = true;
    ++step_;
    if (hangupMedia) media_->hangup();
    if (hooks_.ended) hooks_.ended(cause, errorMessage);
}

}  // namespace sb::voice
