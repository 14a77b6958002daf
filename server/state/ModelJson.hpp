#pragma once
// JSON shapes of the model exactly as reference §4.3 writes them; used by the REST API and by the
// SQLite store (which keeps subscriptions as the same JSON text).

#include <nlohmann/json_fwd.hpp>

#include "server/state/Model.hpp"

namespace sb::state {

nlohmann::json toJson(const Session& s);
nlohmann::json toJson(const Participant& p);
nlohmann::json toJson(const Subscriptions& s);
nlohmann::json toJson(const PublishPermissions& p);

// Reads JSON that this program wrote itself (store contents); input from clients goes through
// api::Validation instead, which reports errors per field.
Subscriptions subscriptionsFromStoredJson(const nlohmann::json& j);

}  // namespace sb::state
