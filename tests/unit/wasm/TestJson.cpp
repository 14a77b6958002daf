// The SDK core's JSON value type (wasm/core/Json.cpp); its text conversion: TestJsonText.cpp.
#include <catch2/catch.hpp>

#include "wasm/core/Json.hpp"

using namespace sb::sdk;

SCENARIO("Json reads the way the core reads messages", "[wasm][core][Json]") {
    SECTION("missing members and wrong types read as empty values") {
        auto j = Json::parse(R"({"a":1})");
        REQUIRE(j);
        CHECK((*j)["b"].isNull());
        CHECK((*j)["a"].asString().empty());
        CHECK((*j)["a"]["deeper"].isNull());
        CHECK((*j)["b"].asNumber(-1) == -1);
        CHECK_FALSE((*j)["a"].asBool());
        CHECK(j->has("a"));
        CHECK_FALSE(j->has("b"));
    }
    SECTION("set replaces an existing member in its place and keeps insertion order") {
        Json o = Json::object();
        o.set("b", 1);
        o.set("a", 2);
        o.set("b", "two");
        CHECK(o.keys() == std::vector<std::string>{"b", "a"});
        CHECK(o.dump() == R"({"b":"two","a":2})");
    }
    SECTION("set and push turn a value into an object or an array") {
        Json v = 3;
        v.push(true);
        CHECK(v.isArray());
        CHECK(v.size() == 1);
        v.set("k", nullptr);
        CHECK(v.isObject());
        CHECK(v.dump() == R"({"k":null})");
    }
}
