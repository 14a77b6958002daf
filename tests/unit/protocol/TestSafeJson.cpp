// JSON leaving the process (protocol/SafeJson.hpp): compact, UTF-8 kept, invalid bytes replaced
// instead of throwing in the middle of a reply.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "protocol/SafeJson.hpp"

using nlohmann::json;
using sb::protocol::dumpJson;

TEST_CASE("dumpJson writes compact JSON that parses back to the same value",
          "[protocol][SafeJson]") {
    json value{{"b", {1, 2.5, nullptr, true}}, {"a", "text"}, {"nested", {{"k", json::object()}}}};
    std::string text = dumpJson(value);
    CHECK(text.find(' ') == std::string::npos);  // "text" has none, so any space is formatting
    CHECK(text.find('\n') == std::string::npos);
    CHECK(json::parse(text) == value);
}

TEST_CASE("dumpJson keeps valid UTF-8 as it is, unescaped", "[protocol][SafeJson]") {
    CHECK(dumpJson(json("café ☎ 😀")) == "\"café ☎ 😀\"");
    CHECK(dumpJson(json("quote \" and \\ and \n")) == R"("quote \" and \\ and \n")");
}

TEST_CASE("dumpJson replaces invalid UTF-8 with U+FFFD instead of throwing",
          "[protocol][SafeJson]") {
    json value{{"error", "bad \xff\xfe bytes"}, {"ok", "fine"}};
    CHECK_THROWS(value.dump());  // what the server must never do mid-reply
    std::string text;
    REQUIRE_NOTHROW(text = dumpJson(value));
    auto back = json::parse(text);
    CHECK(back["ok"] == "fine");
    std::string error = back["error"];
    CHECK(error.find('\xff') == std::string::npos);
    CHECK(error.rfind("bad ", 0) == 0);
    CHECK(error.find("\xEF\xBF\xBD") != std::string::npos);
    // A truncated multi-byte sequence at the end, and an overlong encoding of '/'.
    CHECK(json::parse(dumpJson(json("end \xe2\x82"))).get<std::string>().find("\xEF\xBF\xBD") !=
          std::string::npos);
    CHECK(json::parse(dumpJson(json("\xc0\xaf"))).get<std::string>().find('/') ==
          std::string::npos);
}

TEST_CASE("dumpJson never throws on invalid UTF-8", "[protocol][SafeJson]") {
    // Moved here from tests/unit/api/TestUtf8.cpp: an error reply quoting a bad path.
    json j{{"error", std::string("No such resource: /\xFF")}};
    CHECK_THROWS(j.dump());
    std::string out;
    CHECK_NOTHROW(out = dumpJson(j));
    CHECK(out == "{\"error\":\"No such resource: /\xEF\xBF\xBD\"}");  // U+FFFD
}

TEST_CASE("dumpJson replaces invalid bytes in object keys too", "[protocol][SafeJson]") {
    json value;
    value["k\xff"] = 1;
    auto back = json::parse(dumpJson(value));
    REQUIRE(back.size() == 1);
    CHECK(back.begin().key() == "k\xEF\xBF\xBD");
}
