// Request-body validation: every rejection names its field (issue 2, item 3).
#include <catch2/catch.hpp>

#include "server/api/Validation.hpp"
#include "server/net/HttpError.hpp"

using namespace sb::api;
using namespace sb::net;

namespace {
// Runs `fn`, expecting an InvalidArgument HttpError about `field` (empty: no field).
template <typename Fn>
void expectInvalid(Fn fn, const std::string& field, const std::string& messagePart = "") {
    try {
        fn();
        FAIL("expected a rejection for field " << field);
    } catch (const HttpError& e) {
        CHECK(e.code() == ErrorCode::InvalidArgument);
        CHECK(e.field() == field);
        if (!messagePart.empty()) CHECK_THAT(e.what(), Catch::Contains(messagePart));
    }
}
}  // namespace

TEST_CASE("createParticipant bodies", "[server][api][Validation]") {
    SECTION("empty body and {} give defaults: AUDIO+VIDEO, V3") {
        for (auto body : {"", "  ", "{}"}) {
            auto r = parseCreateParticipant(body);
            CHECK(r.publishPermissions.audio);
            CHECK(r.publishPermissions.video);
            CHECK(r.deviceApiVersion == "V3");
            CHECK_FALSE(r.tag);
            CHECK_FALSE(r.callbackUrl);
        }
    }
    SECTION("all fields") {
        auto r = parseCreateParticipant(
            R"({"callbackUrl":"https://a.example/cb","publishPermissions":["VIDEO"],"tag":"héllo","deviceApiVersion":"V3"})");
        CHECK(r.callbackUrl == std::optional<std::string>("https://a.example/cb"));
        CHECK_FALSE(r.publishPermissions.audio);
        CHECK(r.publishPermissions.video);
        CHECK(r.tag == std::optional<std::string>("héllo"));
    }
    SECTION("nulls are absent and an empty permission list means receive-only") {
        auto r =
            parseCreateParticipant(R"({"callbackUrl":null,"tag":null,"publishPermissions":[]})");
        CHECK_FALSE(r.publishPermissions.audio);
        CHECK_FALSE(r.publishPermissions.video);
    }
    SECTION("a tag of exactly 50 characters (multi-byte counted once) is fine") {
        std::string tag;
        for (int i = 0; i < 50; ++i) tag += "é";
        CHECK(parseCreateParticipant("{\"tag\":\"" + tag + "\"}").tag == tag);
    }
    SECTION("rejections") {
        expectInvalid([] { parseCreateParticipant("{"); }, "", "not valid JSON");
        expectInvalid([] { parseCreateParticipant("[1]"); }, "", "expected an object");
        expectInvalid([] { parseCreateParticipant(R"({"tag":5})"); }, "tag", "must be a string");
        expectInvalid([] { parseCreateParticipant("{\"tag\":\"" + std::string(51, 'x') + "\"}"); },
                      "tag", "at most 50");
        expectInvalid([] { parseCreateParticipant(R"({"publishPermissions":"AUDIO"})"); },
                      "publishPermissions", "must be an array");
        expectInvalid(
            [] { parseCreateParticipant(R"({"publishPermissions":["AUDIO","SCREEN"]})"); },
            "publishPermissions[1]", "SCREEN");
        expectInvalid([] { parseCreateParticipant(R"({"publishPermissions":[1]})"); },
                      "publishPermissions[0]");
        expectInvalid([] { parseCreateParticipant(R"({"publishPermissions":["AUDIO","AUDIO"]})"); },
                      "publishPermissions[1]", "duplicate");
        expectInvalid([] { parseCreateParticipant(R"({"callbackUrl":"ftp://x"})"); },
                      "callbackUrl");
        expectInvalid([] { parseCreateParticipant(R"({"callbackUrl":{}})"); }, "callbackUrl");
        expectInvalid([] { parseCreateParticipant(R"({"deviceApiVersion":"V2"})"); },
                      "deviceApiVersion", "V3");
        expectInvalid([] { parseCreateParticipant("{\"tag\":\"\xff\"}"); }, "", "JSON");
    }
}

TEST_CASE("createSession bodies", "[server][api][Validation]") {
    CHECK_FALSE(parseCreateSession("").tag);
    CHECK(parseCreateSession(R"({"tag":"x"})").tag == std::optional<std::string>("x"));
    expectInvalid([] { parseCreateSession(R"({"tag":["x"]})"); }, "tag");
    expectInvalid([] { parseCreateSession("{\"tag\":\"" + std::string(51, 'x') + "\"}"); }, "tag");
    expectInvalid([] { parseCreateSession("nope"); }, "");
}

TEST_CASE("Subscriptions bodies", "[server][api][Validation]") {
    CHECK_FALSE(parseSubscriptions("", "S"));
    auto all = parseSubscriptions(R"({"sessionId":"S"})", "S");
    REQUIRE(all);
    CHECK(all->sessionId == std::optional<std::string>("S"));
    auto some = parseSubscriptions(
        R"({"participants":[{"participantId":"a","streamAliases":["mic","cam"]},{"participantId":"b"}]})",
        "S");
    REQUIRE(some);
    REQUIRE(some->participants.size() == 2);
    CHECK(some->participants[0].streamAliases == std::vector<std::string>{"mic", "cam"});
    CHECK(some->participants[1].streamAliases.empty());

    expectInvalid([] { parseSubscriptions(R"({"sessionId":"OTHER"})", "S"); }, "sessionId",
                  "session of the URL");
    expectInvalid([] { parseSubscriptions(R"({"participants":{}})", "S"); }, "participants");
    expectInvalid([] { parseSubscriptions(R"({"participants":[5]})", "S"); }, "participants[0]");
    expectInvalid([] { parseSubscriptions(R"({"participants":[{}]})", "S"); },
                  "participants[0].participantId", "required");
    expectInvalid([] { parseSubscriptions(R"({"participants":[{"participantId":7}]})", "S"); },
                  "participants[0].participantId");
    expectInvalid(
        [] {
            parseSubscriptions(R"({"participants":[{"participantId":"a"},{"participantId":"a"}]})",
                               "S");
        },
        "participants[1].participantId", "duplicate");
    expectInvalid(
        [] {
            parseSubscriptions(R"({"participants":[{"participantId":"a","streamAliases":"mic"}]})",
                               "S");
        },
        "participants[0].streamAliases");
    expectInvalid(
        [] {
            parseSubscriptions(
                R"({"participants":[{"participantId":"a","streamAliases":["m","m"]}]})", "S");
        },
        "participants[0].streamAliases[1]", "duplicate");
    std::string many = R"({"participants":[)";
    for (int i = 0; i < 101; ++i)
        many += (i ? "," : "") + std::string(R"({"participantId":"p)") + std::to_string(i) + "\"}";
    many += "]}";
    expectInvalid([&] { parseSubscriptions(many, "S"); }, "participants", "at most 100");
}
