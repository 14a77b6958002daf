// Json <-> text natively (wasm/native/JsonText.cpp, nlohmann/json): the conversion the unit tests
// of the core run against. The wasm's conversion (JSON.parse/stringify) has the same cases in
// tests/js/wasm-json.test.mjs.
#include <catch2/catch.hpp>
#include <limits>
#include <string>
#include <vector>

#include "wasm/core/Json.hpp"

using namespace sb::sdk;

SCENARIO("Json text conversion round-trips what the signaling protocol exchanges",
         "[wasm][core][JsonText]") {
    SECTION("a JSON-RPC response round-trips byte for byte, member order kept") {
        std::string text =
            R"({"jsonrpc":"2.0","id":7,"result":{"sdpAnswer":"v=0\r\n","z":{},"a":[1,true,null,"x",[]]}})";
        auto j = Json::parse(text);
        REQUIRE(j);
        CHECK((*j)["id"].asNumber() == 7);
        CHECK((*j)["result"]["sdpAnswer"].asString() == "v=0\r\n");
        CHECK((*j)["result"].keys() == std::vector<std::string>{"sdpAnswer", "z", "a"});
        CHECK((*j)["result"]["a"].size() == 5);
        CHECK(j->dump() == text);
    }
    SECTION("escapes, \\u sequences and surrogate pairs decode to UTF-8") {
        auto j = Json::parse(R"(["a\"b\\c\/d\n\t\b\f", "\u00e9\u20AC", "\ud83d\ude00", "é€😀"])");
        REQUIRE(j);
        CHECK(j->values()[0].asString() == "a\"b\\c/d\n\t\b\f");
        CHECK(j->values()[1].asString() == "\xC3\xA9\xE2\x82\xAC");
        CHECK(j->values()[2].asString() == "\xF0\x9F\x98\x80");
        CHECK(j->values()[3].asString() == "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
    }
    SECTION("dump escapes quotes, backslashes and control characters, and nothing else") {
        CHECK(Json(std::string("a\x01\"\\\n\t/\x7f\xC3\xA9")).dump() ==
              "\"a\\u0001\\\"\\\\\\n\\t/\x7f\xC3\xA9\"");
        std::string nul("x\0y", 3);
        CHECK(Json(nul).dump() == R"("x\u0000y")");
        CHECK(Json::parse(Json(nul).dump())->asString() == nul);
    }
    SECTION("bytes that are not UTF-8 are dumped as U+FFFD, never refused") {
        CHECK(Json(std::string("a\xFF")).dump() == "\"a\xEF\xBF\xBD\"");
    }
    SECTION("numbers: whole ones written as integers, others as the shortest round trip") {
        auto j = Json::parse("[0, -12, 1.5, 2e3, -4.25E-1, 4294967296, 9007199254740993, -0]");
        REQUIRE(j);
        CHECK(j->values()[1].asNumber() == -12);
        CHECK(j->values()[2].asNumber() == 1.5);
        CHECK(j->values()[3].asNumber() == 2000);
        CHECK(j->values()[4].asNumber() == -0.425);
        CHECK(j->values()[6].asNumber() == 9007199254740992.0);  // nearest double
        CHECK(j->dump() == "[0,-12,1.5,2000,-0.425,4294967296,9007199254740992,0]");
        CHECK(Json(0.1).dump() == "0.1");
        CHECK(Json::parse(Json(1e300).dump())->asNumber() == 1e300);
        CHECK(Json::parse("12345678901234567890123")->asNumber() == 12345678901234567890123.0);
    }
    SECTION("numbers JSON cannot hold are written as null") {
        CHECK(Json(std::numeric_limits<double>::infinity()).dump() == "null");
        CHECK(Json(std::numeric_limits<double>::quiet_NaN()).dump() == "null");
    }
    SECTION("a repeated member name: the last value wins, in the first one's place") {
        auto j = Json::parse(R"({"a":1,"b":2,"a":3})");
        REQUIRE(j);
        CHECK(j->keys() == std::vector<std::string>{"a", "b"});
        CHECK((*j)["a"].asNumber() == 3);
    }
    SECTION("a leading UTF-8 byte order mark is skipped (RFC 8259 §8.1 allows it)") {
        CHECK(Json::parse("\xEF\xBB\xBF[1]")->dump() == "[1]");
    }
    SECTION("scalars are documents too, with surrounding whitespace") {
        CHECK(Json::parse(" \t\r\n\"s\"\n")->asString() == "s");
        CHECK(Json::parse("true")->asBool());
        CHECK(Json::parse("null")->isNull());
    }
}

SCENARIO("Json text conversion refuses what is not one bounded JSON document",
         "[wasm][core][JsonText]") {
    SECTION("syntax errors give nullopt, never an exception") {
        for (std::string bad :
             {"",      " ",     "{",        "{\"a\"}",     "{\"a\":}",  "[1,]",     "{\"a\":1,}",
              "tru",   "nul",   "\"abc",    "{\"a\":1} x", "01",        "1.",       ".5",
              "+1",    "-",     "1e",       "0x10",        "NaN",       "Infinity", "'a'",
              "[1 2]", "{a:1}", "\"\x01\"", "\"\\x41\"",   "\"\\u12\"", "// c\n1"}) {
            INFO(bad);
            CHECK_FALSE(Json::parse(bad));
        }
        CHECK_FALSE(Json::parse(std::string("[1]\0", 4)));  // a NUL after the document
    }
    SECTION("numbers beyond a double's range are refused") {
        CHECK_FALSE(Json::parse("1e400"));
        CHECK_FALSE(Json::parse("[-1e309]"));
        CHECK(Json::parse("1e-400")->asNumber() == 0);  // underflow rounds to zero
    }
    SECTION("strings: raw control characters, lone surrogates and bad UTF-8 are refused") {
        CHECK_FALSE(Json::parse("\"a\nb\""));
        CHECK_FALSE(Json::parse(R"("\ud800")"));
        CHECK_FALSE(Json::parse(R"("\ud800x")"));
        CHECK_FALSE(Json::parse(R"("\udc00")"));
        CHECK_FALSE(Json::parse("\"\xC3\""));
    }
    SECTION("nesting: kMaxDepth levels of arrays and objects, not one more") {
        auto nest = [](std::size_t levels) {
            std::string s;
            for (std::size_t i = 0; i < levels; ++i) s += i % 2 ? "[" : "{\"k\":";
            s += "0";
            for (std::size_t i = levels; i-- > 0;) s += i % 2 ? "]" : "}";
            return s;
        };
        CHECK(Json::parse(nest(Json::kMaxDepth)));
        CHECK_FALSE(Json::parse(nest(Json::kMaxDepth + 1)));
        // A megabyte of '[' is refused at level 65, not recursed into.
        CHECK_FALSE(Json::parse(std::string(Json::kMaxTextBytes, '[')));
    }
    SECTION("size: kMaxTextBytes of text, not one byte more") {
        std::string doc = "\"" + std::string(Json::kMaxTextBytes - 2, 'a') + "\"";
        CHECK(Json::parse(doc));
        CHECK_FALSE(Json::parse(doc + " "));
    }
}
