#include "server/voice/HttpTarget.hpp"

namespace sb::voice {

std::optional<HttpTarget> parseHttpUrl(const std::string& url, std::string& why) {
    HttpTarget t;
    std::string rest;
    if (url.rfind("https://", 0) == 0) {
        t.tls = true;
        t.port = "443";
        rest = url.substr(8);
    } else if (url.rfind("http://", 0) == 0) {
        rest = url.substr(7);
    } else {
        why = "not an http:// or https:// URL";
        return std::nullopt;
    }
    auto end = rest.find_first_of("/?#");
    auto authority = rest.substr(0, end);
    if (end != std::string::npos) {
        t.path = rest.substr(end);
        if (t.path.front() != '/') t.path = "/" + t.path;
        auto hash = t.path.find('#');
        if (hash != std::string::npos) t.path.erase(hash);
    }
    t.hostHeader = authority;
    if (authority.empty() || authority.find('@') != std::string::npos) {
        why = "the URL has no host (or has credentials, which are not supported)";
        return std::nullopt;
    }
    if (authority.front() == '[') {
        auto close = authority.find(']');
        if (close == std::string::npos) {
            why = "bad IPv6 address in URL";
            return std::nullopt;
        }
        t.host = authority.substr(1, close - 1);
        if (close + 1 < authority.size() && authority[close + 1] == ':')
            t.port = authority.substr(close + 2);
    } else {
        auto colon = authority.rfind(':');
        t.host = authority.substr(0, colon);
        if (colon != std::string::npos) t.port = authority.substr(colon + 1);
    }
    if (t.host.empty() || t.port.empty()) {
        why = "the URL has no host or port";
        return std::nullopt;
    }
    return t;
}

}  // namespace sb::voice
