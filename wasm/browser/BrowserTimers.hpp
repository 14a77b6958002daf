#pragma once
// TimerPort over setTimeout/clearTimeout (HTML §8.6).

#include <map>

#include "wasm/browser/JsCallbacks.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk::browser {

class BrowserTimers : public TimerPort {
  public:
    ~BrowserTimers() override;
    int start(int delayMs, Fn<void()> callback) override;
    void cancel(int id) override;

  private:
    std::map<int, int> handles_;  // our id (the callback's id) → setTimeout's handle
};

}  // namespace sb::sdk::browser
