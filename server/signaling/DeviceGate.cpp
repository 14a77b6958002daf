#include "server/signaling/DeviceGate.hpp"
#include "protocol/SafeJson.hpp"
#include "server/base/Utf8.hpp"

#include <nlohmann/json.hpp>

namespace sb::signaling {

std::optional<std::string> queryParam(const std::string& query, const std::string& name) {
    std::size_t pos = 0;
    while (pos <= query.size()) {
        auto end = query.find('&', pos);
        if (end == std::string::npos) end = query.size();
        auto eq = query.find('=', pos);
        if (eq != std::string::npos && eq < end && query.compare(pos, eq - pos, name) == 0 &&
            eq - pos == name.size()) {
            return base::decodePercent(std::string_view(query).substr(eq + 1, end - eq - 1));
        }
        pos = end + 1;
    }
    return std::nullopt;
}

net::HttpResponse deviceRefusal(int status, const char* code, const std::string& message,
                                const std::string& requestId) {
    nlohmann::json body{{"error", message}, {"code", code}, {"requestId", requestId}};
    auto refusal = net::HttpResponse::json(status, protocol::dumpJson(body));
    refusal.headers.emplace_back("Access-Control-Allow-Origin", "*");
    return refusal;
}

net::ConcurrencyLimit::Result DeviceGate::acquire(const std::string& accountId,
                                                  const std::string& participantId) const {
    return devices_->tryAcquire(
        {{"account " + accountId, caps_.perAccount},
         {"participant " + accountId + "/" + participantId, caps_.perParticipant}});
}

std::shared_ptr<net::ConcurrencyLimit::Slot> DeviceGate::reserve(
    const std::string& accountId, const std::string& participantId) const {
    return acquire(accountId, participantId).slot;
}

Admission DeviceGate::admit(const net::HttpRequest& request, bool takeSlot) const {
    Admission out;
    auto refuse = [&](int status, const char* code, const std::string& message) {
        out.refusal = deviceRefusal(status, code, message, request.requestId);
        return out;
    };
    auto token = queryParam(request.query, "token");
    if (!token || token->empty())
        return refuse(401, "token_missing", "The token query parameter is required");
    if (token->size() > 4096) return refuse(401, "token_malformed", "The device token is too long");
    auto check = tokens_.verify(*token, clock_());
    if (!check) {
        int status = *check.error == auth::TokenError::ParticipantGone ? 403 : 401;
        return refuse(status, auth::tokenErrorCode(*check.error),
                      auth::tokenErrorMessage(*check.error));
    }
    // Only "1" turns it on: a typo ("true", "yes", "0") must not silently give a device that
    // behaves unlike the one its application asked for.
    auto loopback = queryParam(request.query, "loopback");
    if (loopback && *loopback != "1")
        return refuse(400, "loopback_invalid",
                      "The loopback query parameter must be 1 when present (absent: no loopback)");
    if (takeSlot) {
        auto taken = acquire(check.claims.accountId, check.claims.participantId);
        if (!taken.slot) {
            refuse(429, "too_many_devices",
                   taken.refusedBy == 0
                       ? "This account already has the maximum of " +
                             std::to_string(caps_.perAccount) + " devices connected"
                       : "This participant already has the maximum of " +
                             std::to_string(caps_.perParticipant) + " devices connected");
            out.refusal.headers.emplace_back("Retry-After", "5");
            return out;
        }
        out.slot = std::move(taken.slot);
    }
    DeviceIdentity id;
    id.accountId = check.claims.accountId;
    id.participantId = check.claims.participantId;
    id.client = queryParam(request.query, "client").value_or("");
    id.sdkVersion = queryParam(request.query, "sdkVersion").value_or("");
    id.uniqueId = queryParam(request.query, "uniqueId").value_or("");
    id.loopback = loopback.has_value();
    for (auto* field : {&id.client, &id.sdkVersion, &id.uniqueId})
        if (field->size() > 128) *field = base::truncateUtf8(*field, 128);
    out.device = std::move(id);
    return out;
}

}  // namespace sb::signaling
