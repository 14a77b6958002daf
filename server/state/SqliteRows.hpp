#pragma once
// The SQLite store's schema and how its rows map to the model: the one place that knows the
// column order (SqliteSessionStore's statements bind and read by position).

#include <optional>
#include <string>

#include "server/state/Model.hpp"
#include "server/state/SqliteStatement.hpp"

namespace sb::state::sqlite_rows {

// participants_member indexes members only: most participants are in no session, and a NULL
// entry would cost every insert a second b-tree write. It replaces participants_session (which
// indexed every row) in databases created before it.
extern const char* const kSchema;
extern const char* const kParticipantColumns;
extern const char* const kSessionColumns;

std::string selectParticipants(const char* where);
std::string selectSessions(const char* where);
Participant readParticipant(const SqliteStatement& s);
Session readSession(const SqliteStatement& s);
// Subscriptions as stored: JSON text, or NULL for none.
std::optional<std::string> storedSubscriptions(const std::optional<Subscriptions>& s);

}  // namespace sb::state::sqlite_rows
