// conf (issue 9): Bandwidth's Conferences REST endpoints (bandwidth.yml, tag "Conferences") under
// /api/v2/accounts/{accountId}/conferences: listConferences, getConference, updateConference,
// updateConferenceBxml, getConferenceMember, updateConferenceMember. Errors have Bandwidth's
// shape (bandwidthShaped). The conference recordings endpoints are not served (docs/voice.md).

#include <set>

#include "protocol/SafeJson.hpp"
#include "server/base/Utf8.hpp"
#include "server/net/HttpError.hpp"
#include "server/net/JsonBody.hpp"
#include "server/voice/CallIds.hpp"
#include "server/voice/Conferences.hpp"
#include "server/voice/VoiceApi.hpp"

namespace sb::voice {

using nlohmann::json;
namespace apierr = net::errors;

namespace {

constexpr std::size_t kMaxQueryValue = 256;

// listConferences: name, minCreatedTime, maxCreatedTime, pageSize (1..1000), pageToken.
ConferenceFilter parseFilter(const std::string& query) {
    if (query.size() > kMaxListQueryLength) throw apierr::invalidField("query", "is too long");
    ConferenceFilter f;
    for (const auto& [key, value] : base::queryPairs(query, base::PlusInQuery::Space)) {
        if (value.size() > kMaxQueryValue)
            throw apierr::invalidField(key.substr(0, 64), "is too long");
        if (key == "name")
            f.name = value;
        else if (key == "minCreatedTime")
            f.minCreatedTime = value;
        else if (key == "maxCreatedTime")
            f.maxCreatedTime = value;
        else if (key == "pageToken")
            f.pageToken = value;
        else if (key == "pageSize") {
            std::size_t n = 0;
            bool digits = !value.empty() && value.size() <= 4 &&
                          std::all_of(value.begin(), value.end(),
                                      [](char c) { return c >= '0' && c <= '9'; });
            if (digits) n = std::stoul(value);
            if (!digits || n < 1 || n > 1000)
                throw apierr::invalidField("pageSize", "must be a number from 1 to 1000");
            f.pageSize = n;
        } else
            throw apierr::invalidField(key.substr(0, 64), "is not a filter of listConferences");
    }
    return f;
}

json memberJson(const ConferenceService& s, const std::string& accountId,
                const std::string& conferenceId, const ConferenceMember& m) {
    json j{{"callId", m.callId},
           {"conferenceId", conferenceId},
           {"memberUrl", s.memberUrl(accountId, conferenceId, m.callId)},
           {"mute", m.mute},
           {"hold", m.hold}};
    j["callIdsToCoach"] = m.callIdsToCoach.empty() ? json(nullptr) : json(m.callIdsToCoach);
    return j;
}

json conferenceJson(const ConferenceService& s, const ConferenceInfo& c, bool withMembers) {
    json j{
        {"id", c.id},
        {"name", c.name},
        {"createdTime", isoTime(c.createdTime)},
        {"completedTime", c.completedTime ? json(isoTime(*c.completedTime)) : json(nullptr)},
        {"conferenceEventUrl", c.conferenceEventUrl ? json(*c.conferenceEventUrl) : json(nullptr)},
        {"conferenceEventMethod", c.conferenceEventMethod},
        {"tag", c.tag ? json(*c.tag) : json(nullptr)}};
    // Switchboard's addition: the WebRTC session the members' audio meets in (browsers join it
    // with the participants API); null once completed.
    j["sessionId"] = c.sessionId.empty() ? json(nullptr) : json(c.sessionId);
    if (withMembers) {
        j["activeMembers"] = json::array();
        for (const auto& m : c.members)
            j["activeMembers"].push_back(memberJson(s, c.accountId, c.id, m));
    }
    return j;
}

// bandwidth.yml updateConference.
ConferenceUpdate parseUpdate(const std::string& body) {
    static const std::set<std::string> kKnown{
        "status",          "redirectUrl",         "redirectMethod",         "username",
        "password",        "redirectFallbackUrl", "redirectFallbackMethod", "fallbackUsername",
        "fallbackPassword"};
    auto j = net::parseObject(body);
    net::refuseUnknownFields(j, kKnown, "updateConference");
    ConferenceUpdate u;
    u.status = net::optionalString(j, "status");
    if (u.status && *u.status != "active" && *u.status != "completed")
        throw apierr::invalidField("status", "must be \"active\" or \"completed\"");
    auto url = net::httpUrl(j, "redirectUrl", kMaxCallbackUrlLength);
    auto fallback = net::httpUrl(j, "redirectFallbackUrl", kMaxCallbackUrlLength);
    bool completing = u.status && *u.status == "completed";
    if (completing && (url || fallback))
        throw apierr::invalidField(url ? "redirectUrl" : "redirectFallbackUrl",
                                   "is not allowed with status \"completed\"");
    if (!completing && !url)
        throw apierr::invalidField("redirectUrl", "is required unless status is \"completed\"");
    if (url) {
        CallbackTarget t;
        t.url = *url;
        t.method = net::httpMethod(j, "redirectMethod");
        t.credentials =
            credentialsOf(net::boundedText(j, "username", kMaxCallbackCredentialLength),
                          net::boundedText(j, "password", kMaxCallbackCredentialLength));
        t.fallbackUrl = fallback;
        t.fallbackMethod = net::httpMethod(j, "redirectFallbackMethod");
        t.fallbackCredentials =
            credentialsOf(net::boundedText(j, "fallbackUsername", kMaxCallbackCredentialLength),
                          net::boundedText(j, "fallbackPassword", kMaxCallbackCredentialLength));
        u.redirect = t;
    }
    return u;
}

// bandwidth.yml updateConferenceMember.
MemberUpdate parseMemberUpdate(const std::string& body) {
    auto j = net::parseObject(body);
    MemberUpdate u;
    for (auto& [k, v] : j.items()) {
        if (k == "mute" || k == "hold") {
            if (!v.is_boolean()) throw apierr::invalidField(k, "must be true or false");
            (k == "mute" ? u.mute : u.hold) = v.get<bool>();
        } else if (k == "callIdsToCoach") {
            if (v.is_null()) continue;
            if (!v.is_array() || v.size() > bxml::kMaxCallIdsToCoach)
                throw apierr::invalidField(k, "must be an array of at most " +
                                                  std::to_string(bxml::kMaxCallIdsToCoach) +
                                                  " call ids");
            std::vector<std::string> ids;
            for (auto& id : v) {
                if (!id.is_string() || !isCallId(id.get<std::string>()))
                    throw apierr::invalidField(k, "must hold call ids");
                ids.push_back(id.get<std::string>());
            }
            u.callIdsToCoach = ids;
        } else
            throw apierr::invalidField(k.substr(0, 64), "is not a field of updateConferenceMember");
    }
    return u;
}

const std::string& conferenceIdParam(net::RequestContext& ctx) {
    const auto& id = ctx.param("conferenceId");
    if (!isConferenceId(id))
        throw net::HttpError(net::ErrorCode::NotFound,
                             "conference " + id.substr(0, 64) + " not found", "conferenceId");
    return id;
}

}  // namespace

void addConferenceRoutes(net::Router& router, auth::AccountGate gate, VoiceService& voice) {
    const auto& keep = voice.conferences();
    auto* s = keep.get();
    const std::string base = std::string(kVoiceV2Prefix) + "/conferences";
    router.add(
        "GET", base, "listConferences", bandwidthShaped([gate, s, keep](net::RequestContext& ctx) {
            const auto& account = gate.authorize(ctx);
            auto filter = parseFilter(ctx.request().query);
            auto page = s->list(account, filter);
            json out = json::array();
            for (const auto& c : page) out.push_back(conferenceJson(*s, c, false));
            auto r = net::HttpResponse::json(200, protocol::dumpJson(out));
            if (page.size() == filter.pageSize) {
                // Bandwidth: a Link header to the next page when there may be one.
                std::string next = "/api/v2/accounts/" + account +
                                   "/conferences?pageSize=" + std::to_string(filter.pageSize) +
                                   "&pageToken=" + page.back().id;
                r.headers.emplace_back("Link", "<" + next + ">; rel=\"next\"");
            }
            return r;
        }));
    router.add("GET", base + "/{conferenceId}", "getConference",
               bandwidthShaped([gate, s](net::RequestContext& ctx) {
                   const auto& account = gate.authorize(ctx);
                   return net::HttpResponse::json(
                       200, protocol::dumpJson(
                                conferenceJson(*s, s->get(account, conferenceIdParam(ctx)), true)));
               }));
    router.add("POST", base + "/{conferenceId}", "updateConference",
               bandwidthShaped([gate, s](net::RequestContext& ctx) {
                   const auto& account = gate.authorize(ctx);
                   const auto& id = conferenceIdParam(ctx);
                   s->get(account, id);  // 404 before looking at the body
                   s->update(account, id, parseUpdate(ctx.request().body));
                   return net::HttpResponse::noContent();
               }));
    router.add("PUT", base + "/{conferenceId}/bxml", "updateConferenceBxml",
               bandwidthShaped([gate, s](net::RequestContext& ctx) {
                   const auto& account = gate.authorize(ctx);
                   const auto& id = conferenceIdParam(ctx);
                   s->get(account, id);
                   if (!isXmlContentType(ctx.request().contentType))
                       throw net::HttpError(
                           net::ErrorCode::UnsupportedMediaType,
                           "Content-Type must be application/xml (a BXML document)",
                           "Content-Type");
                   auto document = parseBxmlBody(ctx.request().body);
                   // Bandwidth: only these verbs may run in a conference; "BXML containing
                   // unsupported verbs will be rejected completely".
                   static const std::set<std::string> kConferenceVerbs{
                       "PlayAudio",     "SpeakSentence",  "StartRecording",
                       "StopRecording", "PauseRecording", "ResumeRecording"};
                   for (const auto& verb : bxml::parse(document))
                       if (!kConferenceVerbs.count(bxml::verbName(verb)))
                           throw apierr::invalidField(
                               "body", "<" + bxml::verbName(verb) + "> cannot run in a conference");
                   s->replaceBxml(account, id, document);
                   return net::HttpResponse::noContent();
               }));
    const std::string member = base + "/{conferenceId}/members/{memberId}";
    router.add(
        "GET", member, "getConferenceMember", bandwidthShaped([gate, s](net::RequestContext& ctx) {
            const auto& account = gate.authorize(ctx);
            const auto& id = conferenceIdParam(ctx);
            auto m = s->member(account, id, ctx.param("memberId"));
            return net::HttpResponse::json(200, protocol::dumpJson(memberJson(*s, account, id, m)));
        }));
    router.add("PUT", member, "updateConferenceMember",
               bandwidthShaped([gate, s](net::RequestContext& ctx) {
                   const auto& account = gate.authorize(ctx);
                   const auto& id = conferenceIdParam(ctx);
                   s->member(account, id, ctx.param("memberId"));
                   s->updateMember(account, id, ctx.param("memberId"),
                                   parseMemberUpdate(ctx.request().body));
                   return net::HttpResponse::noContent();
               }));
}

}  // namespace sb::voice
