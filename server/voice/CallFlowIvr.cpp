// The IVR verbs of a call flow (issue 9): <SpeakSentence>, <Gather> with its nested prompts,
// <StartGather>/<StopGather>. Bandwidth's rules (dev.bandwidth.com/docs/voice/bxml/gather):
// the prompts play in order and the first digit interrupts them; firstDigitTimeout counts from
// the end of the prompts; without digits the prompts play again, repeatCount times in all; the
// Gather ends on a terminating digit (not part of `digits`), at maxDigits, or when
// interDigitTimeout passes after a digit. The gather event's reply is the next document; an
// empty reply, or no gatherUrl, continues with the verb after the <Gather>.

#include <algorithm>
#include <cmath>

#include "server/base/Log.hpp"
#include "server/voice/CallFlow.hpp"
#include "server/voice/CallbackEvents.hpp"

namespace sb::voice {

using base::LogLevel;

struct CallFlow::GatherRun {
    bxml::Gather verb;       // URLs resolved against the document's URL
    std::uint64_t step = 0;  // the flow step it belongs to (stale after a redirect or hangup)
    std::string digits;
    int pass = 1;            // how many times the prompts have started
    std::size_t prompt = 0;  // the next prompt of this pass
    bool prompting = false;
    std::uint64_t promptId = 0;  // the prompt playing; a completion for another is stale
    std::uint64_t timer = 0;     // the armed timer; earlier ones are stale
    bool done = false;
};

bool CallFlow::executeIvr(const bxml::Verb& verb) {
    if (const auto* s = std::get_if<bxml::SpeakSentence>(&verb)) {
        redirectHops_ = 0;
        mediaBusy_ = true;
        media_->speak(s->text, s->voice, resumeAfter("SpeakSentence"));
        return true;
    }
    if (const auto* g = std::get_if<bxml::Gather>(&verb)) {
        redirectHops_ = 0;
        gather(*g);
        return true;
    }
    if (const auto* sg = std::get_if<bxml::StartGather>(&verb)) {
        setTag(sg->tag);
        startGather_ = *sg;
        startGather_->dtmf = resolveTarget(baseUrl_, sg->dtmf);
        hookDigits();
        next();
        return true;
    }
    if (std::holds_alternative<bxml::StopGather>(verb)) {
        startGather_.reset();
        next();
        return true;
    }
    return false;
}

void CallFlow::hookDigits() {
    if (digitsHooked_) return;
    digitsHooked_ = true;
    media_->onDigit([weak = weak_from_this(), ex = &executor_](char digit) {
        ex->post([weak, digit] {
            if (auto self = weak.lock()) self->callerDigit(digit);
        });
    });
}

void CallFlow::gather(const bxml::Gather& verb) {
    setTag(verb.tag);
    auto run = std::make_shared<GatherRun>();
    run->verb = verb;
    run->verb.gather = resolveTarget(baseUrl_, run->verb.gather);
    run->step = step_;
    gather_ = run;
    hookDigits();
    playPrompt(run);
}

void CallFlow::playPrompt(const std::shared_ptr<GatherRun>& run) {
    if (run->prompt >= run->verb.prompts.size()) {
        run->prompting = false;
        mediaBusy_ = false;
        return armGatherTimer(
            run, run->digits.empty() ? run->verb.firstDigitTimeout : run->verb.interDigitTimeout);
    }
    const auto& prompt = run->verb.prompts[run->prompt++];
    run->prompting = true;
    mediaBusy_ = true;
    auto id = ++run->promptId;
    auto done = [weak = weak_from_this(), ex = &executor_, run, id](bool ok, std::string error) {
        ex->post([weak, run, id, ok, error = std::move(error)] {
            auto self = weak.lock();
            if (!self || self->stale(run->step) || run->done || !run->prompting ||
                run->promptId != id)
                return;
            if (!ok)
                return self->finish(cause::kApplicationError, "<Gather> prompt failed: " + error,
                                    true);
            self->playPrompt(run);
        });
    };
    if (prompt.speak)
        return media_->speak(prompt.sentence.text, prompt.sentence.voice, std::move(done));
    media_->playAudio(resolveUrl(baseUrl_, prompt.url), prompt.credentials, std::move(done));
}

void CallFlow::armGatherTimer(const std::shared_ptr<GatherRun>& run, double seconds) {
    auto id = ++run->timer;
    auto ms = std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000)));
    executor_.after(ms, [weak = weak_from_this(), run, id] {
        auto self = weak.lock();
        if (!self || self->stale(run->step) || run->done || run->timer != id) return;
        self->gatherTimeout(run);
    });
}

void CallFlow::gatherTimeout(const std::shared_ptr<GatherRun>& run) {
    if (run->digits.empty() && run->pass < run->verb.repeatCount && !run->verb.prompts.empty()) {
        ++run->pass;
        run->prompt = 0;
        return playPrompt(run);
    }
    gatherDone(run, "");
}

void CallFlow::callerDigit(char digit) {
    if (finished_) return;
    if (startGather_) {
        // One dtmf event per digit (Bandwidth's DtmfCallback); its reply is not BXML to run.
        notify(callbacks_, call_, startGather_->dtmf, dtmfEvent(call_, clock_(), digit));
    }
    auto run = gather_;
    if (!run || run->done || stale(run->step)) return;
    if (run->prompting) {  // the first digit interrupts the prompts
        run->prompting = false;
        ++run->promptId;
        media_->stop();
        mediaBusy_ = false;
    }
    if (run->verb.terminatingDigits.find(digit) != std::string::npos)
        return gatherDone(run, std::string(1, digit));
    run->digits += digit;
    if (run->digits.size() >= static_cast<std::size_t>(run->verb.maxDigits))
        return gatherDone(run, "");
    armGatherTimer(run, run->verb.interDigitTimeout);
}

void CallFlow::gatherDone(const std::shared_ptr<GatherRun>& run,
                          const std::string& terminatingDigit) {
    run->done = true;
    ++run->timer;
    if (gather_ == run) gather_.reset();
    base::log(LogLevel::Debug, "voice: call " + call_.callId + " <Gather> ended with " +
                                   std::to_string(run->digits.size()) + " digit(s)");
    if (!run->verb.gather) return next();  // Bandwidth: the digits are dropped
    // An empty reply: the verbs after <Gather> run.
    fetch(*run->verb.gather, gatherEvent(call_, clock_(), run->digits, terminatingDigit),
          Reply::MayContinue);
}

}  // namespace sb::voice
