// The JSON bodies of the calls endpoints (bandwidth.yml `createCall`, `updateCall`,
// `createCallResponse`, `callState`): every field Bandwidth defines is either honoured or refused
// with a 400 naming it, and a field Bandwidth does not define is refused too — a misspelt
// `callbackTimout` must not be silently ignored.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <set>

#include "protocol/SafeJson.hpp"
#include "server/base/Utf8.hpp"
#include "server/net/HttpError.hpp"
#include "server/net/JsonBody.hpp"
#include "server/voice/AddressSyntax.hpp"
#include "server/voice/Uui.hpp"
#include "server/voice/VoiceApi.hpp"

namespace sb::voice {

using nlohmann::json;
namespace apierr = net::errors;

namespace {

std::string endpoint(const json& obj, const char* field) {
    auto v = net::requiredString(obj, field);
    if (!isE164(v) && !isSipUri(v))
        throw apierr::invalidField(
            field, "must be an E.164 number (+15555551212) or a sip: URI, got \"" + v + "\"");
    return v;
}

std::optional<double> number(const json& obj, const char* field, double min, double max,
                             const char* unit) {
    auto it = obj.find(field);
    if (it == obj.end() || it->is_null()) return std::nullopt;
    auto range = std::string("between ") + protocol::dumpJson(json(min)) + " and " +
                 protocol::dumpJson(json(max)) + unit;
    if (!it->is_number()) throw apierr::invalidField(field, "must be a number " + range);
    auto v = it->get<double>();
    if (!(v >= min && v <= max)) throw apierr::invalidField(field, "must be " + range);
    return v;
}

// username/password pairs: Basic credentials need both (RFC 7617 §2).
void credentials(const json& obj, const char* userField, const char* passField,
                 std::optional<std::string>& user, std::optional<std::string>& pass) {
    user = net::boundedText(obj, userField, kMaxCallbackCredentialLength);
    pass = net::boundedText(obj, passField, kMaxCallbackCredentialLength);
    if (user && user->find(':') != std::string::npos)
        throw apierr::invalidField(userField, "must not contain ':' (RFC 7617 §2)");
    if (user.has_value() != pass.has_value())
        throw apierr::invalidField(
            user ? passField : userField,
            std::string("is required with ") + (user ? userField : passField));
}

std::optional<std::string> tag(const json& obj) {
    return net::boundedText(obj, "tag", kMaxCreateCallTagLength);
}

}  // namespace

CreateCallRequest parseCreateCall(std::string_view body) {
    if (net::isBlank(body))
        throw apierr::invalidJson("a body with from, to and answerUrl is required");
    json obj = net::parseObject(body);
    net::refuseUnknownFields(obj,
                             {"to",
                              "from",
                              "privacy",
                              "displayName",
                              "uui",
                              "applicationId",
                              "answerUrl",
                              "answerMethod",
                              "username",
                              "password",
                              "answerFallbackUrl",
                              "answerFallbackMethod",
                              "fallbackUsername",
                              "fallbackPassword",
                              "disconnectUrl",
                              "disconnectMethod",
                              "callTimeout",
                              "callbackTimeout",
                              "machineDetection",
                              "priority",
                              "tag"},
                             "createCall (see docs/voice.md)");
    CreateCallRequest r;
    r.from = endpoint(obj, "from");
    r.to = endpoint(obj, "to");
    auto answer = net::httpUrl(obj, "answerUrl", kMaxCallbackUrlLength);
    if (!answer) throw apierr::invalidField("answerUrl", "is required");
    r.answerUrl = *answer;
    r.answerMethod = net::httpMethod(obj, "answerMethod");
    r.disconnectUrl = net::httpUrl(obj, "disconnectUrl", kMaxCallbackUrlLength);
    r.disconnectMethod = net::httpMethod(obj, "disconnectMethod");
    r.callTimeout = number(obj, "callTimeout", 1, 300, " seconds").value_or(30);
    r.callbacks.callbackTimeout = number(obj, "callbackTimeout", 1, 25, " seconds").value_or(15);
    r.callbacks.answerFallbackUrl = net::httpUrl(obj, "answerFallbackUrl", kMaxCallbackUrlLength);
    r.callbacks.answerFallbackMethod = net::httpMethod(obj, "answerFallbackMethod");
    credentials(obj, "username", "password", r.callbacks.username, r.callbacks.password);
    credentials(obj, "fallbackUsername", "fallbackPassword", r.callbacks.fallbackUsername,
                r.callbacks.fallbackPassword);
    if ((r.callbacks.fallbackUsername) && !r.callbacks.answerFallbackUrl)
        throw apierr::invalidField("fallbackUsername", "is only used with answerFallbackUrl");
    r.tag = tag(obj);
    r.displayName = net::boundedText(obj, "displayName", kMaxDisplayNameLength);
    if (auto p = number(obj, "priority", 1, 5, "")) {
        if (*p != std::floor(*p))
            throw apierr::invalidField("priority", "must be an integer between 1 and 5");
        r.priority = static_cast<int>(*p);
    }
    // Not implemented: refused rather than ignored (an application relying on them must know).
    auto privacy = obj.find("privacy");
    if (privacy != obj.end() && !privacy->is_null()) {
        if (!privacy->is_boolean()) throw apierr::invalidField("privacy", "must be true or false");
        if (privacy->get<bool>())
            throw apierr::invalidField(
                "privacy", "is not supported by this server: the caller id is always sent");
    }
    if (net::present(obj, "machineDetection"))
        throw apierr::invalidField(
            "machineDetection", "is not supported by this server (no answering-machine detection)");
    r.uui = net::optionalString(obj, "uui");
    if (r.uui) {
        try {
            // Bandwidth's CreateCall: jwt, base64 and hex encodings, 350 characters in all.
            sip::validateUui(*r.uui, kMaxCreateCallUuiLength, {"jwt", "base64", "hex"});
        } catch (const sip::UuiError& e) {
            throw apierr::invalidField("uui", e.what());
        }
    }
    if (auto app = net::optionalString(obj, "applicationId")) {
        if (app->size() > kMaxApplicationIdLength)
            throw apierr::invalidField(
                "applicationId",
                "must be at most " + std::to_string(kMaxApplicationIdLength) + " characters");
        r.applicationId = *app;
    }
    return r;
}

UpdateCallRequest parseUpdateCall(std::string_view body) {
    if (net::isBlank(body))
        throw apierr::invalidJson("a body with state, redirectUrl or tag is required");
    json obj = net::parseObject(body);
    net::refuseUnknownFields(
        obj,
        {"state", "redirectUrl", "redirectMethod", "username", "password", "redirectFallbackUrl",
         "redirectFallbackMethod", "fallbackUsername", "fallbackPassword", "tag"},
        "updateCall (see docs/voice.md)");
    UpdateCallRequest r;
    r.state = net::optionalString(obj, "state");
    if (r.state && *r.state != "active" && *r.state != "completed")
        throw apierr::invalidField("state",
                                   "must be \"active\" or \"completed\", got \"" + *r.state + "\"");
    r.redirectUrl = net::httpUrl(obj, "redirectUrl", kMaxCallbackUrlLength);
    r.redirectMethod = net::httpMethod(obj, "redirectMethod");
    r.redirectFallbackUrl = net::httpUrl(obj, "redirectFallbackUrl", kMaxCallbackUrlLength);
    r.redirectFallbackMethod = net::httpMethod(obj, "redirectFallbackMethod");
    credentials(obj, "username", "password", r.username, r.password);
    credentials(obj, "fallbackUsername", "fallbackPassword", r.fallbackUsername,
                r.fallbackPassword);
    r.tag = tag(obj);
    bool completed = r.state && *r.state == "completed";
    if (completed && r.redirectUrl)
        throw apierr::invalidField("redirectUrl", "is not allowed with state \"completed\"");
    if (completed && r.tag)
        throw apierr::invalidField("tag", "is not allowed with state \"completed\"");
    if (r.state && *r.state == "active" && !r.redirectUrl)
        throw apierr::invalidField("redirectUrl", "is required with state \"active\"");
    if (!r.redirectUrl) {
        // These only shape the redirect callback: without one they would change nothing.
        for (const char* f : {"redirectFallbackUrl", "username", "fallbackUsername"})
            if (net::present(obj, f))
                throw apierr::invalidField(f, "is only used with redirectUrl");
    }
    if (r.fallbackUsername && !r.redirectFallbackUrl)
        throw apierr::invalidField("fallbackUsername", "is only used with redirectFallbackUrl");
    if (!r.state && !r.redirectUrl && !r.tag)
        throw apierr::invalidField("state", "nothing to change: give state, redirectUrl or tag");
    return r;
}

namespace {

// ISO 8601 UTC as Bandwidth writes it: 2022-06-21T19:13:21Z, fractions of a second allowed.
std::optional<TimePoint> parseIso(const std::string& s) {
    std::tm tm{};
    int ms = 0;
    char z = 0;
    int used = 0;
    if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                    &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &used) != 6)
        return std::nullopt;
    std::string rest = s.substr(static_cast<std::size_t>(used));
    if (!rest.empty() && rest[0] == '.') {
        std::size_t i = 1;
        int scale = 100;
        for (; i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i]));
             ++i, scale /= 10)
            ms += scale * (rest[i] - '0');
        if (i == 1) return std::nullopt;
        rest = rest.substr(i);
    }
    if (rest.size() == 1) z = rest[0];
    if (z != 'Z' || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
        tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
        return std::nullopt;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    auto secs = timegm(&tm);
    return TimePoint(std::chrono::seconds(secs)) + std::chrono::milliseconds(ms);
}

}  // namespace

CallFilter parseListCalls(const std::string& query) {
    if (query.size() > kMaxListQueryLength)
        throw apierr::invalidField(
            "query", "must be at most " + std::to_string(kMaxListQueryLength) + " characters");
    CallFilter f;
    std::set<std::string> seen;
    // '+' stays '+': an unencoded E.164 number in to= or from= must not turn into a space.
    for (auto& [name, value] : base::queryPairs(query, base::PlusInQuery::Plus)) {
        if (!seen.insert(name).second) throw apierr::invalidField(name, "is given more than once");
        if (name == "to")
            f.to = value;
        else if (name == "from")
            f.from = value;
        else if (name == "disconnectCause")
            f.disconnectCause = value;
        else if (name == "pageToken")
            f.pageToken = value;
        else if (name == "minStartTime" || name == "maxStartTime") {
            auto t = parseIso(value);
            if (!t)
                throw apierr::invalidField(
                    name, "must be an ISO 8601 UTC time such as 2022-06-21T19:13:21Z");
            (name == "minStartTime" ? f.minStartTime : f.maxStartTime) = t;
        } else if (name == "pageSize") {
            bool digits = !value.empty() && value.size() <= 5 &&
                          std::all_of(value.begin(), value.end(),
                                      [](char c) { return c >= '0' && c <= '9'; });
            auto n = digits ? std::stoul(value) : 0;
            if (n < 1 || n > 10000)
                throw apierr::invalidField("pageSize", "must be an integer between 1 and 10000");
            f.pageSize = n;
        } else {
            throw apierr::invalidField(name.size() <= 64 ? name : name.substr(0, 64),
                                       "is not a parameter of listCalls");
        }
    }
    return f;
}

namespace {
json text(const std::optional<std::string>& s) {
    return s ? json(*s) : json(nullptr);
}
}  // namespace

json createCallResponse(const Call& c) {
    json j;
    j["callId"] = c.callId;
    j["accountId"] = c.accountId;
    j["applicationId"] = c.applicationId;
    j["to"] = c.to;
    j["from"] = c.from;
    j["enqueuedTime"] = isoTime(c.startTime);
    j["callUrl"] = c.callUrl;
    j["callTimeout"] = c.callTimeout;
    j["callbackTimeout"] = c.callbacks.callbackTimeout;
    j["tag"] = text(c.tag);
    j["answerMethod"] = c.answerMethod;
    j["answerUrl"] = c.answerUrl;
    j["answerFallbackMethod"] = c.callbacks.answerFallbackMethod;
    j["answerFallbackUrl"] = text(c.callbacks.answerFallbackUrl);
    j["disconnectMethod"] = c.disconnectMethod;
    j["disconnectUrl"] = text(c.disconnectUrl);
    // Bandwidth echoes the credentials it was given; so do we (the caller sent them over this
    // same authenticated connection).
    j["username"] = text(c.callbacks.username);
    j["password"] = text(c.callbacks.password);
    j["fallbackUsername"] = text(c.callbacks.fallbackUsername);
    j["fallbackPassword"] = text(c.callbacks.fallbackPassword);
    j["priority"] = c.priority;
    return j;
}

json callStateJson(const Call& c) {
    auto time = [](const std::optional<TimePoint>& t) {
        return t ? json(isoTime(*t)) : json(nullptr);
    };
    json j;
    j["applicationId"] = c.applicationId;
    j["accountId"] = c.accountId;
    j["callId"] = c.callId;
    j["parentCallId"] = nullptr;
    j["to"] = c.to;
    j["from"] = c.from;
    j["direction"] = toString(c.direction);
    j["state"] = bandwidthState(c.state);
    j["enqueuedTime"] = isoTime(c.startTime);
    j["startTime"] = isoTime(c.startTime);
    j["answerTime"] = time(c.answerTime);
    j["endTime"] = time(c.endTime);
    j["disconnectCause"] = text(c.disconnectCause);
    j["errorMessage"] = text(c.errorMessage);
    j["errorId"] = text(c.errorId);
    j["lastUpdate"] = isoTime(c.lastUpdate);
    j["tag"] = text(c.tag);
    return j;
}

}  // namespace sb::voice
