// The one User-To-User parser (RFC 7433): the values of an INVITE's header as the endpoint hands
// them over, the participant token of a transferred call, and the values the voice API sends.
#include <catch2/catch.hpp>

#include "server/sip/endpoint/UserToUser.hpp"

using namespace sb::sip;

namespace {
const std::string kJwt = "eyJhbGciOiJIUzI1NiJ9.eyJhIjoiYWNjIiwicCI6InAxIn0.c2lnbmF0dXJl";
const std::string kHex = "93d6f3c0be5845960b744fa28015d8ede84bd1a4";

std::string errorOf(const std::string& header) {
    try {
        extractUuiToken(header);
    } catch (const UuiError& e) {
        return e.what();
    }
    FAIL("accepted: " << header);
    return {};
}
}  // namespace

TEST_CASE("parseUui splits values and parameters", "[sip][endpoint][uui]") {
    auto v =
        parseUui("abc;encoding=hex ; purpose=isdn-uui , \"q,uo;ted\";ENCODING=Base64;content=x");
    REQUIRE(v.size() == 2);
    CHECK(v[0].data == "abc");
    CHECK(v[0].encoding == "hex");
    REQUIRE(v[0].params.size() == 2);
    CHECK(v[0].params[1] == std::make_pair(std::string("purpose"), std::string("isdn-uui")));
    CHECK(v[1].data == "q,uo;ted");
    CHECK(v[1].encoding == "base64");
    CHECK_THROWS_WITH(parseUui(""), Catch::Contains("has no data"));
    CHECK_THROWS_WITH(parseUui("a;encoding=jwt,"), Catch::Contains("value 2 has no data"));
    CHECK_THROWS_WITH(parseUui("a;=jwt"), Catch::Contains("without a name"));
    CHECK_THROWS_WITH(parseUui("a;encoding=jwt;encoding=hex"), Catch::Contains("two encoding"));
    CHECK_THROWS_WITH(parseUui("\"open"), Catch::Contains("unterminated"));
    CHECK_THROWS_WITH(parseUui(std::string(kMaxUuiHeaderLength + 1, 'a')),
                      Catch::Contains("the limit is 4096"));
}

TEST_CASE("User-To-User values are split with their encoding", "[sip][endpoint][uui]") {
    auto v = parseUui("93d6f3c0be584596;encoding=base64, eyJhbGciOi.eyJhIjoiMSJ9.sig;encoding=jwt");
    REQUIRE(v.size() == 2);
    CHECK(v[0].data == "93d6f3c0be584596");
    CHECK(v[0].encoding == "base64");
    CHECK(v[1].data == "eyJhbGciOi.eyJhIjoiMSJ9.sig");
    CHECK(v[1].encoding == "jwt");
    CHECK(parseUui("abc ; purpose=x ; Encoding=Base64")[0].encoding == "base64");
    CHECK(parseUui("abc")[0].encoding.empty());

    auto one = parseUui("a.b.c;encoding=jwt");
    REQUIRE(one.size() == 1);
    CHECK(one[0].data == "a.b.c");
    // A comma inside a quoted parameter value does not split.
    auto quoted = parseUui("x;p=\"a,b\",y");
    REQUIRE(quoted.size() == 2);
    CHECK(quoted[0].data == "x");
    CHECK(quoted[0].params == std::vector<std::pair<std::string, std::string>>{{"p", "a,b"}});
    CHECK(quoted[1].data == "y");
    // Empty values are not values: the header is refused (an absent header is no values at all,
    // see the endpoint's InboundInvite::userToUserValues).
    CHECK_THROWS_WITH(parseUui(" , ,"), Catch::Contains("has no data"));
}

TEST_CASE("the two forms generateTransferBxml sends", "[sip][endpoint][uui]") {
    auto withCall = extractUuiToken(kHex + ";encoding=base64," + kJwt + ";encoding=jwt");
    CHECK(withCall.token == kJwt);
    CHECK(withCall.callIdHex == std::optional<std::string>(kHex));
    auto tokenOnly = extractUuiToken(kJwt + ";encoding=jwt");
    CHECK(tokenOnly.token == kJwt);
    CHECK_FALSE(tokenOnly.callIdHex);
    // Whitespace around separators and case of the parameter are tolerated.
    CHECK(extractUuiToken(kHex + " ; encoding = BASE64 , " + kJwt + ";Encoding=JWT").token == kJwt);
    // Real base64 in the base64 value is accepted but is not a call id.
    CHECK_FALSE(extractUuiToken("aGVsbG8=;encoding=base64," + kJwt + ";encoding=jwt").callIdHex);
}

TEST_CASE("anything else is refused with the reason", "[sip][endpoint][uui]") {
    CHECK_THAT(errorOf(kHex + ";encoding=base64"), Catch::Contains("no ;encoding=jwt value"));
    CHECK_THAT(errorOf(kJwt), Catch::Contains("has no ;encoding= parameter"));
    CHECK_THAT(errorOf("00ff;encoding=hex," + kJwt + ";encoding=jwt"),
               Catch::Contains("encoding \"hex\""));
    CHECK_THAT(errorOf("abc.def;encoding=jwt"), Catch::Contains("not valid jwt data"));
    CHECK_THAT(errorOf("a$b.c.d;encoding=jwt"), Catch::Contains("not valid jwt data"));
    CHECK_THAT(errorOf(kJwt + ";encoding=jwt," + kJwt + ";encoding=jwt"),
               Catch::Contains("more than one ;encoding=jwt"));
    CHECK_THAT(errorOf("a!b;encoding=base64," + kJwt + ";encoding=jwt"),
               Catch::Contains("not valid base64"));
    CHECK_THAT(errorOf(kJwt + ";encoding=jwt junk"), Catch::Contains("unexpected 'j'"));
}

TEST_CASE("validateUui for values we send", "[sip][endpoint][uui]") {
    CHECK_NOTHROW(validateUui(kJwt + ";encoding=jwt", 350, {"jwt", "base64", "hex"}));
    CHECK_NOTHROW(
        validateUui("00ff;encoding=hex,aGk=;encoding=base64", 350, {"jwt", "base64", "hex"}));
    CHECK_THROWS_WITH(validateUui("0f0;encoding=hex", 350, {"hex"}),
                      Catch::Contains("not valid hex"));
    CHECK_THROWS_WITH(validateUui("x;encoding=gzip", 350, {"jwt", "base64"}),
                      Catch::Contains("encoding \"gzip\"; allowed: jwt, base64"));
    CHECK_THROWS_WITH(validateUui(std::string(351, 'a'), 350, {"jwt"}),
                      Catch::Contains("at most 350"));
}

TEST_CASE("carriesUuiToken: any jwt-encoded value, even malformed, means a session",
          "[sip][endpoint][uui]") {
    CHECK(carriesUuiToken("aaa.bbb.ccc;encoding=jwt"));
    CHECK(carriesUuiToken("0123abcd;encoding=base64,aaa.bbb.ccc;encoding=jwt"));
    CHECK(carriesUuiToken("\"aaa.bbb\" ; Encoding = JWT"));
    CHECK(carriesUuiToken("not-a-token;encoding=jwt"));  // refused later, never dialed out
    // A quoted encoding the text search cannot see ("j\wt" is "jwt" once unquoted): still a token.
    CHECK(carriesUuiToken("aaa.bbb.ccc;encoding=\"j\\wt\""));
    CHECK_FALSE(carriesUuiToken(""));
    CHECK_FALSE(carriesUuiToken("abcd;encoding=hex"));
    CHECK_FALSE(carriesUuiToken("YWJj;encoding=base64"));
}
