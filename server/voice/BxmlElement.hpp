#pragma once
// Reading one BXML element: typed, bounded attributes with messages that say which verb and
// which attribute is wrong. Private to the BXML parsers (Bxml.cpp and the verb groups'
// Bxml<Area>.cpp files).

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <optional>
#include <pugixml.hpp>
#include <set>
#include <string>
#include <string_view>

#include "server/voice/Bxml.hpp"
#include "server/voice/CallbackTarget.hpp"

namespace sb::voice::bxml::detail {

// Attributes Bandwidth defines that we accept and ignore (display names, diversion headers):
// refusing them would break working applications.
inline const std::set<std::string, std::less<>> kIgnoredAttributes{
    "privacy", "diversionTreatment", "diversionReason", "transferCallerDisplayName", "answerCall"};

constexpr std::size_t kMaxCredentialLength =
    1024;  // username, password, fallbackUsername, fallbackPassword

// What Bandwidth defines for one callback of a verb besides <prefix>Url and <prefix>Method.
struct CallbackAttributes {
    bool fallback = true;  // <prefix>FallbackUrl and <prefix>FallbackMethod
    bool timeout = false;  // callbackTimeout (seconds, 1..25, as createCall's)
};

[[noreturn]] inline void fail(const std::string& where, const std::string& message) {
    throw BxmlError("invalid BXML: " + where + ": " + message);
}

inline std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

inline bool isUrlReference(std::string_view s) {
    if (s.empty() || s.size() > kMaxUrlLength) return false;
    auto colon = s.find("://");
    if (colon != std::string_view::npos && s.rfind("http://", 0) != 0 &&
        s.rfind("https://", 0) != 0)
        return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u > 0x20 && u != 0x7f && c != '<' && c != '>' && c != '"';
    });
}

// Runs fn(child) on each element child of `node`, in document order. Text between them that is
// not blank is refused by textError(trimmed text) (which throws); comments are skipped. The one
// child loop of every BXML container: <Response>, <Transfer>, <Gather>.
template <typename Fn, typename TextError>
void forEachElementChild(pugi::xml_node node, Fn&& fn, TextError&& textError) {
    for (auto child : node.children()) {
        if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata) {
            auto text = trim(child.value());
            if (!text.empty()) textError(text);
            continue;
        }
        if (child.type() == pugi::node_element) fn(child);
    }
}

class Element {
  public:
    Element(pugi::xml_node node, std::string where) : node_(node), where_(std::move(where)) {}
    const std::string& where() const { return where_; }
    pugi::xml_node node() const { return node_; }

    std::optional<std::string> attr(const char* name) {
        used_.insert(name);
        auto a = node_.attribute(name);
        if (!a) return std::nullopt;
        return std::string(a.value());
    }

    std::optional<double> number(const char* name, double lo, double hi, const char* unit) {
        auto v = attr(name);
        if (!v) return std::nullopt;
        auto s = trim(*v);
        double d = 0;
        auto [end, ec] =
            std::from_chars(s.data(), s.data() + s.size(), d, std::chars_format::fixed);
        if (s.empty() || ec != std::errc() || end != s.data() + s.size())
            fail(where_, std::string(name) + " \"" + *v + "\" is not a decimal number");
        if (!(d >= lo && d <= hi)) {
            char range[96];
            std::snprintf(range, sizeof range, "between %g and %g %s", lo, hi, unit);
            fail(where_, std::string(name) + " \"" + *v + "\" is out of range: must be " + range);
        }
        return d;
    }

    std::string method(const char* name) {
        auto v = attr(name);
        if (!v) return "POST";
        std::string m = trim(*v);
        std::transform(m.begin(), m.end(), m.begin(), [](char c) {
            return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        });
        if (m != "GET" && m != "POST")
            fail(where_, std::string(name) + " \"" + *v + "\" must be GET or POST");
        return m;
    }

    std::optional<std::string> url(const char* name) {
        auto v = attr(name);
        if (!v) return std::nullopt;
        auto s = trim(*v);
        if (!isUrlReference(s))
            fail(where_,
                 std::string(name) + " \"" + *v + "\" is not an http(s) URL or a relative URL");
        return s;
    }

    // One callback of the verb, from Bandwidth's attributes: <prefix>Url, <prefix>Method, (where
    // Bandwidth defines them) <prefix>FallbackUrl and <prefix>FallbackMethod, the verb's username/
    // password for the primary URL and fallbackUsername/fallbackPassword for the fallback, and
    // (where defined) callbackTimeout. Every verb parser reads its callbacks with this, so they
    // all go through sendCallback with credentials and fallbacks. nullopt without <prefix>Url; a
    // fallback URL without it is an error. URLs may be relative (CallFlow resolves them).
    std::optional<CallbackTarget> callback(const std::string& prefix,
                                           CallbackAttributes defined = {}) {
        auto primary = url((prefix + "Url").c_str());
        auto method = this->method((prefix + "Method").c_str());
        auto credentials = credentialsPair("username", "password");
        auto fallbackCredentials = credentialsPair("fallbackUsername", "fallbackPassword");
        std::optional<std::string> fallback;
        std::string fallbackMethod = "POST";
        if (defined.fallback) {
            fallback = url((prefix + "FallbackUrl").c_str());
            fallbackMethod = this->method((prefix + "FallbackMethod").c_str());
            if (fallback && !primary)
                fail(where_, prefix + "FallbackUrl is set but " + prefix +
                                 "Url is not: the fallback is only tried when " + prefix +
                                 "Url fails");
        }
        std::optional<double> timeout;
        if (defined.timeout) timeout = number("callbackTimeout", 1, 25, "seconds");
        if (!primary) return std::nullopt;
        CallbackTarget t;
        t.url = *primary;
        t.method = method;
        t.credentials = credentials;
        t.fallbackUrl = fallback;
        t.fallbackMethod = fallbackMethod;
        if (fallback) t.fallbackCredentials = fallbackCredentials;
        t.timeoutSeconds = timeout;
        return t;
    }

    std::optional<std::string> tag() {
        auto v = attr("tag");
        if (v && v->size() > kMaxTagLength)
            fail(where_, "tag must be at most " + std::to_string(kMaxTagLength) + " characters");
        return v;
    }

    // Text content; element children are not allowed.
    std::string text() {
        for (auto child : node_.children())
            if (child.type() == pugi::node_element)
                fail(where_, std::string("must not contain <") + child.name() + ">");
        return trim(node_.text().get());
    }

    void requireEmpty() {
        for (auto child : node_.children()) {
            if (child.type() == pugi::node_element)
                fail(where_, std::string("must not contain <") + child.name() + ">");
            if (child.type() == pugi::node_pcdata || child.type() == pugi::node_cdata)
                if (!trim(child.value()).empty()) fail(where_, "must not have text content");
        }
    }

    // <PlayAudio>'s username/password: Basic credentials for fetching the audio file.
    std::optional<BasicCredentials> audioCredentials() {
        return credentialsPair("username", "password");
    }

    // Every attribute must have been read (or be one Bandwidth defines that we ignore).
    void checkAttributes() const {
        for (auto a : node_.attributes()) {
            std::string_view n = a.name();
            if (!used_.count(n) && !kIgnoredAttributes.count(n))
                fail(where_, "unknown attribute \"" + std::string(n) + "\"");
        }
    }

  private:
    // Bandwidth's username/password pair (nullopt without a username; a password alone is refused).
    std::optional<BasicCredentials> credentialsPair(const char* user, const char* password) {
        auto u = attr(user);
        auto p = attr(password);
        for (auto [name, value] : {std::pair{user, &u}, std::pair{password, &p}})
            if (*value && (*value)->size() > kMaxCredentialLength)
                fail(where_, std::string(name) + " must be at most " +
                                 std::to_string(kMaxCredentialLength) + " characters");
        if (p && !u) fail(where_, std::string(password) + " is set but " + user + " is not");
        return credentialsOf(u, p);
    }

    pugi::xml_node node_;
    std::string where_;
    std::set<std::string, std::less<>> used_;
};

// The verbs of each area's Bxml<Area>.cpp: nullopt when `name` is not one of them.
std::optional<Verb> parseIvrVerb(const std::string& name, Element& e);  // BxmlIvr.cpp
Conference parseConference(Element& e);                                 // conf: BxmlConference.cpp

}  // namespace sb::voice::bxml::detail
