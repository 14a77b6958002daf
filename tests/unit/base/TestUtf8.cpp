#include <catch2/catch.hpp>

#include "server/base/Utf8.hpp"

using namespace sb;

TEST_CASE("isValidUtf8 accepts UTF-8 and refuses what RFC 3629 excludes", "[server][base][utf8]") {
    CHECK(base::isValidUtf8(""));
    CHECK(base::isValidUtf8("plain ascii"));
    CHECK(base::isValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));  // é € 😀
    CHECK(base::isValidUtf8("\xF4\x8F\xBF\xBF"));                           // U+10FFFF
    CHECK(base::isValidUtf8(std::string("a\0b", 3)));
    CHECK_FALSE(base::isValidUtf8("\xFF"));
    CHECK_FALSE(base::isValidUtf8("\xC3\x28"));          // bad continuation
    CHECK_FALSE(base::isValidUtf8("\xC3"));              // truncated
    CHECK_FALSE(base::isValidUtf8("\xE2\x82"));          // truncated
    CHECK_FALSE(base::isValidUtf8("\xC0\xAF"));          // overlong '/'
    CHECK_FALSE(base::isValidUtf8("\xE0\x80\xAF"));      // overlong
    CHECK_FALSE(base::isValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
    CHECK_FALSE(base::isValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
    CHECK_FALSE(base::isValidUtf8("\x80"));              // lone continuation
}

TEST_CASE("utf8Length counts code points and rejects invalid UTF-8", "[server][base][utf8]") {
    CHECK(base::utf8Length("abc") == std::optional<std::size_t>(3));
    CHECK(base::utf8Length("é€😀") == std::optional<std::size_t>(3));
    CHECK_FALSE(base::utf8Length("\xc3"));
    CHECK_FALSE(base::utf8Length("\xff"));
}

TEST_CASE("truncateUtf8 never cuts inside a character", "[server][base][utf8]") {
    std::string name = std::string(49, 'a') + "\xC3\xA9" + "b";
    CHECK(base::truncateUtf8(name, 50) == std::string(49, 'a'));
    CHECK(base::truncateUtf8(name, 51) == std::string(49, 'a') + "\xC3\xA9");
    CHECK(base::truncateUtf8("\xF0\x9F\x98\x80x", 3).empty());
    CHECK(base::truncateUtf8("short", 50) == "short");
    for (std::size_t n = 0; n <= name.size(); ++n)
        CHECK(base::isValidUtf8(base::truncateUtf8(name, n)));
}

TEST_CASE("decodePercent decodes escapes and keeps malformed ones", "[server][base][utf8]") {
    CHECK(base::decodePercent("/a%20b%2F") == "/a b/");
    CHECK(base::decodePercent("%FF") == "\xFF");
    CHECK(base::decodePercent("%G1%4") == "%G1%4");
    CHECK(base::decodePercent("%") == "%");
}

TEST_CASE("decodeQueryComponent: '+' is a space, %2B a plus, malformed escapes kept",
          "[api][utf8]") {
    CHECK(sb::base::decodeQueryComponent("team+room%2B1") == "team room+1");
    CHECK(sb::base::decodeQueryComponent("a%zz%4") == "a%zz%4");
    CHECK(sb::base::decodeQueryComponent("%41%42") == "AB");
}

TEST_CASE("queryPairs decodes names and values in order", "[api][utf8]") {
    using Pairs = std::vector<std::pair<std::string, std::string>>;
    CHECK(sb::base::queryPairs("to=+1555&&name=a%20b&flag", sb::base::PlusInQuery::Plus) ==
          Pairs{{"to", "+1555"}, {"name", "a b"}, {"flag", ""}});
    CHECK(sb::base::queryPairs("name=team+room%2B1&", sb::base::PlusInQuery::Space) ==
          Pairs{{"name", "team room+1"}});
    CHECK(sb::base::queryPairs("", sb::base::PlusInQuery::Space).empty());
}
