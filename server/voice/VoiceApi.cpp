#include "protocol/SafeJson.hpp"
#include "server//voice/VoiceApi.hpp"

#include <algorithm>

#include "server/api/ApiError.hpp"
#include "server/api/Validation.hpp"
#include "server/voice/RecordingsApi.hpp"
#include "server/voice/Uui.hpp"
#include "server/voice/VoiceErrors.hpp"

namespace sb::voice {

using nlohmann::json;
namespace apierr = api::errors;

namespace {

bool isBlank(std::string_view body) {
    return std::all_of(body.begin(), body.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

json parseObject(std::string_view body) {
    json j = json::parse(body.begin(), body.end(), nullptr, false);
    if (j.is_discarded()) {
        try {
            [[maybe_unused]] auto unused = json::parse(body.begin(), body.end());
        } catch (const json::parse_error& e) {
            throw apierr::invalidJson("syntax error at byte " + std::to_string(e.byte));
        }
        throw apierr::invalidJson("syntax error");
    }
    if (!j.is_object()) throw apierr::invalidJson(std::string("expected an object, got ") + j.type_name());
    return j;
}

std::optional<std::string> optionalString(const json& obj, const char* field) {
    auto it = obj.find(field);
    if (it == obj.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) throw apierr::invalidField(field, std::string("must be a string, got ") + it->type_name());
    return it->get<std::string>();
}

std::string requiredString(const json& obj, const char* field) {
    auto v = optionalString(obj, field);
    if (!v || v->empty()) throw apierr::invalidField(field, "is required");
    return *v;
}

bool isE164(const std::string& s) {
    if (s.size() < 3 || s.size() > 16 || s[0] != '+' || s[1] < '1' || s[1] > '9') return false;
    return std::all_of(s.begin() + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isSipUri(const std::string& s) {
    bool scheme = s.rfind("sip:", 0) == 0 || s.rfind("sips:", 0) == 0;
    if (!scheme || s.size() > 256) return false;
    auto rest = s.substr(s.find(':') + 1);
    if (rest.empty() || rest.front() == '@' || rest.back() == '@') return false;
    return std::all_of(rest.begin(), rest.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u > 0x20 && u < 0x7f && c != '<' && c != '>' && c != '"';
    });
}

std::string endpoint(const json& obj, const char* field) {
    auto v = requiredString(obj, field);
    if (!isE164(v) && !isSipUri(v))
        throw apierr::invalidField(field, "must be an E.164 number (+15555551212) or a sip: URI, got \"" + v + "\"");
    return v;
}

std::optional<std::string> httpUrl(const json& obj, const char* field) {
    auto v = optionalString(obj, field);
    if (!v) return v;
    bool http = v->rfind("http://", 0) == 0 || v->rfind("https://", 0) == 0;
    bool clean = std::all_of(v->begin(), v->end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u > 0x20 && u != 0x7f;
    });
    if (!http || !clean || v->size() <= 8) throw apierr::invalidField(field, "must be an http:// or https:// URL");
    if (v->size() > kMaxCallbackUrlLength)
        throw apierr::invalidField(field, "must be at most " + std::to_string(kMaxCallbackUrlLength) + " characters");
    return v;
}

std::string method(const json& obj, const char* field) {
    auto v = optionalString(obj, field);
    if (!v) return "POST";
    std::string m = *v;
    std::transform(m.begin(), m.end(), m.begin(), [](char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); });
    if (m != "GET" && m != "POST") throw apierr::invalidField(field, "must be \"GET\" or \"POST\", got \"" + *v + "\"");
    return m;
}

std::optional<std::string> tag(const json& obj) {
    auto v = optionalString(obj, "tag");
    if (!v) return v;
    auto len = api::utf8Length(*v);
    if (!len) throw apierr::invalidField("tag", "must be valid UTF-8");
    if (*len > kMaxCreateCallTagLength)
        throw apierr::invalidField("tag", "must be at most " + std::to_string(kMaxCreateCallTagLength) + " characters");
    return v;
}

// callbacks (issue 9): username/password and fallbackUsername/fallbackPassword, ≤ 1024
// characters each (Bandwidth's limit), each pair given whole.
template <typename Request>
void credentials(const json& obj, Request& r) {
    for (auto [field, target] : {std::pair{"username", &r.username}, std::pair{"password", &r.password},
                                 std::pair{"fallbackUsername", &r.fallbackUsername},
                                 std::pair{"fallbackPassword", &r.fallbackPassword}}) {
        *target = optionalString(obj, field);
        if (*target && (*target)->size() > 1024) throw apierr::invalidField(field, "must be at most 1024 characters");
    }
    if (r.username.has_value() != r.password.has_value())
        throw apierr::invalidField(r.username ? "password" : "username", "is required with " + std::string(r.username ? "username" : "password"));
    if (r.fallbackUsername.has_value() != r.fallbackPassword.has_value())
        throw apierr::invalidField(r.fallbackUsername ? "fallbackPassword" : "fallbackUsername",
                                   "is required with " + std::string(r.fallbackUsername ? "fallbackUsername" : "fallbackPassword"));
}

}  // namespace

CreateCallRequest parseCreateCall(std::string_view body) {
    if (isBlank(body)) throw apierr::invalidJson("a body with from, to and answerUrl is required");
    json obj = parseObject(body);
    CreateCallRequest r;
    r.from = endpoint(obj, "from");
    r.to = endpoint(obj, "to");
    auto answer = httpUrl(obj, "answerUrl");
    if (!answer) throw apierr::invalidField("answerUrl", "is required");
    r.answerUrl = *answer;
    r.answerMethod = method(obj, "answerMethod");
    r.disconnectUrl = httpUrl(obj, "disconnectUrl");
    r.disconnectMethod = method(obj, "disconnectMethod");
    auto timeout = obj.find("callTimeout");
    if (timeout != obj.end() && !timeout->is_null()) {
        if (!timeout->is_number()) throw apierr::invalidField("callTimeout", "must be a number of seconds");
        r.callTimeout = timeout->get<double>();
        if (!(r.callTimeout >= 1 && r.callTimeout <= 300))
            throw apierr::invalidField("callTimeout", "must be between 1 and 300 seconds");
    }
    r.tag = tag(obj);
    r.uui = optionalString(obj, "uui");
    if (r.uui) {
        try {
            // Bandwidth's CreateCall: jwt, base64 and hex encodings, 350 characters in all.
            validateUui(*r.uui, kMaxCreateCallUuiLength, {"jwt", "base64", "hex"});
        } catch (const UuiError& e) {
            throw apierr::invalidField("uui", e.what());
        }
    }
    // callbacks (issue 9): Bandwidth's limits (callbackTimeout 1..25 s, credentials ≤ 1024 characters).
    auto cbTimeout = obj.find("callbackTimeout");
    if (cbTimeout != obj.end() && !cbTimeout->is_null()) {
        if (!cbTimeout->is_number()) throw apierr::invalidField("callbackTimeout", "must be a number of seconds");
        r.callbackTimeout = cbTimeout->get<double>();
        if (!(r.callbackTimeout >= 1 && r.callbackTimeout <= 25))
            throw apierr::invalidField("callbackTimeout", "must be between 1 and 25 seconds");
    }
    r.answerFallbackUrl = httpUrl(obj, "answerFallbackUrl");
    r.answerFallbackMethod = method(obj, "answerFallbackMethod");
    credentials(obj, r);
    // end callbacks
    if (auto app = optionalString(obj, "applicationId")) {
        if (app->size() > kMaxApplicationIdLength)
            throw apierr::invalidField("applicationId", "must be at most " + std::to_string(kMaxApplicationIdLength) + " characters");
        r.applicationId = *app;
    }
    return r;
}

UpdateCallRequest parseUpdateCall(std::string_view body) {
    if (isBlank(body)) throw apierr::invalidJson("a body with state, redirectUrl or tag is required");
    json obj = parseObject(body);
    UpdateCallRequest r;
    r.state = optionalString(obj, "state");
    if (r.state && *r.state != "active" && *r.state != "completed")
        throw apierr::invalidField("state", "must be \"active\" or \"completed\", got \"" + *r.state + "\"");
    r.redirectUrl = httpUrl(obj, "redirectUrl");
    r.redirectMethod = method(obj, "redirectMethod");
    r.tag = tag(obj);
    // callbacks (issue 9)
    r.redirectFallbackUrl = httpUrl(obj, "redirectFallbackUrl");
    r.redirectFallbackMethod = method(obj, "redirectFallbackMethod");
    credentials(obj, r);
    if (r.redirectFallbackUrl && !r.redirectUrl) throw apierr::invalidField("redirectFallbackUrl", "is only used with redirectUrl");
    // end callbacks
    bool completed = r.state && *r.state == "completed";
    if (completed && r.redirectUrl) throw apierr::invalidField("redirectUrl", "is not allowed with state \"completed\"");
    if (completed && r.tag) throw apierr::invalidField("tag", "is not allowed with state \"completed\"");
    if (r.state && *r.state == "active" && !r.redirectUrl)
        throw apierr::invalidField("redirectUrl", "is required with state \"active\"");
    if (!r.state && !r.redirectUrl && !r.tag) throw apierr::invalidField("state", "nothing to change: give state, redirectUrl or tag");
    return r;
}

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
    j["callbackTimeout"] = 10;  // HttpCallbackClient's per-attempt timeout, in seconds
    j["tag"] = c.tag ? json(*c.tag) : json(nullptr);
    j["answerMethod"] = c.answerMethod;
    j["answerUrl"] = c.answerUrl;
    j["disconnectMethod"] = c.disconnectMethod;
    j["disconnectUrl"] = c.disconnectUrl ? json(*c.disconnectUrl) : json(nullptr);
    return j;
}

json callStateJson(const Call& c) {
    auto time = [](const std::optional<TimePoint>& t) { return t ? json(isoTime(*t)) : json(nullptr); };
    auto text = [](const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); };
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
    j["errorId"] = nullptr;
    j["lastUpdate"] = isoTime(c.lastUpdate);
    j["tag"] = text(c.tag);
    return j;
}

void addVoiceRoutes(api::Router& router, api::RestDeps deps, VoiceService& voice) {
    const std::string base = std::string(api::kAccountPrefix) + "/calls";
    VoiceService* v = &voice;
    if (voice.recordings()) addRecordingRoutes(router, deps, voice);  // record (issue 9)

    router.add("POST", base, "createCall", [deps, v](api::RequestContext& ctx) {
        const auto& account = api::authorize(ctx, deps);
        auto call = v->createCall(account, parseCreateCall(ctx.request().body));
        auto r = api::HttpResponse::json(201, protocol::dumpJson(createCallResponse(call)));
        r.headers.emplace_back("Location", call.callUrl);
        return r;
    });

    router.add("GET", base + "/{callId}", "getCallState", [deps, v](api::RequestContext& ctx) {
        const auto& account = api::authorize(ctx, deps);
        const auto& id = ctx.param("callId");
        if (!isCallId(id)) throw errors::callNotFound(id);
        return api::HttpResponse::json(200, protocol::dumpJson(callStateJson(v->call(account, id))));
    });

    router.add("POST", base + "/{callId}", "updateCall", [deps, v](api::RequestContext& ctx) {
        const auto& account = api::authorize(ctx, deps);
        const auto& id = ctx.param("callId");
        if (!isCallId(id)) throw errors::callNotFound(id);
        v->call(account, id);  // 404 before validating the body of a call that does not exist
        v->updateCall(account, id, parseUpdateCall(ctx.request().body));
        api::HttpResponse r;  // Bandwidth: 200 with an empty body
        r.status = 200;
        r.contentType.clear();
        return r;
    });
}

}  // namespace sb::voice
