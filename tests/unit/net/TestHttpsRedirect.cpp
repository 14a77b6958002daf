// httpsLocation: the Location of the HTTP to HTTPS redirect, built from the client's Host header
// (hostile input: only DNS names, IPv4 and bracketed IPv6 literals pass, bounded) and target.
#include <catch2/catch.hpp>
#include <string>

#include "server/net/HttpsRedirect.hpp"

using sb::net::httpsLocation;

TEST_CASE("the Location keeps the host and target and takes the HTTPS port", "[net][redirect]") {
    CHECK(httpsLocation("sb.example.com", 443, "/") == "https://sb.example.com/");
    CHECK(httpsLocation("sb.example.com:80", 443, "/v1/x?a=1") ==
          "https://sb.example.com/v1/x?a=1");
    CHECK(httpsLocation("sb.example.com:8080", 8443, "/demo/") ==
          "https://sb.example.com:8443/demo/");
    CHECK(httpsLocation("203.0.113.10", 443, "/a") == "https://203.0.113.10/a");
    CHECK(httpsLocation("[2001:db8::1]:80", 443, "/a") == "https://[2001:db8::1]/a");
    CHECK(httpsLocation("[::ffff:192.0.2.1]", 8443, "/") == "https://[::ffff:192.0.2.1]:8443/");
    CHECK(httpsLocation("LocalHost", 443, "/%20x") == "https://LocalHost/%20x");
    CHECK(httpsLocation("sb.example.com.", 443, "/") == "https://sb.example.com./");
}

TEST_CASE("hostile or malformed Host headers give no Location", "[net][redirect]") {
    for (const char* host : {"",
                             ":80",
                             "evil.example/x",
                             "evil.example\\x",
                             "user@evil.example",
                             "a b",
                             "a..b",
                             ".a",
                             "a.b:",
                             "a.b:x",
                             "a.b:1234567",
                             "[::1",
                             "[::1]x",
                             "[]",
                             "[zz::1]",
                             "[1.2.3.4]",
                             "evil.example\r\nSet-Cookie: x",
                             "ex%41mple.com",
                             "exa_mple.com",
                             "\xc3\xa9.example"})
        CHECK_FALSE(httpsLocation(host, 443, "/").has_value());
    // Bounded: a DNS name is at most 255 bytes, a label at most 63 (RFC 1035 §2.3.4).
    std::string label63(63, 'a'), label64(64, 'a');
    CHECK(httpsLocation(label63 + ".example", 443, "/").has_value());
    CHECK_FALSE(httpsLocation(label64 + ".example", 443, "/").has_value());
    std::string longName;
    while (longName.size() < 300) longName += "abcdefgh.";
    longName += "example";
    CHECK_FALSE(httpsLocation(longName, 443, "/").has_value());
    CHECK_FALSE(httpsLocation(std::string(100000, 'a'), 443, "/").has_value());
}

TEST_CASE("only origin-form targets are redirected", "[net][redirect]") {
    CHECK_FALSE(httpsLocation("sb.example.com", 443, "").has_value());
    CHECK_FALSE(httpsLocation("sb.example.com", 443, "*").has_value());
    CHECK_FALSE(httpsLocation("sb.example.com", 443, "http://other.example/").has_value());
    CHECK_FALSE(httpsLocation("sb.example.com", 443, "/a b").has_value());
    CHECK_FALSE(httpsLocation("sb.example.com", 443, "/a\r\nX: y").has_value());
}
