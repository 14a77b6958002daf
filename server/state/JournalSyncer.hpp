#pragma once
// Group commit for the OpLog: one thread makes journal records durable (OpLog::sync, an
// fdatasync) for everyone. A writer appends its record, then waits - blocking (waitDurable) or with
// a callback (whenDurable, so an HTTP thread can serve other connections meanwhile) - until a sync
// that started after its append has completed. Every writer that appended while a sync was running
// is covered by the next one: with N requests in flight there is about one fdatasync per N
// records, instead of one each, and request threads never call fdatasync themselves.
//
// If a sync fails, the journal's durability is unknown (after a failed fsync the kernel may have
// dropped the dirty pages: retrying proves nothing), so the syncer fails every waiter from then on
// and failed() tells the store to refuse further writes until a restart recovers from disk.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sb::state {

class OpLog;

class JournalSyncer {
  public:
    using Done = std::function<void(bool durable)>;

    explicit JournalSyncer(OpLog& log);
    // Syncs what is appended, runs every pending callback, then stops the thread.
    ~JournalSyncer();
    JournalSyncer(const JournalSyncer&) = delete;
    JournalSyncer& operator=(const JournalSyncer&) = delete;

    // Blocks until the record with `seq` is durable; false if syncing failed.
    bool waitDurable(std::uint64_t seq);
    // Calls `done(true)` once the record with `seq` is durable, `done(false)` if syncing failed.
    // It runs on the sync thread (or at once, on the caller's, if already decided): keep it short,
    // e.g. post to an io_context.
    void whenDurable(std::uint64_t seq, Done done);

    bool failed() const;
    std::uint64_t durableSeq() const;

  private:
    struct Waiter {
        std::uint64_t seq;
        Done done;
    };
    void run();

    OpLog& log_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;    // to the thread: a sync is wanted, or stop
    std::condition_variable synced_;  // from the thread: durable_ moved (or failed)
    std::uint64_t wanted_ = 0;        // highest seq someone waits for
    std::uint64_t durable_ = 0;       // every record up to this seq is synced
    bool failed_ = false;
    bool stopping_ = false;
    std::vector<Waiter> waiters_;  // callbacks not yet run
    std::thread thread_;
};

}  // namespace sb::state
