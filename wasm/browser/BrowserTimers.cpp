#include "wasm/browser/BrowserTimers.hpp"

namespace sb::sdk::browser {

BrowserTimers::~BrowserTimers() {
    while (!handles_.empty()) cancel(handles_.begin()->first);
}

int BrowserTimers::start(int delayMs, Fn<void()> callback) {
    int id = 0;
    // `id` is assigned by once() before the timer can fire, so the lambda reads the right one.
    auto idHolder = std::make_shared<int>(0);
    val fn = JsCallbacks::once(
        [this, idHolder, callback = std::move(callback)]() {
            handles_.erase(*idHolder);
            callback();
        },
        id);
    *idHolder = id;
    handles_[id] = val::global("setTimeout")(fn, delayMs).as<int>();  // HTML §8.6: an integer
    return id;
}

void BrowserTimers::cancel(int id) {
    auto it = handles_.find(id);
    if (it == handles_.end()) return;
    val::global("clearTimeout")(it->second);
    handles_.erase(it);
    JsCallbacks::remove(id);
}

}  // namespace sb::sdk::browser
