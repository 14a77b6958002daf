#pragma once
// SessionStore on an embedded SQLite database: the default, so state survives a restart (even
// SIGKILL: WAL journal, every change its own committed transaction).

#include <memory>
#include <mutex>
#include <string>

#include "server/state/SessionStore.hpp"

struct sqlite3;

namespace sb::state {

class SqliteSessionStore final : public SessionStore {
public:
    // `path` is a file name, or ":memory:" for a private in-memory database (tests).
    explicit SqliteSessionStore(const std::string& path);
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

    void setMembership(const std::string& accountId, const std::string& participantId,
                       const std::optional<std::string>& sessionId,
                       const std::optional<Subscriptions>& subscriptions) override;
    std::vector<Participant> sessionParticipants(const std::string& accountId,
                                                 const std::string& sessionId) const override;
    std::size_t sessionParticipantCount(const std::string& accountId,
                                        const std::string& sessionId) const override;
    StoreCounts counts() const override;

private:
    class Statements;
    void exec(const char* sql) const;

    mutable std::mutex mutex_;
    sqlite3* db_ = nullptr;
    std::unique_ptr<Statements> stmts_;
};

}  // namespace sb::state
