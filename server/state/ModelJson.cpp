#include "server/state/ModelJson.hpp"

#include <nlohmann/json.hpp>

namespace sb::state {

using nlohmann::json;

namespace {
json optionalString(const std::optional<std::string>& v) {
    return v ? json(*v) : json(nullptr);
}
}  // namespace

// Absent optional values are left out rather than sent as null: the Bandwidth node SDK 1.3.1
// validates `tag` and `subscriptions` as optional but not nullable and rejects a null.
json toJson(const Session& s) {
    json out{{"id", s.id}};
    if (s.tag) out["tag"] = *s.tag;
    return out;
}

json toJson(const PublishPermissions& p) {
    json out = json::array();
    if (p.audio) out.push_back("AUDIO");
    if (p.video) out.push_back("VIDEO");
    return out;
}

json toJson(const Subscriptions& s) {
    json out = json::object();
    if (s.sessionId) out["sessionId"] = *s.sessionId;
    if (!s.participants.empty()) {
        json list = json::array();
        for (const auto& ps : s.participants) {
            json entry{{"participantId", ps.participantId}};
            if (!ps.streamAliases.empty()) entry["streamAliases"] = ps.streamAliases;
            list.push_back(std::move(entry));
        }
        out["participants"] = std::move(list);
    }
    return out;
}

json toJson(const Participant& p) {
    json sessions = json::array();
    if (p.sessionId) sessions.push_back(*p.sessionId);
    json out{{"id", p.id},
             {"callbackUrl", optionalString(p.callbackUrl)},  // the SDK accepts null here
             {"publishPermissions", toJson(p.publishPermissions)},
             {"sessions", std::move(sessions)}};
    if (p.subscriptions) out["subscriptions"] = toJson(*p.subscriptions);
    if (p.tag) out["tag"] = *p.tag;
    out["deviceApiVersion"] = p.deviceApiVersion;
    return out;
}

Subscriptions subscriptionsFromStoredJson(const json& j) {
    Subscriptions s;
    if (j.contains("sessionId")) s.sessionId = j.at("sessionId").get<std::string>();
    if (j.contains("participants")) {
        for (const auto& e : j.at("participants")) {
            ParticipantSubscription ps;
            ps.participantId = e.at("participantId").get<std::string>();
            if (e.contains("streamAliases"))
                ps.streamAliases = e.at("streamAliases").get<std::vector<std::string>>();
            s.participants.push_back(std::move(ps));
        }
    }
    return s;
}

}  // namespace sb::state
