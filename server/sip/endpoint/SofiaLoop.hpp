#pragma once
// Sofia's thread, the event loop (su_root) it runs, and the command queue into it. Knows nothing
// of SIP: what runs in the loop (the NUA stack) is set up and torn down through Hooks.
//
// Marshalling into sofia's thread: commands (answer, dial…) are closures put in a mutex-protected
// queue; the first closure put in an empty queue also sends an su_msg to the root's task, which
// sofia delivers in its thread (su_msg_send() onto another task's port is sofia's own
// cross-thread mechanism: the port's message queue is locked and the loop is woken through its
// mailbox socket). The message's handler drains the queue. The NUA stack runs in the same thread
// as its callback (su_root_threading(root, 0)), so there is exactly one sofia thread.
//
// Members marked [sofia] are touched only on sofia's thread; [any] ones are thread-safe.

#include <sofia-sip/su_wait.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace sb::sip {

class SofiaLoop {
  public:
    struct Hooks {  // called on sofia's thread
        // Sets up what runs in the loop, on the new root: "" when done, else why it failed.
        // start() returns once started() is called.
        std::function<std::string(su_root_t* root)> open;
        // stop() was called: end what runs, which then ends the loop (quit()).
        std::function<void()> shutdown;
        // The loop has ended and takes no more commands: tear down what open() set up.
        std::function<void()> close;
    };

    explicit SofiaLoop(Hooks hooks);
    ~SofiaLoop();  // stop()
    SofiaLoop(const SofiaLoop&) = delete;
    SofiaLoop& operator=(const SofiaLoop&) = delete;

    // [any]
    void start();                         // throws std::runtime_error when the loop does not start
    void stop();                          // blocking, idempotent
    bool post(std::function<void()> fn);  // false when sofia's thread is not running

    // [sofia]
    su_root_t* root() const { return root_; }
    void started(const std::string& error);  // what open() set up is ready ("") or failed
    void quit();                             // su_root_run() returns

  private:
    void threadMain();
    void drainQueue();
    static void onWakeup(su_root_magic_t* magic, su_msg_r msg, su_msg_arg_t* arg);

    const Hooks hooks_;

    std::mutex mutex_;  // guards the fields below, and the root's lifetime for post()
    std::condition_variable started_;
    bool running_ = false;
    bool startDone_ = false;
    std::string startError_;
    bool wakeupPending_ = false;
    std::deque<std::function<void()>> queue_;
    su_root_t* root_ = nullptr;

    std::thread thread_;
    std::mutex stopMutex_;  // serialises stop(): joins the thread once
    std::atomic<bool> stopRequested_{false};
};

}  // namespace sb::sip
