#include "server/auth/TokenService.hpp"

#include <jwt/jwt.hpp>

#include <limits>
#include <nlohmann/json.hpp>

#include "protocol/SafeJson.hpp"

namespace sb::auth {

const char* tokenErrorCode(TokenError e) {
    switch (e) {
        case TokenError::Malformed:
            return "token_malformed";
        case TokenError::AlgorithmNotAllowed:
            return "token_algorithm_not_allowed";
        case TokenError::BadSignature:
            return "token_bad_signature";
        case TokenError::WrongIssuer:
            return "token_wrong_issuer";
        case TokenError::UnsupportedVersion:
            return "token_unsupported_version";
        case TokenError::Expired:
            return "token_expired";
        case TokenError::ParticipantGone:
            return "token_participant_gone";
    }
    return "token_invalid";
}

const char* tokenErrorMessage(TokenError e) {
    switch (e) {
        case TokenError::Malformed:
            return "The device token is not a well-formed JWT";
        case TokenError::AlgorithmNotAllowed:
            return "The device token uses a signing algorithm this server does not accept";
        case TokenError::BadSignature:
            return "The device token's signature is invalid";
        case TokenError::WrongIssuer:
            return "The device token was issued by another server";
        case TokenError::UnsupportedVersion:
            return "The device token is not for device API v3";
        case TokenError::Expired:
            return "The device token has expired";
        case TokenError::ParticipantGone:
            return "The participant of this device token no longer exists";
    }
    return "The device token is invalid";
}

TokenService::TokenService(std::string secret, std::string issuer, std::int64_t lifetimeSeconds,
                           ParticipantExists participantExists)
    : secret_(std::move(secret)),
      hmac_(secret_),
      issuer_(std::move(issuer)),
      lifetime_(lifetimeSeconds),
      participantExists_(std::move(participantExists)) {}

namespace {

// RFC 7515 §2: base64url without padding.
void appendBase64Url(std::string& out, const unsigned char* p, std::size_t n) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        unsigned v = (unsigned{p[i]} << 16) | (unsigned{p[i + 1]} << 8) | p[i + 2];
        out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63],
                kAlphabet[v & 63]};
    }
    if (n - i == 1) {
        unsigned v = unsigned{p[i]} << 16;
        out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63]};
    } else if (n - i == 2) {
        unsigned v = (unsigned{p[i]} << 16) | (unsigned{p[i + 1]} << 8);
        out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63]};
    }
}

void appendBase64Url(std::string& out, std::string_view s) {
    appendBase64Url(out, reinterpret_cast<const unsigned char*>(s.data()), s.size());
}

}  // namespace

// Written through nlohmann rather than the JWT library: the same bytes as its output (JSON
// members in key order, RFC 7519 compact form; a unit test compares the two), at a fraction of the
// cost on every createParticipant. verify() keeps the library.
std::string TokenService::issue(const std::string& accountId, const std::string& participantId,
                                std::int64_t now) const {
    static const std::string kHeader = [] {
        std::string h;
        appendBase64Url(h, protocol::dumpJson({{"alg", "HS256"}, {"typ", "JWT"}}));
        return h;
    }();
    // One claims object per thread whose values are replaced on each call (members in key order:
    // nlohmann's object is a std::map): measured 0.8 us a token, as fast as the text concatenated
    // by hand was (0.7 us); a fresh object costs 1.7 us.
    static thread_local nlohmann::json claimsJson = {{"a", ""},   {"exp", 0}, {"iat", 0},
                                                     {"iss", ""}, {"p", ""},  {"v", "v3"}};
    claimsJson["a"] = accountId;
    claimsJson["exp"] = now + lifetime_;
    claimsJson["iat"] = now;
    claimsJson["iss"] = issuer_;
    claimsJson["p"] = participantId;
    std::string claims = protocol::dumpJson(claimsJson);
    std::string token;
    token.reserve(kHeader.size() + claims.size() * 4 / 3 + 48);
    token += kHeader;
    token += '.';
    appendBase64Url(token, claims);
    auto signature = hmac_.sign(token);
    token += '.';
    appendBase64Url(token, signature.data(), signature.size());
    return token;
}

namespace {

std::optional<TokenError> mapLibraryError(const std::error_code& ec) {
    if (!ec) return std::nullopt;
    if (ec == jwt::VerificationErrc::InvalidAlgorithm ||
        ec == jwt::AlgorithmErrc::NoneAlgorithmUsed)
        return TokenError::AlgorithmNotAllowed;
    if (ec == jwt::VerificationErrc::InvalidSignature || ec == jwt::AlgorithmErrc::VerificationErr)
        return TokenError::BadSignature;
    return TokenError::Malformed;
}

// cpp-jwt reads exp, nbf and iat as uint64_t before it checks the signature, and converting a
// JSON number such as 1e99 to an integer out of its range is undefined behaviour (found by
// tests/fuzz/token_verify, regression seed ub_float_exp). Tokens whose time claims are not integers
// are refused as malformed before the library sees them; ours always hold integers.
//
// Likewise its base64 decoder shifts the -1 it maps a character outside the alphabet to (undefined
// behaviour too, regression seed ub_base64_invalid_char): a compact JWS holds only base64url
// characters and two dots (RFC 7515 §7.1), so anything else is malformed before decoding.
bool safeForLibrary(std::string_view token) {
    for (char c : token) {
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.';
        if (!ok) return false;
    }
    auto first = token.find('.');
    if (first == std::string_view::npos) return true;  // the library reports the shape
    auto second = token.find('.', first + 1);
    auto part = token.substr(
        first + 1, second == std::string_view::npos ? std::string_view::npos : second - first - 1);
    std::string decoded;
    try {
        decoded = jwt::base64_uri_decode(part.data(), part.size());
    } catch (const std::exception&) {
        return true;
    }
    auto payload = nlohmann::json::parse(decoded, nullptr, false);
    if (!payload.is_object()) return true;
    for (const char* name : {"exp", "nbf", "iat"}) {
        auto it = payload.find(name);
        if (it != payload.end() && !it->is_number_integer()) return false;
    }
    return true;
}

const nlohmann::json* claim(const nlohmann::json& payload, const char* name) {
    auto it = payload.find(name);
    return it == payload.end() ? nullptr : &*it;
}

}  // namespace

TokenCheck TokenService::verify(std::string_view token, std::int64_t now) const {
    TokenCheck check;
    jwt::jwt_object obj;
    std::error_code ec;
    if (!safeForLibrary(token)) {
        check.error = TokenError::Malformed;
        return check;
    }
    try {
        // cpp-jwt checks `exp` against its own clock before the signature; the maximal leeway turns
        // that check off so the signature is always verified first and expiry uses our `now`.
        obj = jwt::decode(jwt::string_view(token.data(), token.size()),
                          jwt::params::algorithms({"HS256"}), ec, jwt::params::secret(secret_),
                          jwt::params::verify(true),
                          jwt::params::leeway(std::numeric_limits<std::uint32_t>::max()));
    } catch (const std::exception&) {
        check.error = TokenError::Malformed;
        return check;
    }
    if ((check.error = mapLibraryError(ec))) return check;

    const auto& payload = obj.payload().create_json_obj();
    auto* a = claim(payload, "a");
    auto* p = claim(payload, "p");
    auto* v = claim(payload, "v");
    auto* iat = claim(payload, "iat");
    auto* exp = claim(payload, "exp");
    auto* iss = claim(payload, "iss");
    if (!a || !a->is_string() || !p || !p->is_string() || !v || !v->is_string() || !iat ||
        !iat->is_number_integer() || !exp || !exp->is_number_integer() || !iss ||
        !iss->is_string()) {
        check.error = TokenError::Malformed;
        return check;
    }
    check.claims =
        TokenClaims{a->get<std::string>(),    p->get<std::string>(),    v->get<std::string>(),
                    iat->get<std::int64_t>(), exp->get<std::int64_t>(), iss->get<std::string>()};
    if (check.claims.issuer != issuer_) {
        check.error = TokenError::WrongIssuer;
    } else if (check.claims.version != "v3") {
        check.error = TokenError::UnsupportedVersion;
    } else if (check.claims.expiresAt <= now) {
        check.error = TokenError::Expired;
    } else if (!participantExists_ ||
               !participantExists_(check.claims.accountId, check.claims.participantId)) {
        check.error = TokenError::ParticipantGone;
    }
    return check;
}

}  // namespace sb::auth
