// parseByteRange: RFC 9110 §14.1.2 single byte ranges; what is not understood is ignored
// (the whole representation), ranges past the end are unsatisfiable (416).
#include <catch2/catch.hpp>

#include "server/net/ByteRange.hpp"

using sb::net::ByteRange;
using sb::net::parseByteRange;

namespace {
std::pair<std::uint64_t, std::uint64_t> partial(std::string_view header, std::uint64_t size) {
    auto r = parseByteRange(header, size);
    REQUIRE(r.kind == ByteRange::Kind::Partial);
    return {r.first, r.last};
}
}  // namespace

TEST_CASE("single byte ranges", "[api][ByteRange]") {
    using P = std::pair<std::uint64_t, std::uint64_t>;
    CHECK(partial("bytes=0-499", 1000) == P{0, 499});
    CHECK(partial("bytes=500-", 1000) == P{500, 999});
    CHECK(partial("bytes=-200", 1000) == P{800, 999});
    CHECK(partial("bytes=-5000", 1000) == P{0, 999});  // a suffix longer than the file: all of it
    CHECK(partial("bytes=900-5000", 1000) == P{900, 999});  // last past the end: the end
    CHECK(partial("bytes=999-999", 1000) == P{999, 999});
    CHECK(partial("BYTES=10-19", 1000) == P{10, 19});  // the unit is case-insensitive
    CHECK(parseByteRange("bytes=10-19", 1000).length() == 10);
}

TEST_CASE("unsatisfiable ranges", "[api][ByteRange]") {
    CHECK(parseByteRange("bytes=1000-", 1000).kind == ByteRange::Kind::Unsatisfiable);
    CHECK(parseByteRange("bytes=1000-1001", 1000).kind == ByteRange::Kind::Unsatisfiable);
    CHECK(parseByteRange("bytes=-0", 1000).kind == ByteRange::Kind::Unsatisfiable);
    CHECK(parseByteRange("bytes=0-", 0).kind == ByteRange::Kind::Unsatisfiable);  // an empty file
}

TEST_CASE("what is not understood is ignored: the whole file", "[api][ByteRange]") {
    for (auto header :
         {"", "bytes=", "bytes=-", "bytes=abc", "bytes=1-a", "bytes=0-1,5-6", "items=0-4",
          "bytes=50-10", "bytes=99999999999999999999-", "bytes 0-4", "bytes=--4"})
        CHECK(parseByteRange(header, 1000).kind == ByteRange::Kind::Whole);
}
