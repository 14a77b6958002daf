// Device token verification: every rejection has its own error code (issue 2, item 5).
#include <openssl/hmac.h>
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>

#include "server/auth/TokenService.hpp"

using namespace sb::auth;

namespace {

const std::string kSecret(40, 's');
constexpr std::int64_t kNow = 1'800'000'000;

std::string b64url(const std::string& in) {
    static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                     (static_cast<unsigned char>(in[i + 1]) << 8) |
                     static_cast<unsigned char>(in[i + 2]);
        out += t[v >> 18];
        out += t[(v >> 12) & 63];
        out += t[(v >> 6) & 63];
        out += t[v & 63];
    }
    if (i + 1 == in.size()) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        out += t[v >> 18];
        out += t[(v >> 12) & 63];
    } else if (i + 2 == in.size()) {
        unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                     (static_cast<unsigned char>(in[i + 1]) << 8);
        out += t[v >> 18];
        out += t[(v >> 12) & 63];
        out += t[(v >> 6) & 63];
    }
    return out;
}

// Builds a token by hand so tests can produce what an attacker or another issuer would.
std::string handToken(const nlohmann::json& header, const nlohmann::json& payload,
                      const std::string& secret = kSecret) {
    std::string signingInput = b64url(header.dump()) + "." + b64url(payload.dump());
    unsigned char mac[32];
    unsigned len = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(signingInput.data()), signingInput.size(), mac,
         &len);
    return signingInput + "." + b64url(std::string(reinterpret_cast<char*>(mac), len));
}

nlohmann::json claims(std::int64_t exp = kNow + 100) {
    return {{"a", "acc"},       {"p", "part"}, {"v", "v3"},
            {"iat", kNow - 10}, {"exp", exp},  {"iss", "switchboard"}};
}

TokenService service(std::set<std::string>* alive = nullptr) {
    return TokenService(kSecret, "switchboard", 3600,
                        [alive](const std::string& a, const std::string& p) {
                            return a == "acc" && (alive ? alive->count(p) > 0 : true);
                        });
}

}  // namespace

SCENARIO("TokenService issues tokens it accepts", "[server][auth][TokenService]") {
    auto svc = service();
    auto token = svc.issue("acc", "part", kNow);
    auto check = svc.verify(token, kNow + 1);
    REQUIRE(check);
    CHECK(check.claims.accountId == "acc");
    CHECK(check.claims.participantId == "part");
    CHECK(check.claims.version == "v3");
    CHECK(check.claims.issuedAt == kNow);
    CHECK(check.claims.expiresAt == kNow + 3600);
    CHECK(check.claims.issuer == "switchboard");
    // A hand-made token with the same claims and key is equally valid (interoperable HS256).
    CHECK(svc.verify(handToken({{"alg", "HS256"}, {"typ", "JWT"}}, claims()), kNow));
}

SCENARIO("TokenService rejects each kind of bad token with its own code",
         "[server][auth][TokenService]") {
    std::set<std::string> alive{"part"};
    auto svc = service(&alive);
    const nlohmann::json hs256{{"alg", "HS256"}, {"typ", "JWT"}};

    struct Row {
        const char* what;
        std::string token;
        TokenError expected;
    };
    std::string good = svc.issue("acc", "part", kNow);
    // Same header and signature, but the payload names another participant.
    std::string tampered = good.substr(0, good.find('.') + 1) + b64url([] {
                               auto c = claims();
                               c["p"] = "someone-else";
                               return c.dump();
                           }()) +
                           good.substr(good.rfind('.'));

    std::string noneToken =
        b64url(R"({"alg":"none","typ":"JWT"})") + "." + b64url(claims().dump()) + ".";
    auto noSig = good.substr(0, good.rfind('.') + 1);

    std::vector<Row> rows{
        {"empty", "", TokenError::Malformed},
        {"garbage", "not-a-jwt", TokenError::Malformed},
        {"two parts", "abc.def", TokenError::Malformed},
        {"header not JSON", b64url("{{{") + "." + b64url(claims().dump()) + ".sig",
         TokenError::Malformed},
        {"signature removed", noSig, TokenError::Malformed},
        {"alg none", noneToken, TokenError::AlgorithmNotAllowed},
        {"alg HS512", handToken({{"alg", "HS512"}, {"typ", "JWT"}}, claims()),
         TokenError::AlgorithmNotAllowed},
        {"alg RS256", handToken({{"alg", "RS256"}, {"typ", "JWT"}}, claims()),
         TokenError::AlgorithmNotAllowed},
        {"payload altered", tampered, TokenError::BadSignature},
        {"other secret", handToken(hs256, claims(), std::string(40, 'x')),
         TokenError::BadSignature},
        {"expired and forged", handToken(hs256, claims(kNow - 5), std::string(40, 'x')),
         TokenError::BadSignature},
        {"missing p claim",
         handToken(
             hs256,
             {{"a", "acc"}, {"v", "v3"}, {"iat", 1}, {"exp", kNow + 5}, {"iss", "switchboard"}}),
         TokenError::Malformed},
        {"exp is a string",
         handToken(hs256, {{"a", "acc"},
                           {"p", "part"},
                           {"v", "v3"},
                           {"iat", 1},
                           {"exp", "soon"},
                           {"iss", "switchboard"}}),
         TokenError::Malformed},
        {"other issuer",
         handToken(hs256,
                   [] {
                       auto c = claims();
                       c["iss"] = "bandwidth";
                       return c;
                   }()),
         TokenError::WrongIssuer},
        {"version v2",
         handToken(hs256,
                   [] {
                       auto c = claims();
                       c["v"] = "v2";
                       return c;
                   }()),
         TokenError::UnsupportedVersion},
        {"expired", handToken(hs256, claims(kNow - 1)), TokenError::Expired},
        {"expires exactly now", handToken(hs256, claims(kNow)), TokenError::Expired},
        {"deleted participant", svc.issue("acc", "gone", kNow), TokenError::ParticipantGone},
        {"foreign account", svc.issue("other-account", "part", kNow), TokenError::ParticipantGone},
    };
    for (const auto& row : rows) {
        GIVEN(row.what) {
            auto check = svc.verify(row.token, kNow);
            REQUIRE_FALSE(check);
            CHECK(tokenErrorCode(*check.error) == std::string(tokenErrorCode(row.expected)));
        }
    }
}

SCENARIO("Deleting a participant revokes its token", "[server][auth][TokenService]") {
    std::set<std::string> alive{"part"};
    auto svc = service(&alive);
    auto token = svc.issue("acc", "part", kNow);
    REQUIRE(svc.verify(token, kNow));
    alive.erase("part");
    auto check = svc.verify(token, kNow);
    REQUIRE_FALSE(check);
    CHECK(*check.error == TokenError::ParticipantGone);
}

TEST_CASE("Token error codes are distinct", "[server][auth][TokenService]") {
    std::set<std::string> codes;
    for (auto e : {TokenError::Malformed, TokenError::AlgorithmNotAllowed, TokenError::BadSignature,
                   TokenError::WrongIssuer, TokenError::UnsupportedVersion, TokenError::Expired,
                   TokenError::ParticipantGone}) {
        codes.insert(tokenErrorCode(e));
        CHECK(std::string(tokenErrorMessage(e)).size() > 10);
    }
    CHECK(codes.size() == 7);
}

TEST_CASE("issued tokens are byte for byte what the JWT library and a hand-built token give",
          "[server][auth][TokenService]") {
    auto svc = service();
    for (std::string account : {"acc", "9900000", "we\"ird\\acc\n"}) {
        auto issued = svc.issue(account, "f3c0ad2e-7e4b-4a53-9d0b-0cbf2d1c9a11", kNow);
        // nlohmann keeps keys ordered, as the library does: the same claims give the same bytes.
        nlohmann::json payload{{"a", account},       {"p", "f3c0ad2e-7e4b-4a53-9d0b-0cbf2d1c9a11"},
                               {"v", "v3"},          {"iat", kNow},
                               {"exp", kNow + 3600}, {"iss", "switchboard"}};
        CHECK(issued == handToken({{"alg", "HS256"}, {"typ", "JWT"}}, payload));
        auto check = svc.verify(issued, kNow);
        if (account == "acc")
            CHECK(check);
        else
            CHECK(check.error ==
                  TokenError::ParticipantGone);  // this test's service knows only "acc"
    }
}

// Found by tests/fuzz/token_verify: the JWT library converted exp to an integer before checking the
// signature, and 1e99 does not fit one (undefined behaviour, reachable without the secret).
TEST_CASE("A token whose time claims are not integers is malformed, signed or not",
          "[server][auth][TokenService]") {
    auto svc = service();
    for (const char* name : {"exp", "iat", "nbf"}) {
        auto c = claims();
        c[name] = 1e99;
        auto forged = handToken({{"alg", "HS256"}, {"typ", "JWT"}}, c, "not-the-secret");
        auto signedByUs = handToken({{"alg", "HS256"}, {"typ", "JWT"}}, c);
        INFO(name);
        CHECK(svc.verify(forged, kNow).error == TokenError::Malformed);
        CHECK(svc.verify(signedByUs, kNow).error == TokenError::Malformed);
    }
    CHECK(svc.verify(handToken({{"alg", "HS256"}, {"typ", "JWT"}}, claims()), kNow));
}
