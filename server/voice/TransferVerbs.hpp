#pragma once
// The verbs that hand a call to other numbers through the trunk: <Transfer> (new legs ring,
// the first to answer is connected, transferAnswer / transferDisconnect / transferComplete tell
// the application) and <Forward> (the call is handed on for good).

#include <cstddef>
#include <cstdint>
#include <memory>

#include "server/voice/VerbLoop.hpp"

namespace sb::voice {

class TransferVerbs : public VerbLoop::Family {
  public:
    explicit TransferVerbs(VerbLoop& loop) : loop_(loop) {}
    bool execute(const bxml::Verb& verb) override;

  private:
    struct Context;
    void transfer(const bxml::Transfer& verb);
    void answered(const std::shared_ptr<Context>& ctx, std::size_t index);
    void done(const std::shared_ptr<Context>& ctx, std::uint64_t step,
              const TransferOutcome& outcome);
    void forward(const bxml::Forward& verb);

    VerbLoop& loop_;
};

}  // namespace sb::voice
