#include "server/auth/TokenService.hpp"

#include <jwt/jwt.hpp>

#include <limits>

namespace sb::auth {

const char* tokenErrorCode(TokenError e) {
    switch (e) {
        case TokenError::Malformed: return "token_malformed";
        case TokenError::AlgorithmNotAllowed: return "token_algorithm_not_allowed";
        case TokenError::BadSignature: return "token_bad_signature";
        case TokenError::WrongIssuer: return "token_wrong_issuer";
        case TokenError::UnsupportedVersion: return "token_unsupported_version";
        case TokenError::Expired: return "token_expired";
        case TokenError::ParticipantGone: return "token_participant_gone";
    }
    return "token_invalid";
}

const char* tokenErrorMessage(TokenError e) {
    switch (e) {
        case TokenError::Malformed: return "The device token is not a well-formed JWT";
        case TokenError::AlgorithmNotAllowed: return "The device token uses a signing algorithm this server does not accept";
        case TokenError::BadSignature: return "The device token's signature is invalid";
        case TokenError::WrongIssuer: return "The device token was issued by another server";
        case TokenError::UnsupportedVersion: return "The device token is not for device API v3";
        case TokenError::Expired: return "The device token has expired";
        case TokenError::ParticipantGone: return "The participant of this device token no longer exists";
    }
    return "The device token is invalid";
}

TokenService::TokenService(std::string secret, std::string issuer, std::int64_t lifetimeSeconds,
                           ParticipantExists participantExists)
    : secret_(std::move(secret)),
      issuer_(std::move(issuer)),
      lifetime_(lifetimeSeconds),
      participantExists_(std::move(participantExists)) {}

std::string TokenService::issue(const std::string& accountId, const std::string& participantId,
                                std::int64_t now) const {
    jwt::jwt_object obj{jwt::params::algorithm("HS256"), jwt::params::secret(secret_)};
    obj.add_claim("a", accountId)
        .add_claim("p", participantId)
        .add_claim("v", "v3")
        .add_claim("iat", now)
        .add_claim("exp", now + lifetime_)
        .add_claim("iss", issuer_);
    return obj.signature();
}

namespace {

std::optional<TokenError> mapLibraryError(const std::error_code& ec) {
    if (!ec) return std::nullopt;
    if (ec == jwt::VerificationErrc::InvalidAlgorithm || ec == jwt::AlgorithmErrc::NoneAlgorithmUsed)
        return TokenError::AlgorithmNotAllowed;
    if (ec == jwt::VerificationErrc::InvalidSignature || ec == jwt::AlgorithmErrc::VerificationErr)
        return TokenError::BadSignature;
    return TokenError::Malformed;
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
        !iat->is_number_integer() || !exp || !exp->is_number_integer() || !iss || !iss->is_string()) {
        check.error = TokenError::Malformed;
        return check;
    }
    check.claims = TokenClaims{a->get<std::string>(), p->get<std::string>(),
                               v->get<std::string>(), iat->get<std::int64_t>(),
                               exp->get<std::int64_t>(), iss->get<std::string>()};
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
