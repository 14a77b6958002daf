// Fuzzes the redirect listener's Location builder (tls.redirectHttp), net/HttpsRedirect.hpp: the
// Host header and the request target are the client's to write, and what comes out goes into a
// response header. Input: two bytes of HTTPS port, then the Host header up to the first NUL, then
// the target.
#include <cstdint>
#include <string_view>

#include "server/net/HttpsRedirect.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const auto port = static_cast<std::uint16_t>(data[0] << 8 | data[1]);
    std::string_view rest(reinterpret_cast<const char*>(data + 2), size - 2);
    const auto nul = rest.find('\0');
    const auto host = rest.substr(0, nul);
    const auto target = nul == std::string_view::npos ? std::string_view() : rest.substr(nul + 1);

    const auto location = sb::net::httpsLocation(host, port, target);
    if (!location) return 0;
    // A Location that could split the response or smuggle a header (RFC 9110 §5.5: no CR, LF or
    // NUL in a field value), or that does not go to https, is a finding.
    if (location->rfind("https://", 0) != 0) __builtin_trap();
    for (char c : *location)
        if (c == '\r' || c == '\n' || c == '\0') __builtin_trap();
    // The host part is bounded; the target is copied as given.
    if (location->size() > 8 + sb::net::kMaxRedirectHostBytes + 6 + target.size()) __builtin_trap();
    return 0;
}
