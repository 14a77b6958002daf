#pragma once
// Where the plain-HTTP redirect listener (tls.redirectHttp) sends a request: the same host and
// target on the HTTPS port. The Host header is the client's to write, so it is checked against
// RFC 3986 §3.2.2 (a DNS name, an IPv4 address or a bracketed IPv6 literal, with an optional
// port) before it goes into a Location header.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sb::net {

constexpr std::size_t kMaxRedirectHostBytes = 255;  // a DNS name's limit (RFC 1035 §2.3.4)

// "https://HOST[:PORT]TARGET" (the port left out when it is 443), or nothing when the Host header
// is missing, too long or not a host, or the target is not in origin form (RFC 9112 §3.2.1).
std::optional<std::string> httpsLocation(std::string_view hostHeader, std::uint16_t httpsPort,
                                         std::string_view target);

}  // namespace sb::net
