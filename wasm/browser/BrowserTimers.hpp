#pragma once
// TimerPort over setTimeout/clearTimeout (HTML §8.6), through emscripten::val. A timer's id is the
// id of its callback (JsCallbacks.hpp); the browser's own timer handle is kept with it (js::keep).

#include "wasm/browser/JsCallbacks.hpp"
#include "wasm/core/Ports.hpp"

namespace sb::sdk::browser {

class BrowserTimers : public TimerPort {
  public:
    BrowserTimers() = default;
    // A timer that fires after this is destroyed finds its callback gone and does nothing.
    ~BrowserTimers() override { js::removeAll(this); }
    BrowserTimers(const BrowserTimers&) = delete;
    BrowserTimers& operator=(const BrowserTimers&) = delete;

    int start(int delayMs, Fn<void()> callback) override {
        int id = js::add([callback](const val&, const val&) { callback(); }, true, this);
        js::keep(id, web::jsTry(val::global(), "setTimeout", js::onNothing(id), delayMs).value);
        return id;
    }
    void cancel(int id) override {
        // A timer that fired has left the table (a once callback), and its handle with it.
        val handle = js::take(id);
        if (!handle.isUndefined()) web::jsTry(val::global(), "clearTimeout", handle);
    }
};

}  // namespace sb::sdk::browser
