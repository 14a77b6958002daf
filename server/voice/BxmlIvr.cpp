// Parsing of the IVR verbs (BxmlIvr.hpp). Limits follow Bandwidth's BXML reference; SpeakSentence
// takes plain text only, since the engine (flite) reads no SSML.

#include <algorithm>
#include <cctype>
#include <map>

#include "server/voice/Bxml.hpp"
#include "server/voice/BxmlElement.hpp"

namespace sb::voice::bxml {

namespace {

using detail::Element;
using detail::fail;
using detail::isUrlReference;
using detail::trim;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](char c) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    });
    return s;
}

bool isDtmfDigit(char c) {
    return (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D');
}

// Bandwidth's male voices (dev.bandwidth.com/docs/voice/bxml/speakSentence, "Supported Voices"),
// each with the closest engine voice; every other name is taken as one of its female voices.
const std::map<std::string, std::string, std::less<>> kMaleVoices{
    {"paul", "rms"},   {"dave", "kal16"},   {"simon", "awb"},   {"russell", "awb"},
    {"brian", "awb"},  {"jorge", "rms"},    {"miguel", "rms"},  {"bernard", "rms"},
    {"stefan", "rms"}, {"luca", "rms"},     {"ricardo", "rms"}, {"matthew", "rms"},
    {"joey", "kal16"}, {"justin", "kal16"}, {"geraint", "awb"}};

SpeakSentence parseSpeak(Element& e) {
    SpeakSentence s;
    s.requestedVoice = e.attr("voice");
    s.gender = e.attr("gender");
    s.locale = e.attr("locale");
    e.checkAttributes();
    s.text = e.text();  // refuses nested elements (SSML): "must not contain <…>"
    if (s.text.empty()) fail(e.where(), "has no text to speak");
    if (s.text.size() > kMaxSentenceLength)
        fail(e.where(), "has " + std::to_string(s.text.size()) + " characters; the limit is " +
                            std::to_string(kMaxSentenceLength));
    s.voice = chooseVoice(e.where(), s.requestedVoice, s.gender, s.locale);
    return s;
}

int integer(Element& e, const char* name, int lo, int hi, int fallback, const char* unit) {
    auto v = e.number(name, lo, hi, unit);
    if (!v) return fallback;
    if (*v != static_cast<double>(static_cast<int>(*v)))
        fail(e.where(), std::string(name) + " must be a whole number");
    return static_cast<int>(*v);
}

Gather parseGather(Element& e) {
    Gather g;
    g.gather = e.callback("gather");
    g.tag = e.tag();
    if (auto t = e.attr("terminatingDigits")) {
        if (t->size() > 16) fail(e.where(), "terminatingDigits must be at most 16 characters");
        for (char c : *t)
            if (!isDtmfDigit(c))
                fail(e.where(), std::string("terminatingDigits: '") + c +
                                    "' is not a DTMF digit (0-9 * # A-D)");
        g.terminatingDigits = *t;
    }
    g.maxDigits = integer(e, "maxDigits", 1, 50, 50, "digits");
    if (auto v = e.number("interDigitTimeout", 1, 60, "seconds")) g.interDigitTimeout = *v;
    if (auto v = e.number("firstDigitTimeout", 0, 3600, "seconds")) g.firstDigitTimeout = *v;
    g.repeatCount = integer(e, "repeatCount", 1, 25, 1, "times");
    e.checkAttributes();
    detail::forEachElementChild(
        e.node(),
        [&](pugi::xml_node child) {
            std::string name = child.name();
            if (g.prompts.size() == kMaxGatherPrompts)
                fail(e.where(),
                     "has more than " + std::to_string(kMaxGatherPrompts) + " nested prompts");
            Element c(child, e.where() + ", prompt " + std::to_string(g.prompts.size() + 1) + " <" +
                                 name + ">");
            GatherPrompt p;
            if (name == "SpeakSentence") {
                p.sentence = parseSpeak(c);
            } else if (name == "PlayAudio") {
                p.speak = false;
                p.credentials = c.audioCredentials();
                c.checkAttributes();
                p.url = c.text();
                if (p.url.empty()) fail(c.where(), "has no URL");
                if (!isUrlReference(p.url))
                    fail(c.where(), "\"" + p.url + "\" is not an http(s) URL or a relative URL");
            } else {
                fail(e.where(),
                     "<" + name + "> is not allowed here; expected <SpeakSentence> or <PlayAudio>");
            }
            g.prompts.push_back(std::move(p));
        },
        [&](const std::string&) { fail(e.where(), "must not have text content"); });
    return g;
}

StartGather parseStartGather(Element& e) {
    StartGather s;
    // Bandwidth's StartGather has username/password but no fallback URL.
    auto dtmf = e.callback("dtmf", {/*fallback=*/false});
    if (!dtmf) fail(e.where(), "the dtmfUrl attribute is required");
    s.dtmf = std::move(*dtmf);
    s.tag = e.tag();
    e.checkAttributes();
    e.requireEmpty();
    return s;
}

}  // namespace

std::string chooseVoice(const std::string& where, const std::optional<std::string>& voice,
                        const std::optional<std::string>& gender,
                        const std::optional<std::string>& locale) {
    if (locale) {
        // xx_XX (Bandwidth writes en_US; en-US is accepted too). Every locale is spoken with an
        // English voice: the engine has no other language.
        auto l = *locale;
        bool ok = l.size() == 5 && std::isalpha(static_cast<unsigned char>(l[0])) &&
                  std::isalpha(static_cast<unsigned char>(l[1])) && (l[2] == '_' || l[2] == '-') &&
                  std::isalpha(static_cast<unsigned char>(l[3])) &&
                  std::isalpha(static_cast<unsigned char>(l[4]));
        if (!ok) fail(where, "locale \"" + l + "\" is not a locale such as en_US");
    }
    if (voice) {  // Bandwidth: when voice is present, gender and locale are ignored
        auto v = lower(trim(*voice));
        bool ok = !v.empty() && v.size() <= 32 && std::all_of(v.begin(), v.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || c == '_' || c == '-';
        });
        if (!ok) fail(where, "voice \"" + *voice + "\" is not a voice name");
        auto male = kMaleVoices.find(v);
        return male != kMaleVoices.end() ? male->second : "slt";
    }
    if (gender) {
        auto g = lower(trim(*gender));
        if (g == "male") return "rms";
        if (g != "female") fail(where, "gender \"" + *gender + "\" must be male or female");
    }
    return "slt";
}

namespace detail {

std::optional<Verb> parseIvrVerb(const std::string& name, Element& e) {
    if (name == "SpeakSentence") return parseSpeak(e);
    if (name == "Gather") return parseGather(e);
    if (name == "StartGather") return parseStartGather(e);
    if (name == "StopGather") {
        e.checkAttributes();
        e.requireEmpty();
        return StopGather{};
    }
    return std::nullopt;
}

}  // namespace detail

}  // namespace sb::voice::bxml
