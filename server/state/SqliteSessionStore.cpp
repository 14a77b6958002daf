#include "server/state/SqliteSessionStore.hpp"

#include <sqlite3.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "server/state/ModelJson.hpp"
#include "server/state/PrivateFile.hpp"
#include "server/state/SqliteRows.hpp"
#include "server/state/SqliteStatement.hpp"

namespace sb::state {

using Stmt = SqliteStatement;
using namespace sqlite_rows;

class SqliteSessionStore::Statements {
  public:
    explicit Statements(sqlite3* db)
        : insertSession(db, std::string("INSERT OR REPLACE INTO sessions(") + kSessionColumns +
                                ") VALUES(?1, ?2, ?3, ?4, ?5)"),
          selectSession(db, selectSessions("WHERE id = ?1 AND account_id = ?2")),
          deleteSession(db, "DELETE FROM sessions WHERE id = ?1 AND account_id = ?2"),
          expiredSessions(db, selectSessions("WHERE expires_at <= ?1")),
          allSessions(db, selectSessions("")),
          detachMembers(db,
                        "UPDATE participants SET session_id = NULL, subscriptions = NULL "
                        "WHERE session_id = ?1 AND account_id = ?2"),
          insertParticipant(db, std::string("INSERT OR REPLACE INTO participants(") +
                                    kParticipantColumns +
                                    ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
          selectParticipant(db, selectParticipants("WHERE id = ?1 AND account_id = ?2")),
          allParticipants(db, selectParticipants("")),
          deleteParticipant(db, "DELETE FROM participants WHERE id = ?1 AND account_id = ?2"),
          setMembership(db,
                        "UPDATE participants SET session_id = ?3, subscriptions = ?4 "
                        "WHERE id = ?1 AND account_id = ?2"),
          selectMembers(
              db, selectParticipants("WHERE session_id = ?1 AND account_id = ?2 ORDER BY id")),
          selectMemberIds(db,
                          "SELECT id FROM participants WHERE session_id = ?1 AND account_id = ?2 "
                          "ORDER BY id"),
          countMembers(
              db, "SELECT COUNT(*) FROM participants WHERE session_id = ?1 AND account_id = ?2"),
          countSessions(db, "SELECT COUNT(*) FROM sessions"),
          countParticipants(db, "SELECT COUNT(*) FROM participants"),
          createdBefore(db, selectParticipants("WHERE created_at <= ?1")),
          sessionsByAccount(db, "SELECT account_id, COUNT(*) FROM sessions GROUP BY account_id"),
          participantsByAccount(
              db, "SELECT account_id, COUNT(*) FROM participants GROUP BY account_id"),
          selectAppliedSeq(db, "SELECT value FROM store_meta WHERE key = 'applied_seq'"),
          setAppliedSeq(db,
                        "INSERT OR REPLACE INTO store_meta(key, value) VALUES('applied_seq', ?1)"),
          begin(db, "BEGIN IMMEDIATE"),
          commit(db, "COMMIT"),
          rollback(db, "ROLLBACK") {}

    Stmt insertSession, selectSession, deleteSession, expiredSessions, allSessions, detachMembers;
    Stmt insertParticipant, selectParticipant, allParticipants, deleteParticipant, setMembership;
    Stmt selectMembers, selectMemberIds, countMembers, countSessions, countParticipants;
    Stmt createdBefore, sessionsByAccount, participantsByAccount;
    Stmt selectAppliedSeq, setAppliedSeq;
    Stmt begin, commit, rollback;
};

SqliteSessionStore::SqliteSessionStore(const std::string& path, Options options) {
    createPrivateFile(path);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        throw std::runtime_error("sqlite: cannot open " + path + ": " + msg);
    }
    try {
        // WAL (readers never block the writer) with synchronous=FULL: "a transaction committed in
        // WAL mode with synchronous=NORMAL might roll back following a power loss or system crash"
        // (https://www.sqlite.org/pragma.html#pragma_synchronous); FULL syncs the WAL at each
        // commit, and a change is acknowledged once committed.
        exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=FULL");
        exec("PRAGMA busy_timeout=5000");
        if (options.walAutocheckpointPages > 0)
            exec(("PRAGMA wal_autocheckpoint=" + std::to_string(options.walAutocheckpointPages))
                     .c_str());
        exec("PRAGMA foreign_keys=OFF");
        exec(kSchema);
        stmts_ = std::make_unique<Statements>(db_);
    } catch (...) {
        stmts_.reset();
        sqlite3_close(db_);
        throw;
    }
}

SqliteSessionStore::~SqliteSessionStore() {
    stmts_.reset();
    sqlite3_close(db_);
}

void SqliteSessionStore::exec(const char* sql) const {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        throw std::runtime_error(std::string("sqlite: ") + msg);
    }
}

template <typename F>
auto SqliteSessionStore::transaction(F&& body) {
    stmts_->begin.run();
    try {
        auto result = body();
        stmts_->commit.run();
        return result;
    } catch (...) {
        if (!sqlite3_get_autocommit(db_)) stmts_->rollback.run();
        throw;
    }
}

// ---------------------------------------------------------------- writes (caller holds mutex_)

void SqliteSessionStore::insertSession(const Session& s) {
    stmts_->insertSession.bind(1, s.id)
        .bind(2, s.accountId)
        .bind(3, s.tag)
        .bind(4, s.createdAt)
        .bind(5, s.expiresAt)
        .run();
}

void SqliteSessionStore::insertParticipant(const Participant& p) {
    stmts_->insertParticipant.bind(1, p.id)
        .bind(2, p.accountId)
        .bind(3, p.callbackUrl)
        .bind(4, std::int64_t{p.publishPermissions.audio})
        .bind(5, std::int64_t{p.publishPermissions.video})
        .bind(6, p.tag)
        .bind(7, p.deviceApiVersion)
        .bind(8, p.createdAt)
        .bind(9, p.sessionId)
        .bind(10, storedSubscriptions(p.subscriptions))
        .run();
}

std::vector<std::string> SqliteSessionStore::removeSession(const std::string& accountId,
                                                           const std::string& sessionId) {
    std::vector<std::string> members;
    {
        auto& st = stmts_->selectMemberIds;
        Stmt::Reset g{st};
        st.bind(1, sessionId).bind(2, accountId);
        while (st.step()) members.push_back(st.text(0));
    }
    stmts_->detachMembers.bind(1, sessionId).bind(2, accountId).run();
    stmts_->deleteSession.bind(1, sessionId).bind(2, accountId).run();
    return members;
}

bool SqliteSessionStore::removeParticipant(const std::string& accountId,
                                           const std::string& participantId) {
    stmts_->deleteParticipant.bind(1, participantId).bind(2, accountId).run();
    return sqlite3_changes(db_) > 0;
}

void SqliteSessionStore::updateMembership(const std::string& accountId,
                                          const std::string& participantId,
                                          const std::optional<std::string>& sessionId,
                                          const std::optional<Subscriptions>& subscriptions) {
    stmts_->setMembership.bind(1, participantId)
        .bind(2, accountId)
        .bind(3, sessionId)
        .bind(4, sessionId ? storedSubscriptions(subscriptions) : std::nullopt)
        .run();
}

void SqliteSessionStore::apply(const StoreOp& op) {
    const Participant& p = op.participant;
    switch (op.kind) {
        case StoreOp::Kind::CreateSession:
            return insertSession(op.session);
        case StoreOp::Kind::DeleteSession:
            removeSession(op.session.accountId, op.session.id);
            return;
        case StoreOp::Kind::CreateParticipant:
            return insertParticipant(p);
        case StoreOp::Kind::DeleteParticipant:
            removeParticipant(p.accountId, p.id);
            return;
        case StoreOp::Kind::SetMembership:
            return updateMembership(p.accountId, p.id, p.sessionId, p.subscriptions);
    }
}

// ---------------------------------------------------------------- SessionStore

void SqliteSessionStore::createSession(const Session& s) {
    std::lock_guard lock(mutex_);
    insertSession(s);
}

std::optional<Session> SqliteSessionStore::session(const std::string& accountId,
                                                   const std::string& sessionId) const {
    std::lock_guard lock(mutex_);
    auto& st = stmts_->selectSession;
    Stmt::Reset g{st};
    st.bind(1, sessionId).bind(2, accountId);
    if (!st.step()) return std::nullopt;
    return readSession(st);
}

std::vector<std::string> SqliteSessionStore::deleteSession(const std::string& accountId,
                                                           const std::string& sessionId) {
    std::lock_guard lock(mutex_);
    return transaction([&] { return removeSession(accountId, sessionId); });
}

std::vector<Session> SqliteSessionStore::expiredSessions(EpochSeconds now) const {
    std::lock_guard lock(mutex_);
    auto& st = stmts_->expiredSessions;
    Stmt::Reset g{st};
    st.bind(1, now);
    std::vector<Session> out;
    while (st.step()) out.push_back(readSession(st));
    return out;
}

void SqliteSessionStore::createParticipant(const Participant& p) {
    std::lock_guard lock(mutex_);
    insertParticipant(p);
}

std::optional<Participant> SqliteSessionStore::participant(const std::string& accountId,
                                                           const std::string& participantId) const {
    std::lock_guard lock(mutex_);
    auto& st = stmts_->selectParticipant;
    Stmt::Reset g{st};
    st.bind(1, participantId).bind(2, accountId);
    if (!st.step()) return std::nullopt;
    return readParticipant(st);
}

bool SqliteSessionStore::deleteParticipant(const std::string& accountId,
                                           const std::string& participantId) {
    std::lock_guard lock(mutex_);
    return removeParticipant(accountId, participantId);
}

void SqliteSessionStore::setMembership(const std::string& accountId,
                                       const std::string& participantId,
                                       const std::optional<std::string>& sessionId,
                                       const std::optional<Subscriptions>& subscriptions) {
    std::lock_guard lock(mutex_);
    updateMembership(accountId, participantId, sessionId, subscriptions);
}

std::vector<Participant> SqliteSessionStore::sessionParticipants(
    const std::string& accountId, const std::string& sessionId) const {
    std::lock_guard lock(mutex_);
    auto& st = stmts_->selectMembers;
    Stmt::Reset g{st};
    st.bind(1, sessionId).bind(2, accountId);
    std::vector<Participant> out;
    while (st.step()) out.push_back(readParticipant(st));
    return out;
}

std::size_t SqliteSessionStore::sessionParticipantCount(const std::string& accountId,
                                                        const std::string& sessionId) const {
    std::lock_guard lock(mutex_);
    auto& st = stmts_->countMembers;
    Stmt::Reset g{st};
    st.bind(1, sessionId).bind(2, accountId);
    st.step();
    return static_cast<std::size_t>(st.int64(0));
}

StoreCounts SqliteSessionStore::counts() const {
    std::lock_guard lock(mutex_);
    StoreCounts c;
    {
        Stmt::Reset g{stmts_->countSessions};
        stmts_->countSessions.step();
        c.sessions = static_cast<std::size_t>(stmts_->countSessions.int64(0));
    }
    {
        Stmt::Reset g{stmts_->countParticipants};
        stmts_->countParticipants.step();
        c.participants = static_cast<std::size_t>(stmts_->countParticipants.int64(0));
    }
    return c;
}

// A full scan (no index on created_at: it would cost every insert a second b-tree write): run once
// per expiry sweep, over at most the per-account caps' worth of rows.
std::vector<Participant> SqliteSessionStore::participantsCreatedBefore(EpochSeconds cutoff) const {
    std::lock_guard lock(mutex_);
    auto& st = stmts_->createdBefore;
    Stmt::Reset g{st};
    st.bind(1, cutoff);
    std::vector<Participant> out;
    while (st.step()) out.push_back(readParticipant(st));
    return out;
}

std::map<std::string, StoreCounts> SqliteSessionStore::countsByAccount() const {
    std::lock_guard lock(mutex_);
    std::map<std::string, StoreCounts> out;
    {
        auto& st = stmts_->sessionsByAccount;
        Stmt::Reset g{st};
        while (st.step()) out[st.text(0)].sessions = static_cast<std::size_t>(st.int64(1));
    }
    auto& st = stmts_->participantsByAccount;
    Stmt::Reset g{st};
    while (st.step()) out[st.text(0)].participants = static_cast<std::size_t>(st.int64(1));
    return out;
}

// ---------------------------------------------------------------- journal support

void SqliteSessionStore::applyBatch(const std::vector<StoreOp>& ops, std::uint64_t lastSeq) {
    std::lock_guard lock(mutex_);
    transaction([&] {
        for (const auto& op : ops) apply(op);
        stmts_->setAppliedSeq.bind(1, static_cast<std::int64_t>(lastSeq)).run();
        return 0;
    });
}

std::uint64_t SqliteSessionStore::appliedSeq() const {
    std::lock_guard lock(mutex_);
    auto& st = stmts_->selectAppliedSeq;
    Stmt::Reset g{st};
    return st.step() ? static_cast<std::uint64_t>(st.int64(0)) : 0;
}

void SqliteSessionStore::forEach(const std::function<void(Session&&)>& onSession,
                                 const std::function<void(Participant&&)>& onParticipant) const {
    std::lock_guard lock(mutex_);
    {
        auto& st = stmts_->allSessions;
        Stmt::Reset g{st};
        while (st.step()) onSession(readSession(st));
    }
    auto& st = stmts_->allParticipants;
    Stmt::Reset g{st};
    while (st.step()) onParticipant(readParticipant(st));
}

}  // namespace sb::state
