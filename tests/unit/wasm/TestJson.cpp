// The wasm's own JSON codec against RFC 8259.
#include <catch2/catch.hpp>

#include "wasm/core/Json.hpp"

using namespace sb::sdk;

SCENARIO("Json parses and dumps what the signaling protocol exchanges", "[wasm][core][Json]") {
    SECTION("a JSON-RPC response round-trips with member order kept") {
        std::string text =
            R"({"jsonrpc":"2.0","id":7,"result":{"sdpAnswer":"v=0\r\n","list":[1,true,null,"x"]}})";
        auto j = Json::parse(text);
        REQUIRE(j);
        CHECK((*j)["id"].asNumber() == 7);
        CHECK((*j)["result"]["sdpAnswer"].asString() == "v=0\r\n");
        CHECK((*j)["result"]["list"].size() == 4);
        CHECK(j->dump() == text);
    }
    SECTION("missing members and wrong types read as empty values") {
        auto j = Json::parse(R"({"a":1})");
        CHECK((*j)["b"].isNull());
        CHECK((*j)["a"].asString().empty());
        CHECK((*j)["a"]["deeper"].isNull());
        CHECK((*j)["b"].asNumber(-1) == -1);
    }
    SECTION("escapes, \\u sequences and surrogate pairs decode to UTF-8") {
        auto j = Json::parse(R"(["a\"b\\c\/d\n\t", "\u00e9\u20ac", "\ud83d\ude00"])");
        REQUIRE(j);
        CHECK(j->values()[0].asString() == "a\"b\\c/d\n\t");
        CHECK(j->values()[1].asString() == "\xC3\xA9\xE2\x82\xAC");
        CHECK(j->values()[2].asString() == "\xF0\x9F\x98\x80");
    }
    SECTION("control characters are escaped on output") {
        CHECK(Json(std::string("a\x01\"\n")).dump() == R"("a\u0001\"\n")");
    }
    SECTION("numbers: integers exact, fractions and exponents approximate") {
        auto j = Json::parse("[0, -12, 1.5, 2e3, -4.25E-1, 4294967296]");
        REQUIRE(j);
        CHECK(j->values()[1].asNumber() == -12);
        CHECK(j->values()[2].asNumber() == 1.5);
        CHECK(j->values()[3].asNumber() == 2000);
        CHECK(j->values()[4].asNumber() == Approx(-0.425));
        CHECK(j->dump() == "[0,-12,1.5,2000,-0.425,4294967296]");
    }
    SECTION("invalid documents are refused") {
        for (const char* bad :
             {"", "{", "{\"a\"}", "[1,]", "tru", "\"abc", "{\"a\":1} x", "01x", "\"\x01\"", "-"}) {
            INFO(bad);
            CHECK_FALSE(Json::parse(bad));
        }
    }
    SECTION("deep nesting is bounded") {
        CHECK_FALSE(Json::parse(std::string(100, '[') + std::string(100, ']')));
        CHECK(Json::parse(std::string(20, '[') + std::string(20, ']')));
    }
    SECTION("set replaces an existing member") {
        Json o = Json::object();
        o.set("a", 1);
        o.set("a", "two");
        CHECK(o.dump() == R"({"a":"two"})");
    }
}
