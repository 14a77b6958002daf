// The body and field readers every REST parser shares: each refusal names the field.
#include <catch2/catch.hpp>

#include "server/net/HttpError.hpp"
#include "server/net/JsonBody.hpp"

using namespace sb::net;
using nlohmann::json;

namespace {
// The field and text of the HttpError `fn` throws (its what(): "field: message").
template <typename Fn>
std::pair<std::string, std::string> refusal(Fn fn) {
    try {
        fn();
    } catch (const HttpError& e) {
        return {e.field(), e.what()};
    }
    FAIL("accepted");
    return {};
}
}  // namespace

TEST_CASE("isBlank and parseObject", "[server][net][JsonBody]") {
    CHECK(isBlank(""));
    CHECK(isBlank(" \t\r\n"));
    CHECK_FALSE(isBlank(" {}"));
    CHECK(parseObject(R"({"a":1})")["a"] == 1);
    CHECK_THAT(refusal([] { parseObject("{\"a\":"); }).second,
               Catch::Contains("syntax error at byte"));
    CHECK_THAT(refusal([] { parseObject("[1]"); }).second,
               Catch::Contains("expected an object, got array"));
}

TEST_CASE("parseObject refuses bodies nested too deep to copy safely", "[server][net][JsonBody]") {
    // 64 levels pass; a body of brackets (32K levels in 64 KiB) is a 400, not a stack overflow
    // in a handler that copies or prints it.
    std::string ok = R"({"a":)" + std::string(63, '[') + std::string(63, ']') + "}";
    CHECK(parseObject(ok).contains("a"));
    std::string deep = R"({"a":)" + std::string(64, '[') + std::string(64, ']') + "}";
    CHECK_THAT(refusal([&] { parseObject(deep); }).second, Catch::Contains("nest deeper than 64"));
    std::string huge = R"({"a":)" + std::string(200000, '[') + std::string(200000, ']') + "}";
    CHECK_THAT(refusal([&] { parseObject(huge); }).second, Catch::Contains("nest deeper"));
}

TEST_CASE("string fields: optional, required, bounded text", "[server][net][JsonBody]") {
    json j = json::parse(R"({"s":"x","n":5,"z":null,"e":"","ctl":"a\nb","long":"ééé"})");
    CHECK(optionalString(j, "s") == std::optional<std::string>("x"));
    CHECK_FALSE(optionalString(j, "z"));
    CHECK_FALSE(optionalString(j, "missing"));
    CHECK(refusal([&] { optionalString(j, "n"); }) ==
          std::make_pair(std::string("n"), std::string("n: must be a string, got number")));
    CHECK(requiredString(j, "s") == "x");
    CHECK(refusal([&] { requiredString(j, "e"); }).second == "e: is required");
    CHECK(present(j, "s"));
    CHECK_FALSE(present(j, "z"));
    CHECK(boundedText(j, "long", 3) == std::optional<std::string>("ééé"));  // characters, not bytes
    CHECK_THAT(refusal([&] { boundedText(j, "long", 2); }).second,
               Catch::Contains("at most 2 characters"));
    CHECK_THAT(refusal([&] { boundedText(j, "ctl", 10); }).second,
               Catch::Contains("control characters"));
}

TEST_CASE("callback URL and method fields", "[server][net][JsonBody]") {
    json j = json::parse(
        R"({"u":"https://a.example/cb","bare":"http://","sp":"http://a b","ftp":"ftp://x/y",
                             "m":"get","bad":"PUT"})");
    CHECK(httpUrl(j, "u", 2048) == std::optional<std::string>("https://a.example/cb"));
    CHECK_FALSE(httpUrl(j, "missing", 2048));
    for (const char* f : {"bare", "sp", "ftp"})
        CHECK(refusal([&] { httpUrl(j, f, 2048); }).second ==
              std::string(f) + ": must be an http:// or https:// URL");
    CHECK_THAT(refusal([&] { httpUrl(j, "u", 10); }).second,
               Catch::Contains("at most 10 characters"));
    CHECK(httpMethod(j, "m") == "GET");
    CHECK(httpMethod(j, "missing") == "POST");
    CHECK(refusal([&] { httpMethod(j, "bad"); }) ==
          std::make_pair(std::string("bad"),
                         std::string("bad: must be \"GET\" or \"POST\", got \"PUT\"")));
}

TEST_CASE("refuseUnknownFields names the first unknown field", "[server][net][JsonBody]") {
    json j = json::parse(R"({"known":1,"callbackTimout":2})");
    CHECK_NOTHROW(refuseUnknownFields(j, {"known", "callbackTimout"}, "op"));
    CHECK(refusal([&] { refuseUnknownFields(j, {"known"}, "op"); }) ==
          std::make_pair(std::string("callbackTimout"),
                         std::string("callbackTimout: is not a field of op")));
    json longKey = json::object({{std::string(100, 'k'), 1}});
    CHECK(refusal([&] { refuseUnknownFields(longKey, {}, "op"); }).first == std::string(64, 'k'));
}
