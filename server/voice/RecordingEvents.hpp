#pragma once
// Bandwidth's recording webhooks (bandwidth.yml recordCompleteCallback, recordingAvailableCallback)
// and the REST metadata (callRecordingMetadata). The common call fields come from callEvent.

#include <nlohmann/json.hpp>
#include <string>

#include "server/voice/Call.hpp"
#include "server/voice/RecordingStore.hpp"

namespace sb::voice {

// ISO 8601 duration as Bandwidth writes it: "PT13.67S", "PT1M3.5S", "PT1H0M2S"; "PT0S" for none.
std::string isoDuration(double seconds);

// + recordingId, mediaUrl, duration, fileFormat, channels, startTime/endTime (the recording's),
// status, errorMessage (status error), transferCallerId/transferTo (when set).
nlohmann::json recordingEvent(const std::string& eventType, const Call& call,
                              const RecordingMeta& meta, const std::string& mediaUrl,
                              TimePoint eventTime);

nlohmann::json recordingMetadataJson(const RecordingMeta& meta, const std::string& mediaUrl);

}  // namespace sb::voice
