#pragma once
// The browser's event loop, for native tests: port fakes never call back synchronously (the
// contract in wasm/core/Ports.hpp); they post here and the test runs the loop.

#include <deque>
#include <functional>
#include <map>

namespace sb::sdk::test {

class FakeLoop {
  public:
    void post(std::function<void()> task) { tasks_.push_back(std::move(task)); }
    // Runs queued callbacks (and those they queue) until none is left.
    void run() {
        while (!tasks_.empty()) {
            auto task = std::move(tasks_.front());
            tasks_.pop_front();
            task();
        }
    }
    // Runs the oldest queued callback only (a test that acts between two of them).
    void step() {
        auto task = std::move(tasks_.front());
        tasks_.pop_front();
        task();
    }
    bool idle() const { return tasks_.empty(); }

  private:
    std::deque<std::function<void()>> tasks_;
};

}  // namespace sb::sdk::test
