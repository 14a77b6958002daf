#include "server/voice/VerbLoop.hpp"

#include <chrono>
#include <cmath>

#include "server/base/Log.hpp"
#include "server/voice/CallbackEvents.hpp"

namespace sb::voice {

using base::LogLevel;

namespace {

// Verbs after which a <Redirect> starts a new chain: the call spent time on them.
bool spendsTime(const bxml::Verb& verb) {
    if (auto* p = std::get_if<bxml::Pause>(&verb)) return p->duration >= 1;
    if (auto* r = std::get_if<bxml::Ring>(&verb)) return r->duration >= 1;
    return std::holds_alternative<bxml::Transfer>(verb) ||
           std::holds_alternative<bxml::PlayAudio>(verb) ||
           std::holds_alternative<bxml::SendDtmf>(verb) ||
           std::holds_alternative<bxml::SpeakSentence>(verb) ||
           std::holds_alternative<bxml::Gather>(verb) || std::holds_alternative<bxml::Record>(verb);
}

}  // namespace

VerbLoop::VerbLoop(Call call, std::shared_ptr<CallMedia> media, CallbackClient& callbacks,
                   VoiceExecutor& executor, Clock clock, CallFlowHooks hooks, int maxRedirectHops,
                   std::function<std::shared_ptr<void>()> owner)
    : call_(std::move(call)),
      media_(std::move(media)),
      callbacks_(callbacks),
      executor_(executor),
      clock_(std::move(clock)),
      hooks_(std::move(hooks)),
      maxRedirectHops_(maxRedirectHops),
      owner_(std::move(owner)) {}

void VerbLoop::start() {
    auto now = clock_();
    auto event = call_.direction == CallDirection::Inbound ? initiateEvent(call_, now)
                                                           : answerEvent(call_, now);
    fetch(answerTarget(call_), std::move(event));
}

void VerbLoop::redirect(const CallbackTarget& target) {
    if (finished_) return;
    redirectHops_ = 0;  // the application asked for it: a new chain
    fetch(target, redirectEvent(call_, clock_()));
}

void VerbLoop::replace(const std::string& document) {
    if (finished_) return;
    std::vector<bxml::Verb> verbs;
    try {
        verbs = bxml::parse(document);
    } catch (const bxml::BxmlError& e) {
        // VoiceApi validated it already; kept so that this member is safe on its own.
        return finish(cause::kInvalidBxml,
                      bxml::withoutContent(e.what()) + " (from updateCallBxml)", true);
    }
    // Bandwidth: "Interrupts and replaces an active call's BXML document" — whatever runs now
    // (playback, a transfer's B-legs, a pending callback) is superseded.
    if (mediaBusy_) media_->stop();
    mediaBusy_ = false;
    ++step_;
    redirectHops_ = 0;  // the application asked for it: a new chain
    verbs_ = std::move(verbs);
    next_ = 0;
    base::log(LogLevel::Debug,
              "voice: call " + call_.callId + " runs a document from updateCallBxml");
    next();
}

void VerbLoop::stop() {
    finished_ = true;
    ++step_;
}

void VerbLoop::fetch(const CallbackTarget& target, nlohmann::json event, Reply reply) {
    // Whatever was running is superseded: Bandwidth drops a transfer's B-leg on redirect.
    if (mediaBusy_) media_->stop();
    mediaBusy_ = false;
    auto step = ++step_;
    base::log(LogLevel::Debug, "voice: call " + call_.callId + " sends " +
                                   event.value("eventType", "") + " to " + target.url);
    sendCallback(
        callbacks_, scopeOf(call_), target, std::move(event),
        [self = strongRef(*this), step, reply](CallbackResult r, std::string url) {
            self->executor_.post([self, step, reply, url = std::move(url), r = std::move(r)] {
                if (!self->stale(step)) self->onDocument(url, r, reply);
            });
        });
}

void VerbLoop::onDocument(const std::string& url, const CallbackResult& result, Reply reply) {
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
        media_->answer([weak = weakRef(*this), ex = &executor_, step](bool ok, std::string error) {
            ex->post([weak, step, ok, error = std::move(error)] {
                auto self = weak.lock();
                if (!self || self->stale(step)) return;
                self->mediaBusy_ = false;
                if (!ok)
                    return self->finish(cause::kError, "answering the call failed: " + error, true);
                self->answered();
                self->next();
            });
        });
        return;
    }
    next();
}

void VerbLoop::next() {
    if (finished_) return;
    if (next_ >= verbs_.size())
        return finish(cause::kHangup, {}, true);  // end of BXML: Bandwidth hangs up
    auto verb = verbs_[next_++];                  // a copy: executing it may replace verbs_
    base::log(LogLevel::Debug,
              "voice: call " + call_.callId + " runs <" + bxml::verbName(verb) + ">");
    execute(verb);
}

void VerbLoop::execute(const bxml::Verb& verb) {
    if (spendsTime(verb)) redirectHops_ = 0;
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
    for (auto* family : families_)
        if (family->execute(verb)) return;
    auto name = bxml::verbName(verb);
    finish(cause::kApplicationError, "<" + name + "> is not supported by this server", true);
}

void VerbLoop::wait(double seconds) {
    auto step = step_;
    auto ms = std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000)));
    executor_.after(ms, [weak = weakRef(*this), step] {
        auto self = weak.lock();
        if (self && !self->stale(step)) self->next();
    });
}

CallMedia::Done VerbLoop::resumeAfter(std::string verb) {
    return [weak = weakRef(*this), ex = &executor_, step = step_, verb = std::move(verb)](
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

void VerbLoop::setTag(const std::optional<std::string>& tag) {
    if (!tag) return;  // attribute absent: the tag stays
    call_.tag = tag->empty() ? std::nullopt : tag;
    if (hooks_.tagChanged) hooks_.tagChanged(call_.tag);
}

void VerbLoop::answered() {
    call_.answerTime = clock_();
    call_.state = CallState::Answered;
    if (hooks_.answered) hooks_.answered();
}

void VerbLoop::finish(const std::string& cause, const std::string& errorMessage, bool hangupMedia) {
    if (finished_) return;
    finished_ = true;
    ++step_;
    if (hangupMedia) media_->hangup();
    if (hooks_.ended) hooks_.ended(cause, errorMessage);
}

}  // namespace sb::voice
