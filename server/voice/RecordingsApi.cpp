#include "server/voice/RecordingsApi.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sstream>

#include "protocol/SafeJson.hpp"
#include "server/base/Utf8.hpp"
#include "server/net/ByteRange.hpp"
#include "server/net/HttpError.hpp"
#include "server/net/JsonBody.hpp"
#include "server/voice/Call.hpp"
#include "server/voice/CallIds.hpp"
#include "server/voice/RecordingEvents.hpp"
#include "server/voice/VoiceErrors.hpp"

namespace sb::voice {

using net::ErrorCode;
using net::HttpError;
using nlohmann::json;

namespace {

constexpr const char* kBase = "/api/v2/accounts/{accountId}";
constexpr std::size_t kMaxQueryValue = 256;

// Bandwidth's listAccountCallRecordings filters: to, from, minStartTime, maxStartTime.
RecordingFilter parseFilter(const std::string& query) {
    RecordingFilter f;
    for (const auto& [key, value] : base::queryPairs(query, base::PlusInQuery::Space)) {
        if (value.size() > kMaxQueryValue) throw net::errors::invalidField(key, "is too long");
        auto isTime = [](const std::string& v) {
            // YYYY-MM-DDTHH:MM:SS…, compared to the second
            if (v.size() < 19) return false;
            for (std::size_t i = 0; i < 19; ++i) {
                char c = v[i];
                bool digit = c >= '0' && c <= '9';
                bool ok = (i == 4 || i == 7)     ? c == '-'
                          : i == 10              ? c == 'T'
                          : (i == 13 || i == 16) ? c == ':'
                                                 : digit;
                if (!ok) return false;
            }
            return true;
        };
        if (key == "to")
            f.to = value;
        else if (key == "from")
            f.from = value;
        else if (key == "minStartTime" || key == "maxStartTime") {
            if (!isTime(value))
                throw net::errors::invalidField(key,
                                                "must be an ISO 8601 time (2022-06-21T19:13:21Z)");
            (key == "minStartTime" ? f.minStartTime : f.maxStartTime) = value;
        }
        // Other parameters (Bandwidth's pageSize etc. of other lists) are ignored.
    }
    return f;
}

HttpError recordingNotFound(const std::string& id) {
    return {ErrorCode::NotFound, "Recording " + id + " was not found", "recordingId"};
}

std::string mediaUrlOf(const std::string& base, const RecordingMeta& m) {
    return base + "/api/v2/accounts/" + m.accountId + "/calls/" + m.callId + "/recordings/" +
           m.recordingId + "/media";
}

json listJson(const std::vector<RecordingMeta>& list, const std::string& base) {
    json out = json::array();
    for (const auto& m : list) out.push_back(recordingMetadataJson(m, mediaUrlOf(base, m)));
    return out;
}

// The recording the path names, of this account's call; 404 otherwise.
RecordingMeta lookup(net::RequestContext& ctx, const std::string& account,
                     const RecordingStore& store) {
    const auto& callId = ctx.param("callId");
    const auto& recordingId = ctx.param("recordingId");
    if (!isCallId(callId) || !isRecordingId(recordingId)) throw recordingNotFound(recordingId);
    auto m = store.get(account, callId, recordingId);
    if (!m) throw recordingNotFound(recordingId);
    return *m;
}

}  // namespace

void addRecordingRoutes(net::Router& router, auth::AccountGate gate, VoiceService& voice) {
    const std::string base = kBase;
    auto keep = voice.recordings();  // the routes share ownership
    auto* s = keep.get();
    auto url = voice.publicBaseUrl();
    auto* v = &voice;

    // Bandwidth's updateCallRecordingState: {"state": "paused" | "recording"}.
    router.add("PUT", base + "/calls/{callId}/recording", "updateCallRecordingState",
               [gate, v](net::RequestContext& ctx) {
                   const auto& account = gate.authorize(ctx);
                   const auto& callId = ctx.param("callId");
                   if (!isCallId(callId)) throw errors::callNotFound(callId);
                   v->call(account, callId);  // 404 before looking at the body
                   json body = net::parseObject(ctx.request().body);
                   auto state = body.find("state");
                   if (state == body.end() || !state->is_string() ||
                       (*state != "paused" && *state != "recording"))
                       throw net::errors::invalidField("state",
                                                       "must be \"paused\" or \"recording\"");
                   v->setRecordingPaused(account, callId, *state == "paused");
                   return net::HttpResponse::empty(200);  // Bandwidth: 200 with no body
               });

    router.add("GET", base + "/recordings", "listAccountCallRecordings",
               [gate, s, keep, url](net::RequestContext& ctx) {
                   const auto& account = gate.authorize(ctx);
                   auto list = s->list(account, parseFilter(ctx.request().query));
                   return net::HttpResponse::json(200, protocol::dumpJson(listJson(list, url)));
               });

    router.add("GET", base + "/calls/{callId}/recordings", "listCallRecordings",
               [gate, s, url](net::RequestContext& ctx) {
                   const auto& account = gate.authorize(ctx);
                   RecordingFilter f;
                   f.callId = ctx.param("callId");
                   return net::HttpResponse::json(
                       200, protocol::dumpJson(listJson(s->list(account, f), url)));
               });

    const std::string one = base + "/calls/{callId}/recordings/{recordingId}";
    router.add("GET", one, "getCallRecording", [gate, s, url](net::RequestContext& ctx) {
        const auto& account = gate.authorize(ctx);
        auto m = lookup(ctx, account, *s);
        return net::HttpResponse::json(
            200, protocol::dumpJson(recordingMetadataJson(m, mediaUrlOf(url, m))));
    });

    // The WAV, streamed from the file in bounded chunks (net::FileReply), whatever its size.
    // Range requests (RFC 9110 §14): one byte range, 206 with Content-Range; a range past the
    // end is 416 with "Content-Range: bytes */size".
    router.add("GET", one + "/media", "downloadCallRecording", [gate, s](net::RequestContext& ctx) {
        const auto& account = gate.authorize(ctx);
        auto m = lookup(ctx, account, *s);
        if (m.status == "processing")
            throw HttpError(ErrorCode::Conflict,
                            "Recording " + m.recordingId + " is still being recorded");
        auto noMedia = [&] {
            return HttpError(ErrorCode::NotFound, "Recording " + m.recordingId + " has no media",
                             "recordingId");
        };
        if (!m.hasMedia) throw noMedia();
        int fd = ::open(s->mediaPath(m).c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) throw noMedia();
        auto file = std::make_shared<net::FileBody>(fd, 0, 0);  // owns fd from here on
        struct stat st {};
        if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) throw noMedia();
        auto size = static_cast<std::uint64_t>(st.st_size);
        net::HttpResponse r;
        r.contentType = "audio/vnd.wave";
        r.headers.emplace_back("Accept-Ranges", "bytes");
        auto range = net::parseByteRange(ctx.request().range, size);
        if (range.kind == net::ByteRange::Kind::Unsatisfiable) {
            HttpError e(ErrorCode::RangeNotSatisfiable,
                        "The range is outside the recording's " + std::to_string(size) + " bytes",
                        "Range");
            e.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
            throw e;
        }
        if (range.kind == net::ByteRange::Kind::Partial) {
            r.status = 206;
            file->offset = range.first;
            file->length = range.length();
            r.headers.emplace_back("Content-Range", "bytes " + std::to_string(range.first) + "-" +
                                                        std::to_string(range.last) + "/" +
                                                        std::to_string(size));
        } else {
            r.status = 200;
            file->length = size;
        }
        r.file = std::move(file);
        return r;
    });

    auto deleting = [gate, s](bool mediaOnly) {
        return [gate, s, mediaOnly](net::RequestContext& ctx) {
            const auto& account = gate.authorize(ctx);
            auto m = lookup(ctx, account, *s);
            try {
                if (mediaOnly)
                    s->removeMedia(account, m.callId, m.recordingId);
                else
                    s->remove(account, m.callId, m.recordingId);
            } catch (const std::logic_error&) {
                throw HttpError(ErrorCode::Conflict,
                                "Recording " + m.recordingId + " is still being recorded");
            }
            return net::HttpResponse::noContent();
        };
    };
    router.add("DELETE", one, "deleteRecording", deleting(false));
    router.add("DELETE", one + "/media", "deleteRecordingMedia", deleting(true));
}

}  // namespace sb::voice
