#pragma once
// setTimeout with a hand-driven clock.

#include <functional>
#include <map>

#include "wasm/core/Ports.hpp"

namespace sb::sdk::test {

class FakeTimers : public TimerPort {
  public:
    int start(int delayMs, Fn<void()> callback) override {
        int id = nextId_++;
        timers_[id] = Timer{now_ + delayMs, std::move(callback)};
        return id;
    }
    void cancel(int id) override { timers_.erase(id); }

    // Moves the clock forward, firing due timers in time order.
    void advance(long ms) {
        long until = now_ + ms;
        for (;;) {
            auto due = timers_.end();
            for (auto it = timers_.begin(); it != timers_.end(); ++it)
                if (it->second.at <= until &&
                    (due == timers_.end() || it->second.at < due->second.at))
                    due = it;
            if (due == timers_.end()) break;
            now_ = due->second.at;
            auto cb = std::move(due->second.callback);
            timers_.erase(due);
            cb();
        }
        now_ = until;
    }
    std::size_t active() const { return timers_.size(); }
    long now() const { return now_; }

  private:
    struct Timer {
        long at;
        Fn<void()> callback;
    };
    std::map<int, Timer> timers_;
    int nextId_ = 1;
    long now_ = 0;
};

}  // namespace sb::sdk::test
