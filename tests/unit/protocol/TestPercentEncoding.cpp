// Percent-encoding shared by the server and the SDK (protocol/PercentEncoding.hpp).
#include <catch2/catch.hpp>

#include "protocol/PercentEncoding.hpp"
#include "server/base/Utf8.hpp"

using sb::protocol::encodePercent;

TEST_CASE("encodePercent keeps RFC 3986 unreserved characters only", "[protocol]") {
    CHECK(encodePercent("aZ09-._~") == "aZ09-._~");
    CHECK(encodePercent("a b+c/é") == "a%20b%2Bc%2F%C3%A9");
    CHECK(encodePercent("eyJh.eyJi.c2ln") == "eyJh.eyJi.c2ln");  // a JWT is unchanged
    CHECK(sb::base::decodePercent(encodePercent("x=1&y=%\xff")) == "x=1&y=%\xff");
}
