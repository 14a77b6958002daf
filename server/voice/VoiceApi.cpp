#include "server/voice/VoiceApi.hpp"

#include <algorithm>

#include "protocol/SafeJson.hpp"
#include "server/net/HttpError.hpp"
#include "server/voice/Bxml.hpp"
#include "server/voice/CallIds.hpp"
#include "server/voice/RecordingsApi.hpp"
#include "server/voice/VoiceErrors.hpp"

namespace sb::voice {

using nlohmann::json;
namespace apierr = net::errors;

std::string parseBxmlBody(const std::string& body) {
    auto first = body.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        throw apierr::invalidField("body", "a BXML document is required");
    std::string document = body;
    if (body[first] == '"') {
        // @bandwidth/voice 5's modifyCallBxml sends JSON.stringify(document).
        json j = json::parse(body.begin(), body.end(), nullptr, false);
        if (j.is_discarded() || !j.is_string())
            throw apierr::invalidField("body", "is neither BXML nor a JSON string of BXML");
        document = j.get<std::string>();
    }
    try {
        bxml::parse(document);
    } catch (const bxml::BxmlError& e) {
        throw apierr::invalidField("body", std::string("is not valid BXML: ") + e.what());
    }
    return document;
}

namespace {

// Bandwidth's voiceApiError fields next to ours: @bandwidth/voice's ExternalApiError and
// bandwidth-sdk's responses read `type` and `description` (bandwidth.yml `voiceApiError`).
std::string bandwidthErrorType(net::ErrorCode code) {
    switch (code) {
        case net::ErrorCode::InvalidArgument:
            return "validation";
        case net::ErrorCode::Unauthorized:
            return "authentication-error";
        case net::ErrorCode::Forbidden:
            return "authorization-error";
        case net::ErrorCode::NotFound:
            return "not-found";
        case net::ErrorCode::Conflict:
            return "conflict";
        case net::ErrorCode::UnsupportedMediaType:
            return "unsupported-media-type";
        case net::ErrorCode::TooManyRequests:
            return "too-many-requests";
        case net::ErrorCode::Internal:
            return "internal-server-error";
        default: {
            // A client error Bandwidth's list has no name for (405, 413, 414, 416, 431): our own
            // code in their kebab-case spelling, so that it still reads as the client's error.
            std::string type = net::errorCodeName(code);
            std::replace(type.begin(), type.end(), '_', '-');
            return type;
        }
    }
}

}  // namespace

net::Handler bandwidthShaped(net::Handler handler) {
    return [handler = std::move(handler)](net::RequestContext& ctx) {
        try {
            return handler(ctx);
        } catch (const net::HttpError& e) {
            auto r = net::errorResponse(e, ctx.request().requestId);
            json body = json::parse(r.body, nullptr, false);
            if (body.is_object()) {
                body["type"] = bandwidthErrorType(e.code());
                body["description"] = e.what();
                body["id"] = ctx.request().requestId;
                r.body = protocol::dumpJson(body);
            }
            return r;
        }
    };
}

bool isXmlContentType(const std::string& contentType) {
    std::string media = contentType.substr(0, contentType.find(';'));
    media.erase(std::remove(media.begin(), media.end(), ' '), media.end());
    std::transform(media.begin(), media.end(), media.begin(), [](char c) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    });
    return media == "application/xml" || media == "text/xml";
}

namespace {

const std::string& callIdParam(net::RequestContext& ctx) {
    const auto& id = ctx.param("callId");
    if (!isCallId(id)) throw errors::callNotFound(id);
    return id;
}

// The request's URL, absolute, with pageToken set to `token` (any earlier one dropped).
std::string nextPageUrl(const std::string& base, const net::HttpRequest& req,
                        const std::string& token) {
    std::string query;
    std::size_t pos = 0;
    while (pos <= req.query.size() && !req.query.empty()) {
        auto amp = req.query.find('&', pos);
        auto part = req.query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
        if (!part.empty() && part.rfind("pageToken=", 0) != 0 && part != "pageToken")
            query += part + "&";
        if (amp == std::string::npos) break;
        pos = amp + 1;
    }
    return base + req.path + "?" + query + "pageToken=" + token;
}

}  // namespace

void addVoiceRoutes(net::Router& router, auth::AccountGate gate, VoiceService& voice) {
    VoiceService* v = &voice;
    if (voice.recordings()) addRecordingRoutes(router, gate, voice);    // record (issue 9)
    if (voice.conferences()) addConferenceRoutes(router, gate, voice);  // conf (issue 9)

    net::Handler create = [gate, v](net::RequestContext& ctx) {
        const auto& account = gate.authorize(ctx);
        auto call = v->createCall(account, parseCreateCall(ctx.request().body));
        auto r = net::HttpResponse::json(201, protocol::dumpJson(createCallResponse(call)));
        r.headers.emplace_back("Location", call.callUrl);
        return r;
    };
    // Bandwidth's listCalls paging (bandwidth.yml): when more calls match than pageSize, a
    // `Link: <{url}>; rel="next"` header (RFC 8288) names the next page: the same query with a
    // pageToken (here the last call id of this page, opaque to clients).
    net::Handler list = [gate, v](net::RequestContext& ctx) {
        const auto& account = gate.authorize(ctx);
        auto filter = parseListCalls(ctx.request().query);
        auto pageSize = filter.pageSize;
        filter.pageSize = pageSize + 1;  // one more tells whether a next page exists
        auto calls = v->listCalls(account, filter);
        bool more = calls.size() > pageSize;
        if (more) calls.resize(pageSize);
        json out = json::array();
        for (const auto& c : calls) out.push_back(callStateJson(c));
        auto r = net::HttpResponse::json(200, protocol::dumpJson(out));
        if (more)
            r.headers.emplace_back(
                "Link", "<" + nextPageUrl(v->publicBaseUrl(), ctx.request(), calls.back().callId) +
                            ">; rel=\"next\"");
        return r;
    };
    net::Handler get = [gate, v](net::RequestContext& ctx) {
        const auto& account = gate.authorize(ctx);
        return net::HttpResponse::json(
            200, protocol::dumpJson(callStateJson(v->call(account, callIdParam(ctx)))));
    };
    net::Handler update = [gate, v](net::RequestContext& ctx) {
        const auto& account = gate.authorize(ctx);
        const auto& id = callIdParam(ctx);
        v->call(account, id);  // 404 before validating the body of a call that does not exist
        v->updateCall(account, id, parseUpdateCall(ctx.request().body));
        return net::HttpResponse::empty(200);  // Bandwidth: 200 with an empty body
    };
    net::Handler bxml = [gate, v](net::RequestContext& ctx) {
        const auto& account = gate.authorize(ctx);
        const auto& id = callIdParam(ctx);
        v->call(account, id);
        if (!isXmlContentType(ctx.request().contentType))
            throw net::HttpError(net::ErrorCode::UnsupportedMediaType,
                                 "Content-Type must be application/xml (a BXML document), got \"" +
                                     ctx.request().contentType.substr(0, 100) + "\"",
                                 "Content-Type");
        v->replaceBxml(account, id, parseBxmlBody(ctx.request().body));
        return net::HttpResponse::noContent();  // Bandwidth: 204 "Call BXML was successfully
                                                // replaced"
    };

    const std::string v2 = std::string(kVoiceV2Prefix) + "/calls";
    router.add("POST", v2, "createCall", bandwidthShaped(create));
    router.add("GET", v2, "listCalls", bandwidthShaped(list));
    router.add("GET", v2 + "/{callId}", "getCallState", bandwidthShaped(get));
    router.add("POST", v2 + "/{callId}", "updateCall", bandwidthShaped(update));
    router.add("PUT", v2 + "/{callId}/bxml", "updateCallBxml", bandwidthShaped(bxml));

    // The paths of the first voice API, kept for existing applications.
    const std::string v1 = std::string(auth::kAccountPrefix) + "/calls";
    router.add("POST", v1, "createCallV1", create);
    router.add("GET", v1 + "/{callId}", "getCallStateV1", get);
    router.add("POST", v1 + "/{callId}", "updateCallV1", update);
}

}  // namespace sb::voice
