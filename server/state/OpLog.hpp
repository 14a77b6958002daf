#pragma once
// The journal of JournaledSessionStore: StoreOps appended to segment files next to the database,
// `<db>.oplog.<seq of its first record, 20 digits>`. A record is written with one pwritev() before
// the change is acknowledged, so it survives the process being killed. It is not fsynced: like
// SQLite's synchronous=NORMAL, an OS crash may lose the last records; recovery then keeps the
// intact prefix (checksums and consecutive seqs), so the state stays consistent.
// Record: u32 payload length, u32 CRC-32 of the next 8 + length bytes, u64 seq, encoded StoreOp.
// Seqs are consecutive; recovery stops at the first torn or corrupt record or gap.
//
// Also holds an exclusive lock (flock on `<db>.lock`) so that two processes never share the files.

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
        std::vector<StoreOp> ops;    // in journal order
        std::uint64_t lastSeq = 0;   // seq of the last op, or `after` if none
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
    // written; the journal is then as before.
    std::uint64_t append(const std::string& payload);
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
    // The open segment (touched by append only).
    int fd_ = -1;
    std::string path_;
    std::uint64_t size_ = 0;
    std::uint64_t rotateAt_ = 0;
    std::uint64_t nextSeq_ = 1;
    // Full segments not yet deleted, oldest first.
    std::mutex fullMutex_;
    std::vector<Segment> full_;
};

}  // namespace sb::state
