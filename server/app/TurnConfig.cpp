#include "server/app/TurnConfig.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace sb::app {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxUrls = 16;
constexpr std::size_t kMaxUrlBytes = 512;

[[noreturn]] void bad(const std::string& key, const std::string& why) {
    throw std::runtime_error("config: turn." + key + ": " + why);
}

template <typename T>
T get(const json& j, const std::string& key) {
    try {
        return j.get<T>();
    } catch (const json::exception&) {
        bad(key, "wrong type (" + std::string(j.type_name()) + ")");
    }
}

// A decimal port 1..65535 (0 is "any" for a listener, never a port to give out or to relay on).
bool parsePort(const std::string& text, std::uint16_t& port) {
    if (text.empty() || text.size() > 5 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    int value = std::stoi(text);
    if (value < 1 || value > 65535) return false;
    port = static_cast<std::uint16_t>(value);
    return true;
}

bool isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// RFC 3986 §2.3 unreserved characters (RFC 7065 transport-ext).
bool isUnreserved(char c) {
    return isAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

// RFC 3986 §3.2.2 host: an IP-literal in brackets, an IPv4 address or a registered name. Percent
// encoding is refused: a TURN server's name never needs it.
bool isHost(const std::string& h) {
    if (h.empty()) return false;
    if (h.front() == '[')
        return h.size() > 2 && h.back() == ']' &&
               std::all_of(h.begin() + 1, h.end() - 1, [](char c) {
                   return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
               });
    return std::all_of(h.begin(), h.end(),
                       [](char c) { return isAlnum(c) || c == '-' || c == '.'; });
}

// Text written into turnserver.conf as one `key=value` line: printable ASCII, no blanks, no
// quotes or '#' that coturn's parser could take for something else.
bool isConfValue(const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return c > ' ' && c < 127 && c != '"' && c != '\'' && c != '#' && c != '\\';
    });
}

}  // namespace

bool isTurnUri(const std::string& url) {
    // turnURI = scheme ":" host [ ":" port ] [ "?transport=" transport ] (RFC 7065 §3.1)
    std::string rest;
    if (url.rfind("turn:", 0) == 0)
        rest = url.substr(5);
    else if (url.rfind("turns:", 0) == 0)
        rest = url.substr(6);
    else
        return false;
    auto query = rest.find('?');
    if (query != std::string::npos) {
        const std::string prefix = "?transport=";
        if (rest.compare(query, prefix.size(), prefix) != 0) return false;
        std::string transport = rest.substr(query + prefix.size());
        if (transport.empty() || !std::all_of(transport.begin(), transport.end(), isUnreserved))
            return false;
        rest.resize(query);
    }
    std::string host = rest;
    auto close = rest.rfind(']');
    auto colon = rest.rfind(':');
    if (colon != std::string::npos && (close == std::string::npos || colon > close)) {
        std::uint16_t port = 0;
        if (!parsePort(rest.substr(colon + 1), port)) return false;
        host = rest.substr(0, colon);
    }
    return isHost(host);
}

TurnConfig parseTurnConfig(const json& j) {
    if (!j.is_object()) throw std::runtime_error("config: turn: must be an object");
    TurnConfig t;
    bool haveSecret = false;
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string& k = it.key();
        const json& v = it.value();
        if (k == "secret") {
            t.secret = get<std::string>(v, k);
            haveSecret = true;
        } else if (k == "urls") {
            if (!v.is_array()) bad(k, "must be an array of turn: or turns: URIs");
            if (v.size() > kMaxUrls) bad(k, "at most " + std::to_string(kMaxUrls) + " URIs");
            for (const auto& u : v) t.urls.push_back(get<std::string>(u, k));
        } else if (k == "credentialLifetimeSeconds") {
            t.credentialLifetimeSeconds = get<std::int64_t>(v, k);
        } else if (k == "listen") {
            auto text = get<std::string>(v, k);
            auto colon = text.rfind(':');
            if (colon == std::string::npos || colon == 0 ||
                !parsePort(text.substr(colon + 1), t.listenPort))
                bad(k, "expected ADDRESS:PORT with a port 1..65535, got \"" + text + "\"");
            t.listenAddress = text.substr(0, colon);
            if (t.listenAddress.size() > 2 && t.listenAddress.front() == '[' &&
                t.listenAddress.back() == ']')
                t.listenAddress = t.listenAddress.substr(1, t.listenAddress.size() - 2);
        } else if (k == "relayPorts") {
            auto text = get<std::string>(v, k);
            auto dash = text.find('-');
            if (dash == std::string::npos || !parsePort(text.substr(0, dash), t.relayPortMin) ||
                !parsePort(text.substr(dash + 1), t.relayPortMax))
                bad(k, "expected FIRST-LAST, got \"" + text + "\"");
        } else if (k == "realm") {
            t.realm = get<std::string>(v, k);
        } else if (k.rfind('_', 0) != 0) {
            bad(k, "unknown key");
        }
    }
    if (!haveSecret) bad("secret", "is required (coturn's static-auth-secret)");
    return t;
}

void finishTurnConfig(TurnConfig& t, const std::string& host) {
    // The shared secret keys every credential; a short one could be found from one credential.
    if (t.secret.size() < 16 || t.secret.size() > 256)
        bad("secret", "must be 16 to 256 characters");
    if (!isConfValue(t.secret))
        bad("secret", "must be printable ASCII without blanks, quotes, '#' or '\\'");
    if (t.realm.empty() || t.realm.size() > 128 || !isConfValue(t.realm))
        bad("realm", "must be 1 to 128 printable ASCII characters without blanks or quotes");
    // A credential must outlive the call set-up; a long one is a leaked key for longer.
    if (t.credentialLifetimeSeconds < 60 || t.credentialLifetimeSeconds > 86400)
        bad("credentialLifetimeSeconds", "must be between 60 and 86400");
    if (t.relayPortMin < 1024 || t.relayPortMin >= t.relayPortMax)
        bad("relayPorts", "must be FIRST-LAST with 1024 <= FIRST < LAST <= 65535");
    if (t.listenAddress.empty() || !isConfValue(t.listenAddress))
        bad("listen", "the address must be an IP address");
    if (t.urls.empty() || t.urlsDerived) {
        t.urlsDerived = true;
        if (host.empty() || host == "0.0.0.0" || host == "::")
            bad("urls", "required when the server's address is a wildcard (" + host +
                            "): set publicAddress or turn.urls");
        std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
        std::string base = "turn:" + h + ":" + std::to_string(t.listenPort);
        t.urls = {base + "?transport=udp", base + "?transport=tcp"};
    }
    for (std::size_t i = 0; i < t.urls.size(); ++i)
        if (t.urls[i].size() > kMaxUrlBytes || !isTurnUri(t.urls[i]))
            bad("urls[" + std::to_string(i) + "]", "\"" + t.urls[i].substr(0, 64) +
                                                       "\" is not a turn: or turns: URI (RFC 7065: "
                                                       "turn:HOST[:PORT][?transport=udp|tcp])");
}

}  // namespace sb::app
