#pragma once
// Applies journaled StoreOps to the SQLite database on a background thread, many per transaction
// (group commit), then lets the OpLog delete the segments that are fully applied. Requests never
// wait for it: they are acknowledged once their op is synced in the OpLog (JournalSyncer).
// SQLite's own work (commits, fsync, WAL checkpoints) therefore happens on this thread only.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/state/StoreOp.hpp"

namespace sb::state {

class OpLog;
class SqliteSessionStore;

class OpApplier {
  public:
    struct Options {
        std::chrono::milliseconds interval{100};         // apply what is queued at least this often
        std::size_t batchOps = 4096;                     // ... or once this many ops are queued
        std::size_t maxBacklog = 100000;                 // admit() waits beyond this ...
        std::chrono::milliseconds maxBacklogWait{5000};  // ... and then refuses (SQLite failing)
    };

    OpApplier(SqliteSessionStore& db, OpLog& log, Options options);
    ~OpApplier();  // stop()
    OpApplier(const OpApplier&) = delete;
    OpApplier& operator=(const OpApplier&) = delete;

    // Call before journaling an op: waits while the backlog is full, throws std::runtime_error if
    // it stays full (the database is failing or far too slow).
    void admit();
    // Queues the op the OpLog journaled with `seq` (seqs increase by one per call), in its
    // encoded form: that is a third of the memory of a StoreOp, and decoding is the thread's work.
    void enqueue(std::string&& encodedOp, std::uint64_t seq);
    // Waits until everything queued so far is committed; false if applying failed.
    bool flush();
    // Applies what is queued and stops the thread; true if nothing is left unapplied. Idempotent.
    bool stop();

  private:
    void run();
    bool applyPending(std::unique_lock<std::mutex>& lock);

    SqliteSessionStore& db_;
    OpLog& log_;
    Options options_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;     // to the thread: work or stop
    std::condition_variable applied_;  // from the thread: a batch was committed (or failed)
    std::vector<std::string> pending_;
    std::vector<std::string> batch_;  // being applied (the thread's; swapped with pending_)
    std::vector<StoreOp> decoded_;    // batch_ decoded (the thread's)
    std::uint64_t queuedSeq_ = 0;     // seq of the last op queued
    std::uint64_t appliedSeq_ = 0;    // seq of the last op committed
    std::uint64_t failures_ = 0;      // batches that failed, in total
    bool flushRequested_ = false;
    bool stopping_ = false;
    bool stopped_ = false;
    std::thread thread_;
};

}  // namespace sb::state
