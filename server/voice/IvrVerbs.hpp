#pragma once
// The IVR verbs of a call flow: <SpeakSentence>, <Gather> with its nested prompts,
// <StartGather>/<StopGather>. Bandwidth's rules (dev.bandwidth.com/docs/voice/bxml/gather):
// the prompts play in order and the first digit interrupts them; firstDigitTimeout counts from
// the end of the prompts; without digits the prompts play again, repeatCount times in all; the
// Gather ends on a terminating digit (not part of `digits`), at maxDigits, or when
// interDigitTimeout passes after a digit. The gather event's reply is the next document; an
// empty reply, or no gatherUrl, continues with the verb after the <Gather>. While a
// <StartGather> is in force every digit the caller presses also goes out as a dtmf event.

#include <memory>
#include <optional>

#include "server/voice/VerbLoop.hpp"

namespace sb::voice {

class IvrVerbs : public VerbLoop::Family {
  public:
    explicit IvrVerbs(VerbLoop& loop) : loop_(loop) {}
    bool execute(const bxml::Verb& verb) override;

  private:
    struct GatherRun;
    void gather(const bxml::Gather& verb);
    void playPrompt(const std::shared_ptr<GatherRun>& run);
    void armGatherTimer(const std::shared_ptr<GatherRun>& run, double seconds);
    void gatherTimeout(const std::shared_ptr<GatherRun>& run);
    void callerDigit(char digit);
    void gatherDone(const std::shared_ptr<GatherRun>& run, const std::string& terminatingDigit);
    void hookDigits();

    VerbLoop& loop_;
    std::shared_ptr<GatherRun> gather_;             // the <Gather> collecting digits, if any
    std::optional<bxml::StartGather> startGather_;  // <StartGather> in force (dtmfUrl resolved)
    bool digitsHooked_ = false;                     // media().onDigit() points at callerDigit
};

}  // namespace sb::voice
