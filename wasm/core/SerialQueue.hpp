#pragma once
// Runs asynchronous tasks one at a time, like the two mutexes of the stock SDK (reference §2.4):
// an offer/answer exchange must finish before the next one starts (JSEP, RFC 8829 §4.1.8: a new
// offer cannot be created while one is pending).

#include <vector>
#include "wasm/core/Fn.hpp"

namespace sb::sdk {

class SerialQueue {
  public:
    // A task receives the callback it must call exactly once when it is finished.
    using Task = Fn<void(Fn<void()> finished)>;

    void push(Task task);
    // Drops the tasks not started yet (on close); the running one still calls finished().
    void clear() { tasks_.clear(); }
    // Drops every task, and forgets the running one: its finished() is then ignored.
    void reset() {
        tasks_.clear();
        running_ = false;
        ++serial_;
    }
    bool busy() const { return running_; }

  private:
    void runNext();
    void finished(int serial);

    std::vector<Task> tasks_;
    bool running_ = false;
    bool inside_ = false;    // the running task has not returned yet
    bool finished_ = false;  // the running task called finished()
    int serial_ = 0;         // of the running task
};

}  // namespace sb::sdk
