// JSON from clients under a nesting limit (protocol/BoundedJson.hpp): shallow documents parse as
// usual, deep ones are flagged and never built deep, text that is not JSON is discarded.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>

#include "protocol/BoundedJson.hpp"
#include "protocol/SafeJson.hpp"

using nlohmann::json;
using sb::protocol::kMaxJsonDepth;
using sb::protocol::parseBoundedJson;

namespace {
std::string arrays(std::size_t levels) {
    return std::string(levels, '[') + std::string(levels, ']');
}
std::size_t levelsOf(const json& j) {
    std::size_t levels = 0;
    for (const json* p = &j; p->is_array() || p->is_object(); ++levels) {
        if (p->empty()) return levels + 1;
        p = p->is_array() ? &(*p)[0] : &p->begin().value();
    }
    return levels;
}
}  // namespace

TEST_CASE("Shallow JSON parses to the same value as an unbounded parse",
          "[protocol][BoundedJson]") {
    for (const char* text : {R"({"a":[1,{"b":"c"}],"d":null})", "[]", "3", R"("s")", "true"}) {
        auto r = parseBoundedJson(text);
        CHECK_FALSE(r.tooDeep);
        CHECK(r.value == json::parse(text));
    }
}

TEST_CASE("Text that is not JSON is discarded, not thrown", "[protocol][BoundedJson]") {
    for (const char* text : {"", "{", "[1,]", "nul", "\xff"}) {
        auto r = parseBoundedJson(text);
        CHECK(r.value.is_discarded());
    }
}

TEST_CASE("The limit counts levels of arrays and objects", "[protocol][BoundedJson]") {
    CHECK(levelsOf(json::parse(arrays(3))) == 3);  // the helper itself

    auto atLimit = parseBoundedJson(arrays(kMaxJsonDepth));
    CHECK_FALSE(atLimit.tooDeep);
    CHECK(levelsOf(atLimit.value) == kMaxJsonDepth);

    auto over = parseBoundedJson(arrays(kMaxJsonDepth + 1));
    CHECK(over.tooDeep);
    CHECK(levelsOf(over.value) <= kMaxJsonDepth);

    // Objects count like arrays, and a smaller limit can be asked for.
    CHECK(parseBoundedJson(R"({"a":{"b":{}}})", 2).tooDeep);
    CHECK_FALSE(parseBoundedJson(R"({"a":{"b":{}}})", 3).tooDeep);
    CHECK_FALSE(parseBoundedJson(R"({"a":{"b":1}})", 2).tooDeep);
}

TEST_CASE("A deep part is left out; the shallow fields stay readable", "[protocol][BoundedJson]") {
    std::string text = R"({"id":42,"deep":)" + arrays(200000) + R"(,"after":"x"})";
    auto r = parseBoundedJson(text);
    CHECK(r.tooDeep);
    REQUIRE(r.value.is_object());
    CHECK(r.value["id"] == 42);
    CHECK(r.value["after"] == "x");
    // What is left is shallow enough to copy and print (both recurse per level).
    json copy = r.value;
    CHECK_NOTHROW(sb::protocol::dumpJson(copy));
    CHECK(levelsOf(r.value) <= kMaxJsonDepth);
}
