#include "server/state/OpApplier.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <iterator>
#include <stdexcept>
#include <string>

#include "server/base/Log.hpp"
#include "server/state/OpLog.hpp"
#include "server/state/SqliteSessionStore.hpp"

namespace sb::state {

OpApplier::OpApplier(SqliteSessionStore& db, OpLog& log, Options options)
    : db_(db), log_(log), options_(options) {
    pending_.reserve(std::min<std::size_t>(options_.batchOps, 4096));
    thread_ = std::thread([this] { run(); });
}

OpApplier::~OpApplier() {
    stop();
}

void OpApplier::admit() {
    std::unique_lock lock(mutex_);
    if (pending_.size() < options_.maxBacklog) return;
    // Writers outrun the database: wait for it (backpressure), unless it is failing.
    wake_.notify_one();
    std::uint64_t failures = failures_;
    bool room = applied_.wait_for(lock, options_.maxBacklogWait, [&] {
        return pending_.size() < options_.maxBacklog || failures_ != failures || stopped_;
    });
    if (!room || pending_.size() >= options_.maxBacklog)
        throw std::runtime_error("store: " + std::to_string(pending_.size()) +
                                 " changes are waiting for the database; refusing more");
}

void OpApplier::enqueue(std::string&& encodedOp, std::uint64_t seq) {
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(encodedOp));
    queuedSeq_ = seq;
    if (pending_.size() == options_.batchOps) wake_.notify_one();
}

bool OpApplier::flush() {
    std::unique_lock lock(mutex_);
    std::uint64_t target = queuedSeq_;
    std::uint64_t failures = failures_;
    if (appliedSeq_ >= target) return true;
    flushRequested_ = true;
    wake_.notify_one();
    applied_.wait(lock, [&] { return appliedSeq_ >= target || failures_ != failures || stopped_; });
    return appliedSeq_ >= target;
}

bool OpApplier::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopped_) return pending_.empty();
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(mutex_);
    stopped_ = true;
    applied_.notify_all();
    return pending_.empty();
}

void OpApplier::run() {
#ifdef SCHED_BATCH
    // A batch is milliseconds of CPU: it should not preempt the threads that answer requests when
    // it wakes up (it still gets its fair share of the CPU, so it keeps up under load).
    sched_param param{};
    ::pthread_setschedparam(::pthread_self(), SCHED_BATCH, &param);
#endif
    // And a smaller share while requests are waiting: nice 5 weighs a third of nice 0 (the
    // kernel's CFS weights). It only needs a tenth of a core at half of peak POST load, and at
    // peak admit() makes requests wait for it rather than letting the backlog grow.
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), 5);
    ::pthread_setname_np(::pthread_self(), "sb-store");
    std::unique_lock lock(mutex_);
    bool ok = true;
    while (!stopping_) {
        if (ok)
            wake_.wait_for(lock, options_.interval, [&] {
                return stopping_ || flushRequested_ || pending_.size() >= options_.batchOps;
            });
        else  // after a failure, retry once per interval
            wake_.wait_for(lock, options_.interval, [&] { return stopping_; });
        flushRequested_ = false;
        ok = applyPending(lock);
    }
    applyPending(lock);  // what was queued before stop()
}

bool OpApplier::applyPending(std::unique_lock<std::mutex>& lock) {
    if (pending_.empty()) return true;
    // batch_ is empty here; swapping keeps both buffers' capacity. Little is done under the lock:
    // writers wait for it.
    batch_.swap(pending_);
    std::uint64_t last = queuedSeq_;
    lock.unlock();
    std::string error;
    try {
        decoded_.reserve(batch_.size());
        for (const auto& bytes : batch_) decoded_.push_back(decodeStoreOp(bytes));
        db_.applyBatch(decoded_, last);
        log_.releaseUpTo(last);
    } catch (const std::exception& e) {
        error = e.what();
    }
    decoded_.clear();
    if (error.empty()) batch_.clear();
    // Drop the capacity a backlog left.
    if (decoded_.capacity() > 4 * options_.batchOps) std::vector<StoreOp>().swap(decoded_);
    if (error.empty() && batch_.capacity() > 4 * options_.batchOps)
        std::vector<std::string>().swap(batch_);
    lock.lock();
    if (error.empty()) {
        appliedSeq_ = last;
    } else {
        // Keep the batch ahead of what was queued meanwhile; it stays in the journal too.
        if (failures_++ % 100 == 0)
            base::log(base::LogLevel::Error,
                      "store: applying " + std::to_string(batch_.size()) +
                          " journaled changes to the database failed (will retry): " + error);
        batch_.insert(batch_.end(), std::make_move_iterator(pending_.begin()),
                      std::make_move_iterator(pending_.end()));
        batch_.swap(pending_);
        batch_.clear();
    }
    applied_.notify_all();
    return error.empty();
}

}  // namespace sb::state
