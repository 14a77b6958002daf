#include "server/api/Validation.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "server/base/Utf8.hpp"
#include "server/net/HttpError.hpp"
#include "server/net/JsonBody.hpp"

namespace sb::api {

using nlohmann::json;

namespace {

std::optional<std::string> parseTag(const json& obj) {
    auto tag = net::optionalString(obj, "tag");
    if (!tag) return tag;
    auto len = base::utf8Length(*tag);
    if (!len) throw net::errors::invalidField("tag", "must be valid UTF-8");
    if (*len > kMaxTagLength)
        throw net::errors::invalidField("tag", "must be at most " + std::to_string(kMaxTagLength) +
                                                   " characters, got " + std::to_string(*len));
    return tag;
}

const std::string& checkedId(const json& v, const std::string& field) {
    if (!v.is_string())
        throw net::errors::invalidField(field,
                                        std::string("must be a string, got ") + v.type_name());
    const auto& s = v.get_ref<const std::string&>();
    if (s.empty()) throw net::errors::invalidField(field, "must not be empty");
    if (s.size() > kMaxIdLength)
        throw net::errors::invalidField(
            field, "must be at most " + std::to_string(kMaxIdLength) + " characters");
    return s;
}

}  // namespace

session::CreateParticipantRequest parseCreateParticipant(std::string_view body) {
    session::CreateParticipantRequest req;
    if (net::isBlank(body)) return req;
    json obj = net::parseObject(body);
    req.tag = parseTag(obj);
    if (auto url = net::optionalString(obj, "callbackUrl")) {
        bool http = url->rfind("http://", 0) == 0 || url->rfind("https://", 0) == 0;
        if (!http)
            throw net::errors::invalidField("callbackUrl", "must be an http:// or https:// URL");
        if (url->size() > kMaxCallbackUrlLength)
            throw net::errors::invalidField(
                "callbackUrl",
                "must be at most " + std::to_string(kMaxCallbackUrlLength) + " bytes");
        req.callbackUrl = url;
    }
    auto perms = obj.find("publishPermissions");
    if (perms != obj.end() && !perms->is_null()) {
        if (!perms->is_array())
            throw net::errors::invalidField(
                "publishPermissions", std::string("must be an array, got ") + perms->type_name());
        req.publishPermissions = {};
        for (std::size_t i = 0; i < perms->size(); ++i) {
            const auto& v = (*perms)[i];
            std::string field = "publishPermissions[" + std::to_string(i) + "]";
            if (!v.is_string())
                throw net::errors::invalidField(field, "must be \"AUDIO\" or \"VIDEO\"");
            const auto& s = v.get_ref<const std::string&>();
            bool* slot = s == "AUDIO"   ? &req.publishPermissions.audio
                         : s == "VIDEO" ? &req.publishPermissions.video
                                        : nullptr;
            if (!slot)
                throw net::errors::invalidField(
                    field, "unknown value \"" + s + "\"; expected \"AUDIO\" or \"VIDEO\"");
            if (*slot) throw net::errors::invalidField(field, "duplicate value \"" + s + "\"");
            *slot = true;
        }
    }
    if (auto v = net::optionalString(obj, "deviceApiVersion")) {
        if (*v != "V3")
            throw net::errors::invalidField(
                "deviceApiVersion",
                "unsupported value \"" + *v + "\"; this server speaks device API \"V3\"");
        req.deviceApiVersion = *v;
    }
    return req;
}

session::CreateSessionRequest parseCreateSession(std::string_view body) {
    session::CreateSessionRequest req;
    if (net::isBlank(body)) return req;
    json obj = net::parseObject(body);
    req.tag = parseTag(obj);
    return req;
}

std::optional<state::Subscriptions> parseSubscriptions(std::string_view body,
                                                       const std::string& pathSessionId) {
    if (net::isBlank(body)) return std::nullopt;
    json obj = net::parseObject(body);
    state::Subscriptions subs;
    if (auto sid = net::optionalString(obj, "sessionId")) {
        if (*sid != pathSessionId)
            throw net::errors::invalidField(
                "sessionId", "must be the session of the URL (" + pathSessionId + ")");
        subs.sessionId = sid;
    }
    auto list = obj.find("participants");
    if (list != obj.end() && !list->is_null()) {
        if (!list->is_array())
            throw net::errors::invalidField(
                "participants", std::string("must be an array, got ") + list->type_name());
        if (list->size() > kMaxSubscribedParticipants)
            throw net::errors::invalidField(
                "participants", "must list at most " + std::to_string(kMaxSubscribedParticipants) +
                                    " participants");
        std::set<std::string> seen;
        for (std::size_t i = 0; i < list->size(); ++i) {
            const auto& e = (*list)[i];
            std::string field = "participants[" + std::to_string(i) + "]";
            if (!e.is_object()) throw net::errors::invalidField(field, "must be an object");
            auto pid = e.find("participantId");
            if (pid == e.end())
                throw net::errors::invalidField(field + ".participantId", "is required");
            state::ParticipantSubscription ps;
            ps.participantId = checkedId(*pid, field + ".participantId");
            if (!seen.insert(ps.participantId).second)
                throw net::errors::invalidField(field + ".participantId",
                                                "duplicate participant " + ps.participantId);
            auto aliases = e.find("streamAliases");
            if (aliases != e.end() && !aliases->is_null()) {
                std::string af = field + ".streamAliases";
                if (!aliases->is_array())
                    throw net::errors::invalidField(af, "must be an array of strings");
                if (aliases->size() > kMaxAliasesPerParticipant)
                    throw net::errors::invalidField(
                        af, "must list at most " + std::to_string(kMaxAliasesPerParticipant) +
                                " aliases");
                for (std::size_t k = 0; k < aliases->size(); ++k) {
                    const auto& a = (*aliases)[k];
                    std::string f = af + "[" + std::to_string(k) + "]";
                    if (!a.is_string()) throw net::errors::invalidField(f, "must be a string");
                    const auto& s = a.get_ref<const std::string&>();
                    if (s.empty() || s.size() > kMaxAliasLength)
                        throw net::errors::invalidField(
                            f, "must be 1 to " + std::to_string(kMaxAliasLength) + " bytes");
                    if (std::find(ps.streamAliases.begin(), ps.streamAliases.end(), s) !=
                        ps.streamAliases.end())
                        throw net::errors::invalidField(f, "duplicate alias \"" + s + "\"");
                    ps.streamAliases.push_back(s);
                }
            }
            subs.participants.push_back(std::move(ps));
        }
    }
    return subs;
}

}  // namespace sb::api
