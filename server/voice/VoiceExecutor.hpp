#pragma once
// Where the voice code runs its continuations: call flows, timers (Pause, Ring, call timeouts)
// and callback completions are all serialised on one executor, so a flow never runs on two
// threads at once and never re-enters itself. AsioVoiceExecutor is the server's; tests use a
// manual one with virtual time.

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <functional>
#include <memory>

namespace sb::voice {

class VoiceExecutor {
  public:
    virtual ~VoiceExecutor() = default;
    // Runs `task` later on the executor (never inside the call). Thread-safe.
    virtual void post(std::function<void()> task) = 0;
    // Runs `task` on the executor after `delay`. Thread-safe.
    virtual void after(std::chrono::milliseconds delay, std::function<void()> task) = 0;
};

// A strand of the server's io_context.
class AsioVoiceExecutor : public VoiceExecutor {
  public:
    explicit AsioVoiceExecutor(const boost::asio::any_io_executor& executor);
    ~AsioVoiceExecutor() override;
    void post(std::function<void()> task) override;
    void after(std::chrono::milliseconds delay, std::function<void()> task) override;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sb::voice
