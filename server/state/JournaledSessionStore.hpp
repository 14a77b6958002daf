#pragma once
// The default SessionStore ("store": "sqlite"): every session and participant in memory (reads
// never touch SQLite and run in parallel), every change journaled before it is acknowledged, and
// the SQLite database brought up to date in the background.
//
// A change: (1) appended to the OpLog with one write() - from then on it survives the process
// being killed; (2) applied to the in-memory MemorySessionStore; (3) queued for the OpApplier,
// which commits many changes per SQLite transaction and then deletes the journal they were in;
// (4) outside the write lock, the writer waits until the JournalSyncer's group commit has synced
// its record (or, inside a CommitScope, leaves that wait to whoever sends the acknowledgement), so
// an acknowledged change survives power loss. A change is visible to readers from (2): for at most
// one fdatasync before it is acknowledged, and lost with it if power fails in between.
// At start the journal left by a killed process is applied to the database, and the memory is
// loaded from the database. Writers are serialised; readers only take a shared lock.

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "server/state/JournalSyncer.hpp"
#include "server/state/MemorySessionStore.hpp"
#include "server/state/OpApplier.hpp"
#include "server/state/OpLog.hpp"
#include "server/state/SessionStore.hpp"

namespace sb::state {

class SqliteSessionStore;

class JournaledSessionStore final : public SessionStore {
  public:
    struct Options {
        OpLog::Options log;
        OpApplier::Options applier;
    };

    // `dbPath`: the SQLite database file; the journal segments and a lock file go next to it.
    explicit JournaledSessionStore(const std::string& dbPath)
        : JournaledSessionStore(dbPath, Options{}) {}
    JournaledSessionStore(const std::string& dbPath, Options options);
    // Applies the backlog to the database and deletes the journal.
    ~JournaledSessionStore() override;
    JournaledSessionStore(const JournaledSessionStore&) = delete;
    JournaledSessionStore& operator=(const JournaledSessionStore&) = delete;

    void createSession(const Session& session) override;
    std::optional<Session> session(const std::string& accountId,
                                   const std::string& sessionId) const override;
    std::vector<std::string> deleteSession(const std::string& accountId,
                                           const std::string& sessionId) override;
    std::vector<Session> expiredSessions(EpochSeconds now) const override;
    std::vector<Participant> participantsCreatedBefore(EpochSeconds cutoff) const override;

    void createParticipant(const Participant& participant) override;
    std::optional<Participant> participant(const std::string& accountId,
                                           const std::string& participantId) const override;
    bool deleteParticipant(const std::string& accountId, const std::string& participantId) override;

    void setMembership(const std::string& accountId, const std::string& participantId,
                       const std::optional<std::string>& sessionId,
                       const std::optional<Subscriptions>& subscriptions) override;
    std::vector<Participant> sessionParticipants(const std::string& accountId,
                                                 const std::string& sessionId) const override;
    std::size_t sessionParticipantCount(const std::string& accountId,
                                        const std::string& sessionId) const override;
    StoreCounts counts() const override;
    std::map<std::string, StoreCounts> countsByAccount() const override;

    // Waits until every change made so far is in the database; false if applying it failed.
    bool flush();
    // Calls `done(true)` once journal record `seq` (a CommitScope's seq()) is durable, done(false)
    // if syncing failed; on the sync thread, or at once. See JournalSyncer::whenDurable.
    void whenDurable(std::uint64_t seq, JournalSyncer::Done done) {
        syncer_->whenDurable(seq, std::move(done));
    }
    // Blocks until everything journaled so far is durable and every whenDurable callback ran.
    void syncAll() { syncer_->waitDurable(log_->appendedSeq()); }
    // fdatasync calls of the journal so far (group commit: far fewer than changes).
    std::uint64_t journalSyncs() const { return log_->syncCount(); }

    // Applies a journal left next to `dbPath` by a killed process to the database and deletes
    // it: for opening the database with SqliteSessionStore alone ("storeCache": false).
    static void applyLeftoverJournal(const std::string& dbPath);

  private:
    // Applies what `log` holds beyond the database's position to `db`; returns the last seq.
    static std::uint64_t replay(OpLog& log, SqliteSessionStore& db);
    // Journals `op`, then runs `toMemory`, then queues `op` for the database; sets `seq` to the
    // op's journal seq. Caller holds writeMutex_.
    template <typename F>
    auto record(const StoreOp& op, std::uint64_t& seq, F&& toMemory);
    // After releasing writeMutex_: returns once journal record `seq` is durable (or deferred to
    // the open CommitScope); throws if syncing failed. No-op for seq 0 (nothing written).
    void awaitDurable(std::uint64_t seq);

    std::mutex writeMutex_;
    std::unique_ptr<SqliteSessionStore> db_;
    MemorySessionStore memory_;
    std::unique_ptr<OpLog> log_;
    std::unique_ptr<OpApplier> applier_;
    std::unique_ptr<JournalSyncer> syncer_;
};

}  // namespace sb::state
