#pragma once
// TimerPort over setTimeout/clearTimeout (HTML §8.6), through library.js. A timer's id is the id
// of its callback, which JavaScript keys the timeout by.

#include "wasm/browser/JsCallbacks.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk::browser {

class BrowserTimers : public TimerPort {
  public:
    int start(int delayMs, Fn<void()> callback) override {
        int id = js::add([callback](int, int, const std::string&) { callback(); }, true);
        sb_timer_start(id, delayMs);
        return id;
    }
    void cancel(int id) override {
        js::remove(id);
        sb_timer_cancel(id);
    }
};

}  // namespace sb::sdk::browser
