#pragma once
// The journal of JournaledSessionStore: StoreOps appended to segment files next to the database,
// `<db>.oplog.<seq of its first record, 20 digits>`, mode 0600. A record is written with one
// pwritev(); sync() then makes everything written so far durable (fdatasync). JournaledSessionStore
// acknowledges a change only after a sync covering it (JournalSyncer: one sync thread, group
// commit), so an acknowledged change survives power loss, not only the process being killed.
// After a crash, recovery keeps the intact prefix (checksums and consecutive seqs): records written
// but not yet synced may be lost, never acknowledged ones, and the state stays consistent.
// Record: u32 payload length, u32 CRC-32 of the next 8 + length bytes, u64 seq, encoded StoreOp.
// Seqs are consecutive; recovery stops at the first torn or corrupt record or gap.
//
// Also holds an exclusive lock (flock on `<db>.lock`) so that two processes never share the files.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "server/state/StoreOp.hpp"

namespace sb::state {

class OpLog {
  public:
    struct Options {
        std::size_t segmentBytes = 8u << 20;  // start a new segment file after this many bytes
    };
    struct Recovered {
        std::vector<StoreOp> ops;      // in journal order
        std::uint64_t lastSeq = 0;     // seq of the last op, or `after` if none
        std::size_t ignoredBytes = 0;  // journal bytes from a gap or damage on (dropped)
    };

    // Takes the lock (throws if another process holds it) and finds the existing segments.
    OpLog(std::string dbPath, Options options);
    ~OpLog();
    OpLog(const OpLog&) = delete;
    OpLog& operator=(const OpLog&) = delete;

    // The ops of the existing segments with a seq above `after` (the last one already in the
    // database). Call before start().
    Recovered recover(std::uint64_t after) const;
    // Deletes the existing segments (their ops must be in the database by now) and opens a new
    // one whose first record gets `nextSeq`.
    void start(std::uint64_t nextSeq);

    // Appends one record holding `payload` (an encoded StoreOp) and returns its seq. Not
    // thread-safe: the caller serialises appends. Throws std::system_error if it cannot be
    // written; the journal is then as before. Never syncs: the record is durable once a later
    // sync() returns a seq at or above it.
    std::uint64_t append(const std::string& payload);
    // Makes every record appended before the call durable (fdatasync of the open segment, and of
    // segments closed by rotation since the last sync, and of the directory when a segment was
    // created) and returns the seq of the last of them. Safe to call concurrently with append()
    // (one caller at a time: JournalSyncer's thread). Throws std::system_error if a sync fails.
    std::uint64_t sync();
    // Seq of the last record appended so far (0 before the first).
    std::uint64_t appendedSeq() const { return appendedSeq_.load(std::memory_order_acquire); }
    // fdatasync calls made by sync() so far (for tests and metrics: group commit keeps it far
    // below the number of records).
    std::uint64_t syncCount() const { return syncCount_.load(std::memory_order_relaxed); }
    // Deletes the full segments whose records all have a seq <= `seq` (safe to call concurrently
    // with append()).
    void releaseUpTo(std::uint64_t seq);
    // Closes and deletes every segment: to be called once all ops are in the database.
    void removeAll();

  private:
    struct Segment {
        std::string path;
        std::uint64_t lastSeq = 0;
    };
    std::string segmentPath(std::uint64_t firstSeq) const;
    void openSegment(std::uint64_t firstSeq);
    void rotate();

    std::string dbPath_;
    Options options_;
    int lockFd_ = -1;
    std::vector<std::string> existing_;  // segments found at open, oldest first
    // The open segment (changed by append/rotation, under syncMutex_ so sync() sees a valid fd).
    std::mutex syncMutex_;
    int fd_ = -1;
    std::vector<int> closing_;  // rotated-out segments, closed by the next sync() after syncing
    bool dirDirty_ = false;     // a segment was created since the last sync of the directory
    std::atomic<std::uint64_t> appendedSeq_{0};
    std::atomic<std::uint64_t> syncCount_{0};
    std::string path_;
    std::uint64_t size_ = 0;
    std::uint64_t rotateAt_ = 0;
    std::uint64_t nextSeq_ = 1;
    // Full segments not yet deleted, oldest first.
    std::mutex fullMutex_;
    std::vector<Segment> full_;
};

}  // namespace sb::state
