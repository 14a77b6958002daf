#pragma once
// The recording verbs of BXML (issue 9): <Record>, <StartRecording>, <StopRecording>,
// <PauseRecording>, <ResumeRecording>, with the attributes and ranges of Bandwidth's BXML
// reference (dev.bandwidth.com/docs/voice/bxml/record, …/startRecording). Included by Bxml.hpp;
// parsed by BxmlRecording.cpp, called from Bxml.cpp's verb dispatch.

#include <optional>
#include <string>

#include "server/voice/CallbackTarget.hpp"

namespace pugi {
class xml_node;
}

namespace sb::voice::bxml {

constexpr double kMaxRecordSeconds = 10800;  // <Record maxDuration>: 1..10800 s (Bandwidth)

// Where a recording's recordingAvailable (and, for <Record>, recordComplete) events go.
struct RecordingCallbacks {
    std::optional<CallbackTarget>
        recordingAvailable;  // recordingAvailableUrl and the verb's credentials
    std::optional<std::string> tag;
    std::string fileFormat = "wav";  // only wav is written; mp3 is refused when parsed
};

// Records what the phone says until maxDuration, silenceTimeout or a terminating digit, then
// sends recordComplete to recordCompleteUrl; the BXML it returns runs next (empty: the verbs
// after <Record> continue).
struct Record {
    std::optional<CallbackTarget> recordComplete;  // recordCompleteUrl, …FallbackUrl, credentials
    RecordingCallbacks callbacks;
    double maxDuration = 60;               // seconds, 1..10800
    std::optional<double> silenceTimeout;  // seconds of phone silence that end it; none: never
    std::string terminatingDigits = "#";
};

// Records the whole call (both directions) in the background until <StopRecording> or hangup.
struct StartRecording {
    RecordingCallbacks callbacks;
    bool multiChannel = false;  // true: two channels, the phone left, what it hears right
};

struct StopRecording {};
struct PauseRecording {};
struct ResumeRecording {};

// `where` names the verb in error messages ("verb 2 <Record>"). Throw BxmlError.
Record parseRecord(const pugi::xml_node& node, const std::string& where);
StartRecording parseStartRecording(const pugi::xml_node& node, const std::string& where);
// Stop/Pause/ResumeRecording: no attributes (Bandwidth's optional tag aside), no content.
void parseRecordingControl(const pugi::xml_node& node, const std::string& where);

}  // namespace sb::voice::bxml
