#include "server/voice/RecordingEvents.hpp"

#include <cmath>
#include <cstdio>

#include "server/voice/CallbackEvents.hpp"

namespace sb::voice {

using nlohmann::json;

std::string isoDuration(double seconds) {
    if (!(seconds > 0)) return "PT0S";
    // Hundredths, rounded once, so 59.999 s becomes "PT1M0S" rather than "PT60S".
    auto hundredths = static_cast<long long>(std::llround(seconds * 100));
    long long h = hundredths / 360000, m = hundredths / 6000 % 60, cs = hundredths % 6000;
    std::string out = "PT";
    if (h) out += std::to_string(h) + "H";
    if (h || m) out += std::to_string(m) + "M";
    char s[32];
    if (cs % 100 == 0)
        std::snprintf(s, sizeof s, "%lldS", cs / 100);
    else if (cs % 10 == 0)
        std::snprintf(s, sizeof s, "%lld.%lldS", cs / 100, cs % 100 / 10);
    else
        std::snprintf(s, sizeof s, "%lld.%02lldS", cs / 100, cs % 100);
    return out + s;
}

namespace {
void addRecordingFields(json& j, const RecordingMeta& m, const std::string& mediaUrl) {
    j["recordingId"] = m.recordingId;
    j["mediaUrl"] = m.hasMedia ? json(mediaUrl) : json(nullptr);
    j["duration"] = isoDuration(m.durationSeconds);
    j["fileFormat"] = m.fileFormat;
    j["channels"] = m.channels;
    j["startTime"] = m.startTime;
    j["endTime"] = m.endTime.empty() ? json(nullptr) : json(m.endTime);
    j["status"] = m.status;
    if (m.errorMessage) j["errorMessage"] = *m.errorMessage;
    if (m.transferCallerId) j["transferCallerId"] = *m.transferCallerId;
    if (m.transferTo) j["transferTo"] = *m.transferTo;
}
}  // namespace

json recordingEvent(const std::string& eventType, const Call& call, const RecordingMeta& meta,
                    const std::string& mediaUrl, TimePoint eventTime) {
    auto j = callEvent(eventType, call, eventTime);
    j["enqueuedTime"] = isoTime(call.startTime);
    j["parentCallId"] = nullptr;
    addRecordingFields(j, meta, mediaUrl);
    if (meta.tag) j["tag"] = *meta.tag;
    return j;
}

json recordingMetadataJson(const RecordingMeta& m, const std::string& mediaUrl) {
    json j;
    j["applicationId"] = m.applicationId;
    j["accountId"] = m.accountId;
    j["callId"] = m.callId;
    j["parentCallId"] = nullptr;
    j["to"] = m.to;
    j["from"] = m.from;
    j["direction"] = m.direction;
    j["transferCallerId"] = nullptr;
    j["transferTo"] = nullptr;
    addRecordingFields(j, m, mediaUrl);
    j["recordingName"] = nullptr;
    // Switchboard addition: audio lost because the disk writer fell behind (recordingQueueFrames).
    j["droppedBlocks"] = m.droppedBlocks;
    j["transcription"] = nullptr;
    return j;
}

}  // namespace sb::voice
