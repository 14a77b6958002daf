#pragma once
// SessionStore on an embedded SQLite database, so state survives a restart, a SIGKILL and power
// loss: WAL journal with synchronous=FULL, every change its own committed transaction. Used
// directly ("storeCache": false) or as the on-disk copy behind JournaledSessionStore, which
// applies its journal with applyBatch(). The database file is created with mode 0600; SQLite
// gives its -wal and -shm files the database file's permissions.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/state/SessionStore.hpp"
#include "server/state/StoreOp.hpp"

struct sqlite3;

namespace sb::state {

class SqliteSessionStore final : public SessionStore {
  public:
    struct Options {
        int walAutocheckpointPages = 0;  // checkpoint when the WAL reaches this; 0: SQLite's 1000
    };

    // `path` is a file name, or ":memory:" for a private in-memory database (tests).
    explicit SqliteSessionStore(const std::string& path) : SqliteSessionStore(path, Options{}) {}
    SqliteSessionStore(const std::string& path, Options options);
    ~SqliteSessionStore() override;
    SqliteSessionStore(const SqliteSessionStore&) = delete;
    SqliteSessionStore& operator=(const SqliteSessionStore&) = delete;

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
    std::vector<Participant> participantsCreatedBefore(EpochSeconds cutoff) const override;

    void setMembership(const std::string& accountId, const std::string& participantId,
                       const std::optional<std::string>& sessionId,
                       const std::optional<Subscriptions>& subscriptions) override;
    std::vector<Participant> sessionParticipants(const std::string& accountId,
                                                 const std::string& sessionId) const override;
    std::size_t sessionParticipantCount(const std::string& accountId,
                                        const std::string& sessionId) const override;
    StoreCounts counts() const override;
    std::map<std::string, StoreCounts> countsByAccount() const override;

    // Applies `ops` in order in one transaction and records `lastSeq` as the journal position
    // they reach (see appliedSeq()).
    void applyBatch(const std::vector<StoreOp>& ops, std::uint64_t lastSeq);
    // The `lastSeq` of the last applyBatch ever committed to this database, 0 if none.
    std::uint64_t appliedSeq() const;
    // Calls the functions with every stored session, then with every participant.
    void forEach(const std::function<void(Session&&)>& onSession,
                 const std::function<void(Participant&&)>& onParticipant) const;

  private:
    class Statements;
    void exec(const char* sql) const;
    void apply(const StoreOp& op);
    void insertSession(const Session& s);
    void insertParticipant(const Participant& p);
    std::vector<std::string> removeSession(const std::string& accountId,
                                           const std::string& sessionId);
    bool removeParticipant(const std::string& accountId, const std::string& participantId);
    void updateMembership(const std::string& accountId, const std::string& participantId,
                          const std::optional<std::string>& sessionId,
                          const std::optional<Subscriptions>& subscriptions);
    // Runs `body` in a BEGIN IMMEDIATE ... COMMIT transaction, rolled back if it throws.
    template <typename F>
    auto transaction(F&& body);

    mutable std::mutex mutex_;
    sqlite3* db_ = nullptr;
    std::unique_ptr<Statements> stmts_;
};

}  // namespace sb::state
