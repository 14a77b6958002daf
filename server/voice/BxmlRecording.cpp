#include "server/voice/Bxml.hpp"

#include <pugixml.hpp>
#include <set>

#include "server/voice/BxmlElement.hpp"

namespace sb::voice::bxml {

namespace {

using detail::Element;
using detail::fail;
using detail::trim;

// Transcription attributes are accepted and ignored: this server does not transcribe
// (documented in docs/voice.md).
constexpr const char* kTranscription[] = {"transcribe", "transcriptionAvailableUrl",
                                          "transcriptionAvailableMethod", "detectLanguage"};

bool boolean(Element& e, const char* name, bool fallback) {
    auto v = e.attr(name);
    if (!v) return fallback;
    auto t = trim(*v);
    if (t == "true") return true;
    if (t == "false") return false;
    fail(e.where(), std::string(name) + " \"" + *v + "\" must be true or false");
}

// recordingAvailableUrl (no fallback in Bandwidth's reference; the verb's credentials apply),
// tag and fileFormat, shared by <Record> and <StartRecording>.
RecordingCallbacks recordingCallbacks(Element& e) {
    RecordingCallbacks c;
    c.recordingAvailable = e.callback("recordingAvailable", {/*fallback=*/false});
    c.tag = e.tag();
    if (auto f = e.attr("fileFormat")) {
        auto v = trim(*f);
        if (v == "mp3")
            fail(e.where(), "fileFormat \"mp3\" is not supported by this server: use wav");
        if (v != "wav") fail(e.where(), "fileFormat \"" + v + "\" must be wav");
    }
    for (auto name : kTranscription) e.attr(name);
    return c;
}

}  // namespace

Record parseRecord(const pugi::xml_node& node, const std::string& where) {
    Element e(node, where);
    Record r;
    r.recordComplete = e.callback("recordComplete");
    r.callbacks = recordingCallbacks(e);
    r.maxDuration = e.number("maxDuration", 1, kMaxRecordSeconds, "seconds").value_or(60);
    // Bandwidth: "length of silence after which to end the recording, in seconds".
    r.silenceTimeout = e.number("silenceTimeout", 0, kMaxRecordSeconds, "seconds");
    if (r.silenceTimeout && *r.silenceTimeout == 0) r.silenceTimeout.reset();
    if (auto raw = e.attr("terminatingDigits")) {
        auto d = trim(*raw);
        if (d.size() > 12) fail(where, "terminatingDigits has more than 12 characters");
        for (char c : d)
            if (!((c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D')))
                fail(where, std::string("terminatingDigits: '") + c +
                                "' is not a DTMF digit (0-9 * # A-D)");
        r.terminatingDigits = d;
    }
    e.checkAttributes();
    e.requireEmpty();
    return r;
}

StartRecording parseStartRecording(const pugi::xml_node& node, const std::string& where) {
    Element e(node, where);
    StartRecording s;
    s.callbacks = recordingCallbacks(e);
    s.multiChannel = boolean(e, "multiChannel", false);
    e.checkAttributes();
    e.requireEmpty();
    return s;
}

void parseRecordingControl(const pugi::xml_node& node, const std::string& where) {
    Element e(node, where);
    e.tag();
    e.checkAttributes();
    e.requireEmpty();
}

}  // namespace sb::voice::bxml
