#pragma once
// Device tokens (reference §4.8, DESIGN "Device token"): JWTs with claims a (account id),
// p (participant id), v ("v3"), iat, exp, iss, signed HS256 with the server's secret.
// `verify` is the one check used by every entry point that accepts a token (WebSocket /v3/, SIP
// UUI).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "server/auth/HmacSha256.hpp"

namespace sb::auth {

enum class TokenError {
    Malformed,            // not three base64url parts of JSON, or required claims missing/mistyped
    AlgorithmNotAllowed,  // header alg is not HS256 (this includes "none")
    BadSignature,         // HMAC does not match: forged, altered, or signed with another secret
    WrongIssuer,          // iss is not this server's issuer
    UnsupportedVersion,   // v is not "v3"
    Expired,              // exp is in the past
    ParticipantGone,      // the participant was deleted (or never existed): the token is revoked
};

// Stable machine-readable code of each error, used in JSON-RPC errors, logs and tests.
const char* tokenErrorCode(TokenError e);
const char* tokenErrorMessage(TokenError e);

struct TokenClaims {
    std::string accountId;
    std::string participantId;
    std::string version;
    std::int64_t issuedAt = 0;
    std::int64_t expiresAt = 0;
    std::string issuer;
};

struct TokenCheck {
    std::optional<TokenError> error;
    TokenClaims claims;  // meaningful only when !error
    explicit operator bool() const { return !error; }
};

class TokenService {
  public:
    // Answers whether the participant still exists; a token outlives nothing it names.
    using ParticipantExists =
        std::function<bool(const std::string& accountId, const std::string& participantId)>;

    TokenService(std::string secret, std::string issuer, std::int64_t lifetimeSeconds,
                 ParticipantExists participantExists);

    std::string issue(const std::string& accountId, const std::string& participantId,
                      std::int64_t now) const;

    // Checks, in this order: shape, algorithm, signature, issuer, version, expiry, revocation —
    // so a forged token is reported as forged even when it also claims to be expired.
    TokenCheck verify(std::string_view token, std::int64_t now) const;

    std::int64_t lifetimeSeconds() const { return lifetime_; }

  private:
    std::string secret_;
    HmacSha256 hmac_;  // keyed with secret_
    std::string issuer_;
    std::int64_t lifetime_;
    ParticipantExists participantExists_;
};

}  // namespace sb::auth
