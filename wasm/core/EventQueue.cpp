#include "wasm/core/EventQueue.hpp"

namespace sb::sdk {

void EventQueue::post(Fn<void()> event) {
    events_.push_back(std::move(event));
    if (depth_ == 0) flush();
}

void EventQueue::flush() {
    if (flushing_) return;  // an outer flush is running: it will reach this event
    flushing_ = true;
    while (!events_.empty()) {
        auto event = std::move(events_.front());
        events_.erase(events_.begin());
        // The listener may re-enter the SDK; a Scope it opens ends at depth 0 and calls flush(),
        // which returns at once because flushing_ is set.
        event();
    }
    flushing_ = false;
}

}  // namespace sb::sdk
