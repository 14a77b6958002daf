#pragma once
// TimerPort over setTimeout/clearTimeout (HTML §8.6), through emscripten::val. A timer's id is the
// id of its callback (JsCallbacks.hpp); the browser's own timer handle is kept next to it.

#include <utility>
#include <vector>

#include "wasm/browser/JsCallbacks.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk::browser {

class BrowserTimers : public TimerPort {
  public:
    BrowserTimers() = default;
    ~BrowserTimers() override {
        while (!pending_.empty()) cancel(pending_.back().first);
    }
    BrowserTimers(const BrowserTimers&) = delete;
    BrowserTimers& operator=(const BrowserTimers&) = delete;

    int start(int delayMs, Fn<void()> callback) override {
        int id = js::add(
            [this, callback](const val&, const val&) {
                forgetFired();
                callback();
            },
            true);
        pending_.emplace_back(
            id, web::jsTry(val::global(), "setTimeout", js::onNothing(id), delayMs).value);
        return id;
    }
    void cancel(int id) override {
        js::remove(id);
        for (auto it = pending_.begin(); it != pending_.end(); ++it) {
            if (it->first == id) {
                web::jsTry(val::global(), "clearTimeout", it->second);
                pending_.erase(it);
                return;
            }
        }
    }

  private:
    // Drops the handles of timers that fired: a once callback leaves the table before it runs.
    void forgetFired() {
        for (auto it = pending_.begin(); it != pending_.end();)
            it = js::has(it->first) ? it + 1 : pending_.erase(it);
    }
    std::vector<std::pair<int, val>> pending_;  // callback id, setTimeout's handle
};

}  // namespace sb::sdk::browser
