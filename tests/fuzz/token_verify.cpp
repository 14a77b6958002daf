// Fuzzes device-token verification (auth::TokenService::verify, the one check of every entry
// point that accepts a token). First byte 0: the rest is a token as it arrives from the network
// (a forged signature never gets past the HMAC check). First byte 1: the rest is "header\npayload"
// JSON, which the fuzzer signs with the server's secret, so the claim checks behind the signature
// (types, issuer, version, expiry, revocation) see arbitrary claims too.
#include <cstdint>
#include <string>
#include <string_view>

#include "server/auth/HmacSha256.hpp"
#include "server/auth/TokenService.hpp"

namespace {

constexpr const char* kSecret = "fuzz-secret-0123456789abcdef0123";
constexpr std::int64_t kNow = 1714566896;

// RFC 4648 §5 without padding, as JWS uses it (RFC 7515 §2).
std::string base64url(std::string_view in) {
    static const char* alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(in[i]) << 16 |
                                                     static_cast<unsigned char>(in[i + 1]) << 8 |
                                                     static_cast<unsigned char>(in[i + 2]));
        for (int k = 18; k >= 0; k -= 6) out.push_back(alphabet[(v >> k) & 63]);
    }
    std::size_t rest = in.size() - i;
    if (rest > 0) {
        std::uint32_t v = static_cast<std::uint32_t>(static_cast<unsigned char>(in[i]) << 16);
        if (rest == 2) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[i + 1]) << 8);
        out.push_back(alphabet[(v >> 18) & 63]);
        out.push_back(alphabet[(v >> 12) & 63]);
        if (rest == 2) out.push_back(alphabet[(v >> 6) & 63]);
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static const sb::auth::TokenService tokens(kSecret, "switchboard", 3600,
                                               [](const std::string& a, const std::string& p) {
                                                   return a == "9900000" && p.size() == 36;
                                               });
    static const sb::auth::HmacSha256 hmac(kSecret);
    std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    std::string token;
    if (data[0] % 2 == 0) {
        token = std::string(rest);
    } else {
        auto nl = rest.find('\n');
        if (nl == std::string_view::npos) return 0;
        std::string signingInput =
            base64url(rest.substr(0, nl)) + "." + base64url(rest.substr(nl + 1));
        auto mac = hmac.sign(signingInput);
        token = signingInput + "." +
                base64url(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
    }
    auto check = tokens.verify(token, kNow);
    if (check.error) {
        // Every error has a code and a message (they reach the client's JSON-RPC error).
        if (!sb::auth::tokenErrorCode(*check.error) || !sb::auth::tokenErrorMessage(*check.error))
            __builtin_trap();
    }
    return 0;
}
