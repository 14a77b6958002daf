#include "server/voice/Bxml.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <pugixml.hpp>
#include <set>

#include "server/voice/AddressSyntax.hpp"
#include "server/voice/BxmlElement.hpp"
#include "server/voice/Uui.hpp"

namespace sb::voice::bxml {

namespace {

using detail::Element;
using detail::fail;
using detail::isUrlReference;
using detail::trim;

// Bandwidth verbs that exist but that this server does not execute.
const std::set<std::string, std::less<>> kUnsupportedVerbs{
    "StartStream", "StopStream", "StartTranscription",   "StopTranscription",
    "Refer",       "Connect",    "StartMachineDetection"};

TargetCallbacks targetCallbacks(Element& e) {
    TargetCallbacks c;
    c.transferAnswer = e.callback("transferAnswer");
    // Bandwidth documents no fallback for transferDisconnect; the target's credentials apply.
    c.transferDisconnect = e.callback("transferDisconnect", {/*fallback=*/false});
    c.tag = e.tag();
    return c;
}

Transfer parseTransfer(Element& e) {
    Transfer t;
    if (auto id = e.attr("transferCallerId")) {
        auto s = trim(*id);
        bool named = s == "Restricted" || s == "Anonymous" || s == "Private" || s == "Unavailable";
        if (!isE164(s) && !named)
            fail(e.where(), "transferCallerId \"" + *id +
                                "\" must be E.164 (+15555555555) or Restricted, Anonymous, Private "
                                "or Unavailable");
        t.transferCallerId = s;
    }
    t.callTimeout = e.number("callTimeout", 1, 300, "seconds");
    t.tag = e.tag();
    t.transferComplete = e.callback("transferComplete");
    e.checkAttributes();
    detail::forEachElementChild(
        e.node(),
        [&](pugi::xml_node child) {
            std::string name = child.name();
            if (t.targets.size() == kMaxTransferTargets)
                fail(e.where(), "has more than " + std::to_string(kMaxTransferTargets) +
                                    " PhoneNumber/SipUri targets");
            Element c(child, e.where() + ", target " + std::to_string(t.targets.size() + 1) + " <" +
                                 name + ">");
            if (name == "PhoneNumber") {
                PhoneNumberTarget p;
                p.callbacks = targetCallbacks(c);
                p.number = c.text();
                if (!isE164(p.number))
                    fail(c.where(), "\"" + p.number + "\" is not an E.164 number (+15555555555)");
                c.checkAttributes();
                t.targets.emplace_back(std::move(p));
            } else if (name == "SipUri") {
                SipUriTarget s;
                s.callbacks = targetCallbacks(c);
                s.uui = c.attr("uui");
                if (s.uui) {
                    try {
                        sip::validateUui(*s.uui, kMaxSipUriUuiLength, {"base64", "jwt"});
                    } catch (const sip::UuiError& err) {
                        fail(c.where(), std::string("uui: ") + err.what());
                    }
                }
                s.uri = c.text();
                if (!isSipUri(s.uri))
                    fail(c.where(), "\"" + s.uri + "\" is not a sip: or sips: URI");
                c.checkAttributes();
                t.targets.emplace_back(std::move(s));
            } else {
                fail(e.where(),
                     "<" + name + "> is not allowed here; expected <PhoneNumber> or <SipUri>");
            }
        },
        [&](const std::string&) { fail(e.where(), "must not have text content"); });
    if (t.targets.empty()) fail(e.where(), "needs at least one <PhoneNumber> or <SipUri>");
    return t;
}

SendDtmf parseSendDtmf(Element& e) {
    SendDtmf d;
    if (auto v = e.number("toneDuration", 50, 5000, "ms")) d.toneDuration = *v;
    if (auto v = e.number("toneInterval", 50, 5000, "ms")) d.toneInterval = *v;
    e.checkAttributes();
    d.digits = e.text();
    if (d.digits.empty()) fail(e.where(), "has no digits");
    if (d.digits.size() > kMaxDtmfDigits)
        fail(e.where(), "has " + std::to_string(d.digits.size()) + " characters; the limit is " +
                            std::to_string(kMaxDtmfDigits));
    for (char c : d.digits) {
        bool ok = (c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D') ||
                  (c >= 'a' && c <= 'd') || c == 'w' || c == 'W' || c == ',';
        if (!ok)
            fail(e.where(),
                 std::string("'") + c + "' is not a DTMF digit (0-9 * # A-D, or w , W for pauses)");
    }
    return d;
}

Verb parseVerb(pugi::xml_node node, std::size_t index) {
    std::string name = node.name();
    Element e(node, "verb " + std::to_string(index) + " <" + name + ">");
    if (name == "Transfer") return parseTransfer(e);
    if (name == "Hangup") {
        e.checkAttributes();
        e.requireEmpty();
        return Hangup{};
    }
    if (name == "Pause" || name == "Ring") {
        auto d = e.number("duration", 0.1, 86400, "seconds");
        e.checkAttributes();
        e.requireEmpty();
        if (name == "Pause") return Pause{d.value_or(1)};
        return Ring{d.value_or(5)};
    }
    if (name == "PlayAudio") {
        auto credentials = e.audioCredentials();
        e.checkAttributes();
        auto url = e.text();
        if (url.empty()) fail(e.where(), "has no URL");
        if (!isUrlReference(url))
            fail(e.where(), "\"" + url + "\" is not an http(s) URL or a relative URL");
        return PlayAudio{url, credentials};
    }
    if (name == "Redirect") {
        Redirect r;
        auto target = e.callback("redirect");
        if (!target) fail(e.where(), "the redirectUrl attribute is required");
        r.redirect = std::move(*target);
        r.tag = e.tag();
        e.checkAttributes();
        e.requireEmpty();
        return r;
    }
    if (name == "SendDtmf") return parseSendDtmf(e);
    if (name == "Tag") {
        e.checkAttributes();
        auto v = e.text();
        if (v.size() > kMaxTagLength)
            fail(e.where(), "must be at most " + std::to_string(kMaxTagLength) + " characters");
        return Tag{v};
    }
    if (auto ivr = detail::parseIvrVerb(name, e)) return std::move(*ivr);
    if (name == "Bridge") return parseBridge(node, e.where());  // rooms (BxmlRooms.cpp)
    if (name == "Forward") return parseForward(node, e.where());
    // Recording verbs (BxmlRecording.cpp).
    if (name == "Record") return parseRecord(node, e.where());
    if (name == "StartRecording") return parseStartRecording(node, e.where());
    if (name == "StopRecording" || name == "PauseRecording" || name == "ResumeRecording") {
        parseRecordingControl(node, e.where());
        if (name == "StopRecording") return StopRecording{};
        if (name == "PauseRecording") return PauseRecording{};
        return ResumeRecording{};
    }
    if (name == "Conference") return detail::parseConference(e);  // conf (BxmlConference.cpp)
    if (kUnsupportedVerbs.count(name)) return Unsupported{name};
    fail(e.where(), "unknown verb");
}

// pugixml does not check the encoding, and the values we take from the document (tags, URLs)
// reach JSON callback bodies, whose serialisation throws on bytes that are not UTF-8 (found by
// tests/fuzz/call_flow, regression seed invalid_utf8_tag). XML 1.0 §2.2 and RFC 3629 §4: no
// overlong forms, no surrogates, nothing above U+10FFFF. Returns the offset of the first bad byte.
std::optional<std::size_t> firstInvalidUtf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            ++i;
            continue;
        }
        std::size_t n = b >= 0xC2 && b <= 0xDF   ? 2
                        : b >= 0xE0 && b <= 0xEF ? 3
                        : b >= 0xF0 && b <= 0xF4 ? 4
                                                 : 0;
        if (n == 0 || i + n > s.size()) return i;
        auto b1 = static_cast<unsigned char>(s[i + 1]);
        unsigned char lo = 0x80, hi = 0xBF;
        if (b == 0xE0) lo = 0xA0;
        if (b == 0xED) hi = 0x9F;
        if (b == 0xF0) lo = 0x90;
        if (b == 0xF4) hi = 0x8F;
        if (b1 < lo || b1 > hi) return i;
        for (std::size_t k = 2; k < n; ++k) {
            auto c = static_cast<unsigned char>(s[i + k]);
            if (c < 0x80 || c > 0xBF) return i;
        }
        i += n;
    }
    return std::nullopt;
}

// How deep elements nest under `root` (root alone: 1), without recursion: a hostile document
// nests thousands of levels within the size limit.
std::size_t depthOf(pugi::xml_node root) {
    std::size_t depth = 1, deepest = 1;
    for (auto node = root.first_child(); node && node != root;) {
        if (node.type() == pugi::node_element) deepest = std::max(deepest, depth + 1);
        if (node.first_child()) {
            node = node.first_child();
            ++depth;
            continue;
        }
        while (node != root && !node.next_sibling()) {
            node = node.parent();
            --depth;
        }
        if (node != root) node = node.next_sibling();
    }
    return deepest;
}

}  // namespace

std::vector<Verb> parse(std::string_view document) {
    if (document.size() > kMaxDocumentBytes)
        throw BxmlError("invalid BXML: the document is " + std::to_string(document.size()) +
                        " bytes; the limit is " + std::to_string(kMaxDocumentBytes));
    if (auto at = firstInvalidUtf8(document))
        throw BxmlError("invalid BXML: not UTF-8 at byte " + std::to_string(*at));
    if (trim(document).empty()) return {};
    pugi::xml_document doc;
    // parse_default: no DOCTYPE processing and no entity expansion beyond the five predefined
    // ones, so external entities and entity bombs are not a concern.
    auto result =
        doc.load_buffer(document.data(), document.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!result)
        throw BxmlError(std::string("invalid BXML: not well-formed XML: ") + result.description() +
                        " at byte " + std::to_string(result.offset));
    pugi::xml_node root;
    for (auto child : doc.children()) {
        if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata)
            throw BxmlError("invalid BXML: text outside the root element");
        if (child.type() != pugi::node_element) continue;
        if (root) throw BxmlError("invalid BXML: more than one root element");
        root = child;
    }
    if (depthOf(root) > kMaxDepth)
        throw BxmlError("invalid BXML: elements nested more than " + std::to_string(kMaxDepth) +
                        " deep");
    std::string rootName = root.name();
    if (rootName != "Response" && rootName != "Bxml")
        throw BxmlError("invalid BXML: the root element is <" + rootName +
                        ">; expected <Response>");
    std::vector<Verb> verbs;
    detail::forEachElementChild(
        root,
        [&](pugi::xml_node child) {
            if (verbs.size() == kMaxVerbs)
                throw BxmlError("invalid BXML: more than " + std::to_string(kMaxVerbs) + " verbs");
            verbs.push_back(parseVerb(child, verbs.size() + 1));
        },
        [](const std::string& text) {
            throw BxmlError("invalid BXML: text \"" + text.substr(0, 40) + "\" outside any verb");
        });
    return verbs;
}

std::string withoutContent(const std::string& message) {
    static const std::set<std::string, std::less<>> kOwnNames{
        "Response",    "Bxml",           "Transfer",      "Hangup",         "Pause",
        "PlayAudio",   "Redirect",       "SendDtmf",      "Ring",           "Tag",
        "PhoneNumber", "SipUri",         "SpeakSentence", "Gather",         "StartGather",
        "StopGather",  "Bridge",         "Forward",  // rooms
        "Record",      "StartRecording", "StopRecording", "PauseRecording", "ResumeRecording",
        "Conference"};  // conf
    std::string out;
    std::string_view m = message;
    auto uui = m.find("uui: ");
    if (uui != std::string_view::npos) m = m.substr(0, uui);
    for (std::size_t i = 0; i < m.size(); ++i) {
        char c = m[i];
        auto close = (c == '"' || c == '\'' || c == '<') ? m.find(c == '<' ? '>' : c, i + 1)
                                                         : std::string_view::npos;
        if (close == std::string_view::npos) {
            out += c;
            continue;
        }
        auto inner = m.substr(i + 1, close - i - 1);
        if (c == '<')
            out += kOwnNames.count(inner) || kUnsupportedVerbs.count(inner)
                       ? "<" + std::string(inner) + ">"
                       : "<…>";
        else
            out += std::string(1, c) + "…" + c;
        i = close;
    }
    if (uui != std::string_view::npos) out += "uui: not a valid User-To-User value";
    return out;
}

std::string verbName(const Verb& verb) {
    struct Name {
        std::string operator()(const Transfer&) const { return "Transfer"; }
        std::string operator()(const Hangup&) const { return "Hangup"; }
        std::string operator()(const Pause&) const { return "Pause"; }
        std::string operator()(const PlayAudio&) const { return "PlayAudio"; }
        std::string operator()(const Redirect&) const { return "Redirect"; }
        std::string operator()(const SendDtmf&) const { return "SendDtmf"; }
        std::string operator()(const Ring&) const { return "Ring"; }
        std::string operator()(const Tag&) const { return "Tag"; }
        std::string operator()(const Unsupported& u) const { return u.verb; }
        std::string operator()(const SpeakSentence&) const { return "SpeakSentence"; }
        std::string operator()(const Gather&) const { return "Gather"; }
        std::string operator()(const StartGather&) const { return "StartGather"; }
        std::string operator()(const StopGather&) const { return "StopGather"; }
        std::string operator()(const Bridge&) const { return "Bridge"; }
        std::string operator()(const Forward&) const { return "Forward"; }
        std::string operator()(const Record&) const { return "Record"; }
        std::string operator()(const StartRecording&) const { return "StartRecording"; }
        std::string operator()(const StopRecording&) const { return "StopRecording"; }
        std::string operator()(const PauseRecording&) const { return "PauseRecording"; }
        std::string operator()(const ResumeRecording&) const { return "ResumeRecording"; }
        std::string operator()(const Conference&) const { return "Conference"; }  // conf
    };
    return std::visit(Name{}, verb);
}

}  // namespace sb::voice::bxml
