#include "server/sip/endpoint/SofiaLoop.hpp"

#include <sofia-sip/su_log.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>

namespace sb::sip {

namespace {

// sofia logs to stderr through su_log, per module (SOFIA_DEBUG, NUA_DEBUG, NTA_DEBUG,
// TPORT_DEBUG = 0…9; TPORT_LOG=1 dumps every SIP message). Unless SOFIA_DEBUG asks for more,
// only its level-0 (fatal) messages are printed: bind failures etc. reach us as errors anyway.
void initSofiaOnce() {
    static std::once_flag once;
    std::call_once(once, [] {
        su_init();  // process-wide: thread-safe allocators, SIGPIPE ignored
        if (!std::getenv("SOFIA_DEBUG")) su_log_set_level(su_log_default, 0);
    });
}

}  // namespace

SofiaLoop::SofiaLoop(Hooks hooks) : hooks_(std::move(hooks)) {}

SofiaLoop::~SofiaLoop() {
    stop();
}

void SofiaLoop::start() {
    if (thread_.joinable() || stopRequested_) {
        throw std::logic_error("SIP endpoint: start() once, before stop()");
    }
    thread_ = std::thread([this] { threadMain(); });
    std::unique_lock<std::mutex> lock(mutex_);
    if (!started_.wait_for(lock, std::chrono::seconds(10), [this] { return startDone_; })) {
        startError_ = "sofia-sip did not start within 10 s";
    }
    if (!startError_.empty()) {
        auto error = startError_;
        lock.unlock();
        stop();
        throw std::runtime_error(error);
    }
}

void SofiaLoop::stop() {
    std::lock_guard<std::mutex> once(stopMutex_);  // a second caller waits for the first
    stopRequested_ = true;
    if (!thread_.joinable()) return;
    post([this] { hooks_.shutdown(); });
    thread_.join();
}

bool SofiaLoop::post(std::function<void()> fn) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!running_) return false;
    queue_.push_back(std::move(fn));
    if (!wakeupPending_) {
        // Sent under the lock: the thread clears running_ under it before destroying the root.
        su_msg_r msg = SU_MSG_R_INIT;
        if (su_msg_create(msg, su_root_task(root_), su_task_null, &SofiaLoop::onWakeup, 0) == 0 &&
            su_msg_send(msg) == 0) {
            wakeupPending_ = true;
        }
    }
    return true;
}

void SofiaLoop::onWakeup(su_root_magic_t* magic, su_msg_r, su_msg_arg_t*) {
    static_cast<SofiaLoop*>(magic)->drainQueue();
}

void SofiaLoop::drainQueue() {
    std::deque<std::function<void()>> batch;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        batch.swap(queue_);
        wakeupPending_ = false;
    }
    for (auto& fn : batch) fn();
}

void SofiaLoop::threadMain() {
    initSofiaOnce();
    auto fail = [this](std::string why) {
        std::lock_guard<std::mutex> lock(mutex_);
        startError_ = std::move(why);
        startDone_ = true;
        started_.notify_all();
    };
    su_root_t* root = su_root_create(this);
    if (!root) return fail("SIP: su_root_create failed");
    su_root_threading(root, 0);  // run the NUA stack in this thread too

    std::string error = hooks_.open(root);
    if (!error.empty()) {
        su_root_destroy(root);
        return fail(std::move(error));
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        root_ = root;
        running_ = true;
    }
    // stop() may have run before running_ was set (start() timed out): its post() was refused.
    if (stopRequested_) post([this] { hooks_.shutdown(); });

    su_root_run(root);

    {
        std::lock_guard<std::mutex> lock(mutex_);
        running_ = false;
        root_ = nullptr;
        queue_.clear();
        if (!startDone_) {
            startError_ = "SIP: stopped before start completed";
            startDone_ = true;
            started_.notify_all();
        }
    }
    hooks_.close();
    su_root_destroy(root);
}

void SofiaLoop::started(const std::string& error) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!error.empty()) startError_ = error;
    startDone_ = true;
    started_.notify_all();
}

void SofiaLoop::quit() {
    su_root_break(root_);
}

}  // namespace sb::sip
