#include "server/voice/Bxml.hpp"

#include <charconv>
#include <cstdio>
#include <pugixml.hpp>
#include <set>

namespace sb::voice::bxml {

namespace {

// Bandwidth attributes accepted and ignored: callback credentials and fallbacks (the callbacks
// part of issue 9 honours them for the call's own URLs), and transcription, which this server
// does not do (documented in docs/voice.md).
const std::set<std::string, std::less<>> kAccepted{
    "username", "password", "fallbackUsername", "fallbackPassword", "recordCompleteFallbackUrl",
    "recordCompleteFallbackMethod", "transcribe", "transcriptionAvailableUrl", "transcriptionAvailableMethod",
    "detectLanguage"};

[[noreturn]] void fail(const std::string& where, const std::string& message) {
    throw BxmlError("invalid BXML: " + where + ": " + message);
}

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

class Attributes {
public:
    Attributes(const pugi::xml_node& node, const std::string& where) : node_(node), where_(where) {}

    std::optional<std::string> get(const char* name) {
        known_.insert(name);
        auto a = node_.attribute(name);
        if (!a) return std::nullopt;
        return trim(a.value());
    }

    std::optional<double> number(const char* name, double lo, double hi) {
        auto v = get(name);
        if (!v) return std::nullopt;
        double d = 0;
        auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), d, std::chars_format::fixed);
        if (v->empty() || ec != std::errc() || end != v->data() + v->size())
            fail(where_, std::string(name) + " \"" + *v + "\" is not a decimal number");
        if (!(d >= lo && d <= hi)) {
            char range[64];
            std::snprintf(range, sizeof range, "between %g and %g seconds", lo, hi);
            fail(where_, std::string(name) + " \"" + *v + "\" is out of range: must be " + range);
        }
        return d;
    }

    std::string method(const char* name) {
        auto v = get(name);
        if (!v) return "POST";
        std::string m = *v;
        for (auto& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (m != "GET" && m != "POST") fail(where_, std::string(name) + " \"" + *v + "\" must be GET or POST");
        return m;
    }

    std::optional<std::string> url(const char* name) {
        auto v = get(name);
        if (!v) return v;
        bool ok = !v->empty() && v->size() <= kMaxUrlLength;
        auto scheme = v->find("://");
        if (scheme != std::string::npos && v->rfind("http://", 0) != 0 && v->rfind("https://", 0) != 0) ok = false;
        for (char c : *v) {
            auto u = static_cast<unsigned char>(c);
            if (u <= 0x20 || u == 0x7f || c == '<' || c == '>' || c == '"') ok = false;
        }
        if (!ok) fail(where_, std::string(name) + " \"" + *v + "\" is not an http(s) URL or a relative URL");
        return v;
    }

    bool boolean(const char* name, bool fallback) {
        auto v = get(name);
        if (!v) return fallback;
        if (*v == "true") return true;
        if (*v == "false") return false;
        fail(where_, std::string(name) + " \"" + *v + "\" must be true or false");
    }

    RecordingCallbacks callbacks() {
        RecordingCallbacks c;
        c.recordingAvailableUrl = url("recordingAvailableUrl");
        c.recordingAvailableMethod = method("recordingAvailableMethod");
        auto tag = node_.attribute("tag");
        known_.insert("tag");
        if (tag) {
            std::string t = tag.value();
            if (t.size() > kMaxTagLength) fail(where_, "tag must be at most " + std::to_string(kMaxTagLength) + " characters");
            c.tag = t;
        }
        if (auto f = get("fileFormat")) {
            if (*f == "mp3") fail(where_, "fileFormat \"mp3\" is not supported by this server: use wav");
            if (*f != "wav") fail(where_, "fileFormat \"" + *f + "\" must be wav");
        }
        return c;
    }

    void finish() const {
        for (auto a : node_.attributes()) {
            std::string_view n = a.name();
            if (!known_.count(n) && !kAccepted.count(n)) fail(where_, "unknown attribute \"" + std::string(n) + "\"");
        }
        for (auto child : node_.children()) {
            if (child.type() == pugi::node_element) fail(where_, std::string("must not contain <") + child.name() + ">");
            if ((child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) && !trim(child.value()).empty())
                fail(where_, "must not have text content");
        }
    }

private:
    const pugi::xml_node& node_;
    const std::string& where_;
    std::set<std::string, std::less<>> known_;
};

}  // namespace

Record parseRecord(const pugi::xml_node& node, const std::string& where) {
    Attributes a(node, where);
    Record r;
    r.recordCompleteUrl = a.url("recordCompleteUrl");
    r.recordCompleteMethod = a.method("recordCompleteMethod");
    r.callbacks = a.callbacks();
    r.maxDuration = a.number("maxDuration", 1, kMaxRecordSeconds).value_or(60);
    // Bandwidth: "length of silence after which to end the recording, in seconds".
    r.silenceTimeout = a.number("silenceTimeout", 0, kMaxRecordSeconds);
    if (r.silenceTimeout && *r.silenceTimeout == 0) r.silenceTimeout.reset();
    if (auto d = a.get("terminatingDigits")) {
        if (d->size() > 12) fail(where, "terminatingDigits has more than 12 characters");
        for (char c : *d)
            if (!((c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D')))
                fail(where, std::string("terminatingDigits: '") + c + "' is not a DTMF digit (0-9 * # A-D)");
        r.terminatingDigits = *d;
    }
    a.finish();
    return r;
}

StartRecording parseStartRecording(const pugi::xml_node& node, const std::string& where) {
    Attributes a(node, where);
    StartRecording s;
    s.callbacks = a.callbacks();
    s.multiChannel = a.boolean("multiChannel", false);
    a.finish();
    return s;
}

void parseRecordingControl(const pugi::xml_node& node, const std::string& where) {
    Attributes a(node, where);
    a.get("tag");
    a.finish();
}

}  // namespace sb::voice::bxml
