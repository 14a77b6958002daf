#include "server/state/SqliteSessionStore.hpp"

#include <sqlite3.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "server/state/ModelJson.hpp"

namespace sb::state {

namespace {

[[noreturn]] void fail(sqlite3* db, const std::string& what) {
    throw std::runtime_error("sqlite: " + what + ": " + (db ? sqlite3_errmsg(db) : "no database"));
}

// A prepared statement that is reset after every use, so it can be kept for the store's lifetime.
class Stmt {
public:
    Stmt(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr) != SQLITE_OK)
            fail(db, std::string("prepare ") + sql);
    }
    ~Stmt() { sqlite3_finalize(stmt_); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    Stmt& bind(int i, const std::string& v) {
        sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Stmt& bind(int i, const std::optional<std::string>& v) {
        if (v) return bind(i, *v);
        sqlite3_bind_null(stmt_, i);
        return *this;
    }
    Stmt& bind(int i, std::int64_t v) {
        sqlite3_bind_int64(stmt_, i, v);
        return *this;
    }
    // Returns true while a row is available.
    bool step() {
        int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        fail(db_, "step");
    }
    void run() {
        step();
        reset();
    }
    void reset() {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
    std::string text(int col) const {
        auto* p = sqlite3_column_text(stmt_, col);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
                 : std::string();
    }
    std::optional<std::string> optText(int col) const {
        if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
        return text(col);
    }
    std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// Resets a statement on scope exit, also when reading a row throws.
struct ResetGuard {
    Stmt& s;
    ~ResetGuard() { s.reset(); }
};

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY, account_id TEXT NOT NULL, tag TEXT,
  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions(expires_at);
CREATE TABLE IF NOT EXISTS participants (
  id TEXT PRIMARY KEY, account_id TEXT NOT NULL, callback_url TEXT,
  publish_audio INTEGER NOT NULL, publish_video INTEGER NOT NULL, tag TEXT,
  device_api_version TEXT NOT NULL, created_at INTEGER NOT NULL,
  session_id TEXT, subscriptions TEXT) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS participants_session ON participants(session_id);
)sql";

constexpr const char* kParticipantColumns =
    "id, account_id, callback_url, publish_audio, publish_video, tag, device_api_version, "
    "created_at, session_id, subscriptions";

Participant readParticipant(const Stmt& s) {
    Participant p;
    p.id = s.text(0);
    p.accountId = s.text(1);
    p.callbackUrl = s.optText(2);
    p.publishPermissions.audio = s.int64(3) != 0;
    p.publishPermissions.video = s.int64(4) != 0;
    p.tag = s.optText(5);
    p.deviceApiVersion = s.text(6);
    p.createdAt = s.int64(7);
    p.sessionId = s.optText(8);
    if (auto subs = s.optText(9)) p.subscriptions = subscriptionsFromStoredJson(nlohmann::json::parse(*subs));
    return p;
}

Session readSession(const Stmt& s) {
    return Session{s.text(0), s.text(1), s.optText(2), s.int64(3), s.int64(4)};
}

std::optional<std::string> storedSubscriptions(const std::optional<Subscriptions>& s) {
    if (!s) return std::nullopt;
    return toJson(*s).dump();
}

}  // namespace

class SqliteSessionStore::Statements {
public:
    explicit Statements(sqlite3* db)
        : insertSession(db,
                        "INSERT OR REPLACE INTO sessions(id, account_id, tag, created_at, expires_at) "
                        "VALUES(?1, ?2, ?3, ?4, ?5)"),
          selectSession(db,
                        "SELECT id, account_id, tag, created_at, expires_at FROM sessions "
                        "WHERE id = ?1 AND account_id = ?2"),
          deleteSession(db, "DELETE FROM sessions WHERE id = ?1 AND account_id = ?2"),
          expiredSessions(db,
                          "SELECT id, account_id, tag, created_at, expires_at FROM sessions "
                          "WHERE expires_at <= ?1"),
          detachMembers(db,
                        "UPDATE participants SET session_id = NULL, subscriptions = NULL "
                        "WHERE session_id = ?1 AND account_id = ?2"),
          insertParticipant(db, (std::string("INSERT OR REPLACE INTO participants(") +
                                 kParticipantColumns +
                                 ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
                                    .c_str()),
          selectParticipant(db, (std::string("SELECT ") + kParticipantColumns +
                                 " FROM participants WHERE id = ?1 AND account_id = ?2")
                                    .c_str()),
          deleteParticipant(db, "DELETE FROM participants WHERE id = ?1 AND account_id = ?2"),
          setMembership(db,
                        "UPDATE participants SET session_id = ?3, subscriptions = ?4 "
                        "WHERE id = ?1 AND account_id = ?2"),
          selectMembers(db, (std::string("SELECT ") + kParticipantColumns +
                             " FROM participants WHERE session_id = ?1 AND account_id = ?2 "
                             "ORDER BY id")
                                .c_str()),
          selectMemberIds(db,
                          "SELECT id FROM participants WHERE session_id = ?1 AND account_id = ?2 "
                          "ORDER BY id"),
          countMembers(db,
                       "SELECT COUNT(*) FROM participants WHERE session_id = ?1 AND account_id = ?2"),
          countSessions(db, "SELECT COUNT(*) FROM sessions"),
          countParticipants(db, "SELECT COUNT(*) FROM participants"),
          begin(db, "BEGIN IMMEDIATE"),
          commit(db, "COMMIT"),
          rollback(db, "ROLLBACK") {}

    Stmt insertSession, selectSession, deleteSession, expiredSessions, detachMembers;
    Stmt insertParticipant, selectParticipant, deleteParticipant, setMembership;
    Stmt selectMembers, selectMemberIds, countMembers, countSessions, countParticipants;
    Stmt begin, commit, rollback;
};

SqliteSessionStore::SqliteSessionStore(const std::string& path) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        throw std::runtime_error("sqlite: cannot open " + path + ": " + msg);
    }
    // WAL with synchronous=NORMAL: a committed transaction survives the process being killed
    // (only an OS crash may lose the last commits), and readers never block the writer.
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
    exec("PRAGMA busy_timeout=5000");
    exec("PRAGMA foreign_keys=OFF");
    exec(kSchema);
    stmts_ = std::make_unique<Statements>(db_);
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

void SqliteSessionStore::createSession(const Session& s) {
    std::lock_guard lock(mutex_);
    stmts_->insertSession.bind(1, s.id).bind(2, s.accountId).bind(3, s.tag).bind(4, s.createdAt)
        .bind(5, s.expiresAt).run();
}

std::optional<Session> SqliteSessionStore::session(const std::string& accountId,
                                                   const std::string& sessionId) const {
    std::lock_guard lock(mutex_);
    auto& st = stmts_->selectSession;
    ResetGuard g{st};
    st.bind(1, sessionId).bind(2, accountId);
    if (!st.step()) return std::nullopt;
    return readSession(st);
}

std::vector<std::string> SqliteSessionStore::deleteSession(const std::string& accountId,
                                                           const std::string& sessionId) {
    std::lock_guard lock(mutex_);
    std::vector<std::string> members;
    stmts_->begin.run();
    try {
        {
            auto& st = stmts_->selectMemberIds;
            ResetGuard g{st};
            st.bind(1, sessionId).bind(2, accountId);
            while (st.step()) members.push_back(st.text(0));
        }
        stmts_->detachMembers.bind(1, sessionId).bind(2, accountId).run();
        stmts_->deleteSession.bind(1, sessionId).bind(2, accountId).run();
        stmts_->commit.run();
    } catch (...) {
        stmts_->rollback.run();
        throw;
    }
    return members;
}

std::vector<Session> SqliteSessionStore::expiredSessions(EpochSeconds now) const {
    std::lock_guard lock(mutex_);
    auto& st = stmts_->expiredSessions;
    ResetGuard g{st};
    st.bind(1, now);
    std::vector<Session> out;
    while (st.step()) out.push_back(readSession(st));
    return out;
}

void SqliteSessionStore::createParticipant(const Participant& p) {
    std::lock_guard lock(mutex_);
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

std::optional<Participant> SqliteSessionStore::participant(const std::string& accountId,
                                                           const std::string& participantId) const {
    std::lock_guard lock(mutex_);
    auto& st = stmts_->selectParticipant;
    ResetGuard g{st};
    st.bind(1, participantId).bind(2, accountId);
    if (!st.step()) return std::nullopt;
    return readParticipant(st);
}

bool SqliteSessionStore::deleteParticipant(const std::string& accountId,
                                           const std::string& participantId) {
    std::lock_guard lock(mutex_);
    stmts_->deleteParticipant.bind(1, participantId).bind(2, accountId).run();
    return sqlite3_changes(db_) > 0;
}

void SqliteSessionStore::setMembership(const std::string& accountId,
                                       const std::string& participantId,
                                       const std::optional<std::string>& sessionId,
                                       const std::optional<Subscriptions>& subscriptions) {
    std::lock_guard lock(mutex_);
    stmts_->setMembership.bind(1, participantId)
        .bind(2, accountId)
        .bind(3, sessionId)
        .bind(4, sessionId ? storedSubscriptions(subscriptions) : std::nullopt)
        .run();
}

std::vector<Participant> SqliteSessionStore::sessionParticipants(
    const std::string& accountId, const std::string& sessionId) const {
    std::lock_guard lock(mutex_);
    auto& st = stmts_->selectMembers;
    ResetGuard g{st};
    st.bind(1, sessionId).bind(2, accountId);
    std::vector<Participant> out;
    while (st.step()) out.push_back(readParticipant(st));
    return out;
}

std::size_t SqliteSessionStore::sessionParticipantCount(const std::string& accountId,
                                                        const std::string& sessionId) const {
    std::lock_guard lock(mutex_);
    auto& st = stmts_->countMembers;
    ResetGuard g{st};
    st.bind(1, sessionId).bind(2, accountId);
    st.step();
    return static_cast<std::size_t>(st.int64(0));
}

StoreCounts SqliteSessionStore::counts() const {
    std::lock_guard lock(mutex_);
    StoreCounts c;
    {
        ResetGuard g{stmts_->countSessions};
        stmts_->countSessions.step();
        c.sessions = static_cast<std::size_t>(stmts_->countSessions.int64(0));
    }
    {
        ResetGuard g{stmts_->countParticipants};
        stmts_->countParticipants.step();
        c.participants = static_cast<std::size_t>(stmts_->countParticipants.int64(0));
    }
    return c;
}

}  // namespace sb::state
