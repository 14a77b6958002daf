#include "server/voice/IvrVerbs.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "server/base/Log.hpp"
#include "server/voice/CallbackEvents.hpp"

namespace sb::voice {

using base::LogLevel;

struct IvrVerbs::GatherRun {
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

bool IvrVerbs::execute(const bxml::Verb& verb) {
    if (const auto* s = std::get_if<bxml::SpeakSentence>(&verb)) {
        loop_.setMediaBusy(true);
        loop_.media().speak(s->text, s->voice, loop_.resumeAfter("SpeakSentence"));
        return true;
    }
    if (const auto* g = std::get_if<bxml::Gather>(&verb)) {
        gather(*g);
        return true;
    }
    if (const auto* sg = std::get_if<bxml::StartGather>(&verb)) {
        loop_.setTag(sg->tag);
        startGather_ = *sg;
        startGather_->dtmf = resolveTarget(loop_.baseUrl(), sg->dtmf);
        hookDigits();
        loop_.next();
        return true;
    }
    if (std::holds_alternative<bxml::StopGather>(verb)) {
        startGather_.reset();
        loop_.next();
        return true;
    }
    return false;
}

void IvrVerbs::hookDigits() {
    if (digitsHooked_) return;
    digitsHooked_ = true;
    loop_.media().onDigit([weak = loop_.weakRef(*this), ex = &loop_.executor()](char digit) {
        ex->post([weak, digit] {
            if (auto self = weak.lock()) self->callerDigit(digit);
        });
    });
}

void IvrVerbs::gather(const bxml::Gather& verb) {
    loop_.setTag(verb.tag);
    auto run = std::make_shared<GatherRun>();
    run->verb = verb;
    run->verb.gather = resolveTarget(loop_.baseUrl(), run->verb.gather);
    run->step = loop_.step();
    gather_ = run;
    hookDigits();
    playPrompt(run);
}

void IvrVerbs::playPrompt(const std::shared_ptr<GatherRun>& run) {
    if (run->prompt >= run->verb.prompts.size()) {
        run->prompting = false;
        loop_.setMediaBusy(false);
        return armGatherTimer(
            run, run->digits.empty() ? run->verb.firstDigitTimeout : run->verb.interDigitTimeout);
    }
    const auto& prompt = run->verb.prompts[run->prompt++];
    run->prompting = true;
    loop_.setMediaBusy(true);
    auto id = ++run->promptId;
    auto done = [weak = loop_.weakRef(*this), ex = &loop_.executor(), run, id](bool ok,
                                                                               std::string error) {
        ex->post([weak, run, id, ok, error = std::move(error)] {
            auto self = weak.lock();
            if (!self || self->loop_.stale(run->step) || run->done || !run->prompting ||
                run->promptId != id)
                return;
            if (!ok)
                return self->loop_.finish(cause::kApplicationError,
                                          "<Gather> prompt failed: " + error, true);
            self->playPrompt(run);
        });
    };
    if (prompt.speak)
        return loop_.media().speak(prompt.sentence.text, prompt.sentence.voice, std::move(done));
    loop_.media().playAudio(resolveUrl(loop_.baseUrl(), prompt.url), prompt.credentials,
                            std::move(done));
}

void IvrVerbs::armGatherTimer(const std::shared_ptr<GatherRun>& run, double seconds) {
    auto id = ++run->timer;
    auto ms = std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000)));
    loop_.executor().after(ms, [weak = loop_.weakRef(*this), run, id] {
        auto self = weak.lock();
        if (!self || self->loop_.stale(run->step) || run->done || run->timer != id) return;
        self->gatherTimeout(run);
    });
}

void IvrVerbs::gatherTimeout(const std::shared_ptr<GatherRun>& run) {
    if (run->digits.empty() && run->pass < run->verb.repeatCount && !run->verb.prompts.empty()) {
        ++run->pass;
        run->prompt = 0;
        return playPrompt(run);
    }
    gatherDone(run, "");
}

void IvrVerbs::callerDigit(char digit) {
    if (loop_.finished()) return;
    if (startGather_) {
        // One dtmf event per digit (Bandwidth's DtmfCallback); its reply is not BXML to run.
        notify(loop_.callbacks(), loop_.call(), startGather_->dtmf,
               dtmfEvent(loop_.call(), loop_.now(), digit));
    }
    auto run = gather_;
    if (!run || run->done || loop_.stale(run->step)) return;
    if (run->prompting) {  // the first digit interrupts the prompts
        run->prompting = false;
        ++run->promptId;
        loop_.media().stop();
        loop_.setMediaBusy(false);
    }
    if (run->verb.terminatingDigits.find(digit) != std::string::npos)
        return gatherDone(run, std::string(1, digit));
    run->digits += digit;
    if (run->digits.size() >= static_cast<std::size_t>(run->verb.maxDigits))
        return gatherDone(run, "");
    armGatherTimer(run, run->verb.interDigitTimeout);
}

void IvrVerbs::gatherDone(const std::shared_ptr<GatherRun>& run,
                          const std::string& terminatingDigit) {
    run->done = true;
    ++run->timer;
    if (gather_ == run) gather_.reset();
    base::log(LogLevel::Debug, "voice: call " + loop_.call().callId + " <Gather> ended with " +
                                   std::to_string(run->digits.size()) + " digit(s)");
    if (!run->verb.gather) return loop_.next();  // Bandwidth: the digits are dropped
    // An empty reply: the verbs after <Gather> run.
    loop_.fetch(*run->verb.gather,
                gatherEvent(loop_.call(), loop_.now(), run->digits, terminatingDigit),
                VerbLoop::Reply::MayContinue);
}

}  // namespace sb::voice
