#include "server/state/JournalSyncer.hpp"

#include <pthread.h>

#include <algorithm>
#include <iterator>

#include "server/base/Log.hpp"
#include "server/state/OpLog.hpp"

namespace sb::state {

JournalSyncer::JournalSyncer(OpLog& log) : log_(log), durable_(log.appendedSeq()) {
    thread_ = std::thread([this] { run(); });
}

JournalSyncer::~JournalSyncer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        wanted_ = std::max(wanted_, log_.appendedSeq());
    }
    wake_.notify_one();
    thread_.join();
}

bool JournalSyncer::waitDurable(std::uint64_t seq) {
    std::unique_lock lock(mutex_);
    if (seq > wanted_) {
        wanted_ = seq;
        wake_.notify_one();
    }
    synced_.wait(lock, [&] { return durable_ >= seq || failed_; });
    return durable_ >= seq;
}

void JournalSyncer::whenDurable(std::uint64_t seq, Done done) {
    std::unique_lock lock(mutex_);
    if (durable_ >= seq || failed_) {
        bool ok = durable_ >= seq;
        lock.unlock();
        done(ok);
        return;
    }
    waiters_.push_back({seq, std::move(done)});
    if (seq > wanted_) {
        wanted_ = seq;
        wake_.notify_one();
    }
}

bool JournalSyncer::failed() const {
    std::lock_guard lock(mutex_);
    return failed_;
}

std::uint64_t JournalSyncer::durableSeq() const {
    std::lock_guard lock(mutex_);
    return durable_;
}

void JournalSyncer::run() {
    ::pthread_setname_np(::pthread_self(), "sb-journal-sync");
    std::unique_lock lock(mutex_);
    std::vector<Waiter> ready;
    for (;;) {
        wake_.wait(lock, [&] { return stopping_ || (wanted_ > durable_ && !failed_); });
        if (wanted_ > durable_ && !failed_) {
            // Everyone who appended until now rides on this sync; whoever appends while it runs
            // waits for the next one.
            lock.unlock();
            std::uint64_t upTo = 0;
            std::string error;
            try {
                upTo = log_.sync();
            } catch (const std::exception& e) {
                error = e.what();
            }
            lock.lock();
            if (error.empty()) {
                durable_ = std::max(durable_, upTo);
            } else {
                failed_ = true;
                base::log(base::LogLevel::Error,
                          "store: syncing the journal failed, refusing further changes until "
                          "a restart: " +
                              error);
            }
        }
        auto split = std::partition(waiters_.begin(), waiters_.end(),
                                    [&](const Waiter& w) { return w.seq > durable_ && !failed_; });
        std::move(split, waiters_.end(), std::back_inserter(ready));
        waiters_.erase(split, waiters_.end());
        std::uint64_t durable = failed_ ? 0 : durable_;
        lock.unlock();
        synced_.notify_all();
        for (auto& w : ready) w.done(w.seq <= durable);
        ready.clear();
        lock.lock();
        if (stopping_ && (wanted_ <= durable_ || failed_) && waiters_.empty()) return;
    }
}

}  // namespace sb::state
