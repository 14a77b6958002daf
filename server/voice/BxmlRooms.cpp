#include "server/voice/BxmlRooms.hpp"

#include <algorithm>
#include <cstdlib>
#include <pugixml.hpp>
#include <set>

#include "server/voice/AddressSyntax.hpp"
#include "server/voice/Bxml.hpp"
#include "server/voice/BxmlElement.hpp"
#include "server/voice/Uui.hpp"

namespace sb::voice::bxml {

namespace {

[[noreturn]] void fail(const std::string& where, const std::string& message) {
    throw BxmlError("invalid BXML: " + where + ": " + message);
}

std::string trimmed(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

}  // namespace

Bridge parseBridge(const pugi::xml_node& node, const std::string& where) {
    detail::Element e(node, where);
    Bridge b;
    b.bridgeComplete = e.callback("bridgeComplete");
    b.bridgeTargetComplete = e.callback("bridgeTargetComplete");
    b.tag = e.tag();
    e.checkAttributes();
    b.targetCall = e.text();  // refuses element children
    // Call ids are ours (hex, "c-…" for Bandwidth-style ids); anything else names no call.
    constexpr std::size_t kMaxCallId = 128;
    if (b.targetCall.empty()) fail(where, "needs the target call's id as its text");
    bool idOk = b.targetCall.size() <= kMaxCallId &&
                std::all_of(b.targetCall.begin(), b.targetCall.end(), [](char c) {
                    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                           (c >= 'A' && c <= 'Z') || c == '-' || c == '_';
                });
    if (!idOk) fail(where, "\"" + b.targetCall + "\" is not a call id");
    return b;
}

Forward parseForward(const pugi::xml_node& node, const std::string& where) {
    static const std::set<std::string, std::less<>> kOwn{
        "to",  "from",    "callTimeout",       "diversionTreatment", "diversionReason",
        "uui", "privacy", "callerDisplayName", "username",           "password"};
    for (auto a : node.attributes()) {
        std::string_view n = a.name();
        if (!kOwn.count(n)) fail(where, "unknown attribute \"" + std::string(n) + "\"");
    }
    for (auto child : node.children()) {
        if (child.type() == pugi::node_element)
            fail(where, std::string("must not contain <") + child.name() + ">");
        if ((child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) &&
            !trimmed(child.value()).empty())
            fail(where, "must not have text content");
    }
    Forward f;
    f.to = trimmed(node.attribute("to").value());
    // sip: only: <Forward> dials a sips: URI nowhere (TransferVerbs passes sip: ones as SIP
    // targets).
    bool sipTo = f.to.rfind("sip:", 0) == 0 && isSipUri(f.to);
    if (f.to.empty()) fail(where, "the to attribute is required");
    if (!isE164(f.to) && !sipTo)
        fail(where, "to \"" + f.to + "\" must be E.164 (+15555555555) or a sip: URI");
    if (auto a = node.attribute("from")) {
        auto v = trimmed(a.value());
        if (!isE164(v)) fail(where, "from \"" + v + "\" must be E.164 (+15555555555)");
        f.from = v;
    }
    if (auto a = node.attribute("callTimeout")) {
        auto v = trimmed(a.value());
        char* end = nullptr;
        double d = v.empty() ? 0 : std::strtod(v.c_str(), &end);
        if (v.empty() || end != v.c_str() + v.size() || !(d >= 1 && d <= 300))
            fail(where, "callTimeout \"" + v + "\" must be a number of seconds between 1 and 300");
        f.callTimeout = d;
    }
    if (auto a = node.attribute("diversionTreatment")) {
        std::string v = trimmed(a.value());
        if (v != "none" && v != "propagate" && v != "stack")
            fail(where, "diversionTreatment \"" + v + "\" must be none, propagate or stack");
        f.diversionTreatment = v;
    }
    if (auto a = node.attribute("diversionReason")) {
        static const std::set<std::string, std::less<>> kReasons{
            "unknown",     "user-busy",      "no-answer",  "unavailable", "unconditional",
            "time-of-day", "do-not-disturb", "deflection", "follow-me",   "out-of-service",
            "away"};
        std::string v = trimmed(a.value());
        if (!kReasons.count(v))
            fail(where, "diversionReason \"" + v + "\" is not one of RFC 5806's reasons");
        f.diversionReason = v;
    }
    if (auto a = node.attribute("callerDisplayName")) {
        std::string v = a.value();
        if (v.size() > 256) fail(where, "callerDisplayName must be at most 256 characters");
        // Bandwidth: "nor contain control characters such as new lines" (it is a SIP header).
        if (std::any_of(v.begin(), v.end(),
                        [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
            fail(where, "callerDisplayName must not contain control characters");
        if (!v.empty()) f.callerDisplayName = v;
    }
    if (auto a = node.attribute("uui")) {
        // Bandwidth: RFC 7433 with its encoding parameter, base64 or jwt, at most 256 characters.
        std::string v = trimmed(a.value());
        try {
            sip::validateUui(v, kMaxForwardUuiLength, {"base64", "jwt"});
        } catch (const sip::UuiError& e) {
            fail(where, std::string("uui: ") + e.what());
        }
        f.uui = v;
    }
    return f;
}

}  // namespace sb::voice::bxml
