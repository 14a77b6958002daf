#include "wasm/core/SerialQueue.hpp"

#include <memory>

namespace sb::sdk {

void SerialQueue::push(Task task) {
    tasks_.push_back(std::move(task));
    if (!running_) runNext();
}

void SerialQueue::runNext() {
    // A loop rather than recursion: tasks that finish synchronously do not grow the stack.
    while (!running_ && !tasks_.empty()) {
        auto task = std::move(tasks_.front());
        tasks_.erase(tasks_.begin());
        running_ = true;
        // 0: the task is still running synchronously, 1: it finished before returning,
        // 2: it returned and will finish later, 3: done (a second call is ignored).
        auto phase = std::make_shared<int>(0);
        task([this, phase]() {
            if (*phase == 0) {
                *phase = 1;
            } else if (*phase == 2) {
                *phase = 3;
                running_ = false;
                runNext();
            }
        });
        if (*phase == 1) {
            *phase = 3;
            running_ = false;
        } else {
            *phase = 2;
        }
    }
}

}  // namespace sb::sdk
