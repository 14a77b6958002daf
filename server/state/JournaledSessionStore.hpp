#pragma once
// The default SessionStore ("store": "sqlite"): every session and participant in memory (reads
// never touch SQLite and run in parallel), every change journaled before it is acknowledged, and
// the SQLite database brought up to date in the background.
//
// A change: (1) appended to the OpLog with one write() - from then on it survives the process
// being killed; (2) applied to the in-memory MemorySessionStore; (3) queued for the OpApplier,
// which commits many changes per SQLite transaction and then deletes the journal they were in.
// At start the journal left by a killed process is applied to the database, and the memory is
// loaded from the database. Writers are serialised; readers only take a shared lock.

#include <memory>
#include <mutex>
#include <string>

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
    explicit JournaledSessionStore(const std::string& dbPath) : JournaledSessionStore(dbPath, Options{}) {}
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

    // Waits until every change made so far is in the database; false if applying it failed.
    bool flush();

    // Applies a journal left next to `dbPath` by a killed process to the database and deletes
    // it: for opening the database with SqliteSessionStore alone ("storeCache": false).
    static void applyLeftoverJournal(const std::string& dbPath);

private:
    // Applies what `log` holds beyond the database's position to `db`; returns the last seq.
    static std::uint64_t replay(OpLog& log, SqliteSessionStore& db);
    // Journals `op`, then runs `toMemory`, then queues `op` for the database. Caller holds writeMutex_.
    template <typename F>
    auto record(const StoreOp& op, F&& toMemory);

    std::mutex writeMutex_;
    std::unique_ptr<SqliteSessionStore> db_;
    MemorySessionStore memory_;
    std::unique_ptr<OpLog> log_;
    std::unique_ptr<OpApplier> applier_;
};

}  // namespace sb::state
