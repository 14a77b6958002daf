#include "server/state/SqliteRows.hpp"

#include <nlohmann/json.hpp>

#include "server/state/ModelJson.hpp"

namespace sb::state::sqlite_rows {

const char* const kSchema = R"sql(
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY, account_id TEXT NOT NULL, tag TEXT,
  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions(expires_at);
CREATE TABLE IF NOT EXISTS participants (
  id TEXT PRIMARY KEY, account_id TEXT NOT NULL, callback_url TEXT,
  publish_audio INTEGER NOT NULL, publish_video INTEGER NOT NULL, tag TEXT,
  device_api_version TEXT NOT NULL, created_at INTEGER NOT NULL,
  session_id TEXT, subscriptions TEXT) WITHOUT ROWID;
DROP INDEX IF EXISTS participants_session;
CREATE INDEX IF NOT EXISTS participants_member ON participants(session_id) WHERE session_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
)sql";

const char* const kParticipantColumns =
    "id, account_id, callback_url, publish_audio, publish_video, tag, device_api_version, "
    "created_at, session_id, subscriptions";
const char* const kSessionColumns = "id, account_id, tag, created_at, expires_at";

std::string selectParticipants(const char* where) {
    return std::string("SELECT ") + kParticipantColumns + " FROM participants " + where;
}
std::string selectSessions(const char* where) {
    return std::string("SELECT ") + kSessionColumns + " FROM sessions " + where;
}

Participant readParticipant(const SqliteStatement& s) {
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
    if (auto subs = s.optText(9))
        p.subscriptions = subscriptionsFromStoredJson(nlohmann::json::parse(*subs));
    return p;
}

Session readSession(const SqliteStatement& s) {
    return Session{s.text(0), s.text(1), s.optText(2), s.int64(3), s.int64(4)};
}

std::optional<std::string> storedSubscriptions(const std::optional<Subscriptions>& s) {
    if (!s) return std::nullopt;
    // Stream aliases come from API callers: bytes that are not UTF-8 are stored as U+FFFD rather
    // than throwing, which would stop the journal from ever being applied (found by
    // tests/fuzz/journal_recovery, regression seed invalid_utf8_alias).
    return toJson(*s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace sb::state::sqlite_rows
