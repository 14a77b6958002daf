#include "server/net/HttpsRedirect.hpp"

#include <algorithm>

namespace sb::net {

namespace {

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool isAlnum(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// A DNS name or an IPv4 address: labels of letters, digits and '-', separated by single dots.
// Narrower than RFC 3986's reg-name on purpose: no percent-encoding or sub-delimiters, which no
// real host name needs and which would only carry tricks into the Location header.
bool isNameOrIpv4(std::string_view host) {
    if (host.empty()) return false;
    std::size_t label = 0;
    for (std::size_t i = 0; i < host.size(); ++i) {
        char c = host[i];
        if (c == '.') {
            if (label == 0) return false;
            label = 0;
        } else if (isAlnum(c) || c == '-') {
            if (++label > 63) return false;  // RFC 1035 §2.3.4
        } else {
            return false;
        }
    }
    return label > 0 || host.size() > 1;  // "example.com." (fully qualified) is fine
}

// "[...]" with hex digits, ':' and '.' (an embedded IPv4) inside; RFC 3986 §3.2.2 IP-literal.
bool isIpv6Literal(std::string_view host) {
    if (host.size() < 4 || host.front() != '[' || host.back() != ']') return false;
    auto inner = host.substr(1, host.size() - 2);
    return std::all_of(inner.begin(), inner.end(),
                       [](char c) { return isHex(c) || c == ':' || c == '.'; }) &&
           inner.find(':') != std::string_view::npos;
}

// Splits "host[:port]" and returns the host, or nothing when the port part is not digits.
std::optional<std::string_view> hostOf(std::string_view header) {
    std::size_t end = header.size();
    if (!header.empty() && header.front() == '[') {
        auto close = header.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        end = close + 1;
    } else if (auto colon = header.rfind(':'); colon != std::string_view::npos) {
        end = colon;
    }
    if (end < header.size()) {
        auto port = header.substr(end);
        if (port.size() < 2 || port.size() > 6 || port.front() != ':' ||
            !std::all_of(port.begin() + 1, port.end(), isDigit))
            return std::nullopt;
    }
    return header.substr(0, end);
}

}  // namespace

std::optional<std::string> httpsLocation(std::string_view hostHeader, std::uint16_t httpsPort,
                                         std::string_view target) {
    if (hostHeader.empty() || hostHeader.size() > kMaxRedirectHostBytes + 8) return std::nullopt;
    auto host = hostOf(hostHeader);
    if (!host || host->size() > kMaxRedirectHostBytes) return std::nullopt;
    if (!isIpv6Literal(*host) && !isNameOrIpv4(*host)) return std::nullopt;
    // Origin form only: "*" (OPTIONS) and absolute forms have no path to keep. The parser let
    // through only visible characters; checked again because this goes into a header.
    if (target.empty() || target.front() != '/' ||
        !std::all_of(target.begin(), target.end(), [](char c) { return c > ' ' && c < 0x7f; }))
        return std::nullopt;
    std::string location = "https://";
    location += *host;
    if (httpsPort != 443) location += ":" + std::to_string(httpsPort);
    location += target;
    return location;
}

}  // namespace sb::net
