#include "wasm/core/SerialQueue.hpp"

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
        inside_ = true;
        finished_ = false;
        int serial = ++serial_;
        task([this, serial]() { finished(serial); });
        if (serial != serial_) return;  // reset() from inside the task
        inside_ = false;
        if (finished_) running_ = false;
    }
}

void SerialQueue::finished(int serial) {
    if (serial != serial_ || finished_) return;  // a task of before reset(), or a second call
    finished_ = true;
    if (inside_) return;  // runNext() goes on when the task returns
    running_ = false;
    runNext();
}

}  // namespace sb::sdk
