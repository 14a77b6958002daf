#pragma once
// Lets the thread that handles a request acknowledge its writes later instead of blocking on them.
// A store whose writes become durable asynchronously (JournaledSessionStore: journal records wait
// for the group commit's fdatasync) normally blocks each write until it is durable. While a
// CommitScope is open on the thread, it records the journal position instead and returns at once;
// whoever opened the scope must not acknowledge the request before that position is durable
// (HttpSession sends the reply from JournalSyncer's callback). Outside a scope nothing changes, so
// callers that cannot defer their reply (the SIP bridge, tests) stay safe by default.

#include <cstdint>

namespace sb::state {

class CommitScope {
  public:
    CommitScope();
    ~CommitScope();
    CommitScope(const CommitScope&) = delete;
    CommitScope& operator=(const CommitScope&) = delete;

    // The highest journal seq written while the scope was open; 0 if nothing was written.
    std::uint64_t seq() const { return seq_; }

    // For stores: if a scope is open on this thread, remembers `seq` in it and returns true (the
    // caller then does not wait); otherwise returns false (the caller must wait itself).
    static bool defer(std::uint64_t seq);

  private:
    std::uint64_t seq_ = 0;
    CommitScope* outer_;
};

}  // namespace sb::state
