// Which addresses the voice API's outbound requests may reach (SSRF protection).
#include <catch2/catch.hpp>

#include "server/voice/OutboundPolicy.hpp"

using namespace sb::voice;
namespace ip = boost::asio::ip;

namespace {
std::string rangeOf(const std::string& a) {
    return nonPublicRange(ip::make_address(a)).value_or("public");
}
}  // namespace

TEST_CASE("nonPublicRange names every range that is not the public Internet", "[voice][outbound]") {
    CHECK(rangeOf("127.0.0.1") == "loopback");
    CHECK(rangeOf("127.255.0.9") == "loopback");
    CHECK(rangeOf("10.20.30.40") == "private");
    CHECK(rangeOf("172.16.0.1") == "private");
    CHECK(rangeOf("172.31.255.255") == "private");
    CHECK(rangeOf("172.32.0.1") == "public");
    CHECK(rangeOf("192.168.1.1") == "private");
    CHECK(rangeOf("169.254.169.254") == "cloud metadata");
    CHECK(rangeOf("169.254.1.1") == "link-local");
    CHECK(rangeOf("100.64.0.1") == "shared (CGNAT)");
    CHECK(rangeOf("100.127.255.255") == "shared (CGNAT)");
    CHECK(rangeOf("100.128.0.1") == "public");
    CHECK(rangeOf("0.0.0.0") == "unspecified");
    CHECK(rangeOf("224.0.0.251") == "multicast");
    CHECK(rangeOf("255.255.255.255") == "reserved");
    CHECK(rangeOf("8.8.8.8") == "public");
    CHECK(rangeOf("::1") == "loopback");
    CHECK(rangeOf("::") == "unspecified");
    CHECK(rangeOf("fd12:3456::1") == "private");
    CHECK(rangeOf("fc00::1") == "private");
    CHECK(rangeOf("fd00:ec2::254") == "cloud metadata");
    CHECK(rangeOf("fe80::1") == "link-local");
    CHECK(rangeOf("ff02::1") == "multicast");
    CHECK(rangeOf("2001:4860:4860::8888") == "public");
    // IPv6 forms that carry an IPv4 address are judged by it.
    CHECK(rangeOf("::ffff:127.0.0.1") == "loopback");
    CHECK(rangeOf("::ffff:169.254.169.254") == "cloud metadata");
    CHECK(rangeOf("::ffff:10.0.0.1") == "private");
    CHECK(rangeOf("::ffff:8.8.8.8") == "public");
    CHECK(rangeOf("::127.0.0.1") == "loopback");
    CHECK(rangeOf("64:ff9b::a00:1") == "private");  // NAT64 of 10.0.0.1
}

TEST_CASE("parseNetwork reads addresses and CIDR blocks, and refuses the rest",
          "[voice][outbound]") {
    CHECK(parseNetwork("10.0.0.0/8").contains(ip::make_address("10.9.8.7")));
    CHECK_FALSE(parseNetwork("10.0.0.0/8").contains(ip::make_address("11.0.0.1")));
    CHECK(parseNetwork("127.0.0.1").contains(ip::make_address("127.0.0.1")));
    CHECK_FALSE(parseNetwork("127.0.0.1").contains(ip::make_address("127.0.0.2")));
    CHECK(parseNetwork("::1").contains(ip::make_address("::1")));
    CHECK(parseNetwork("[fd00::]/8").contains(ip::make_address("fd12::1")));
    CHECK_FALSE(parseNetwork("10.0.0.0/8").contains(ip::make_address("::ffff:10.0.0.1")));
    CHECK(parseNetwork("0.0.0.0/0").contains(ip::make_address("1.2.3.4")));
    CHECK_THROWS_WITH(parseNetwork("localhost"), Catch::Contains("not an IP address"));
    CHECK_THROWS_WITH(parseNetwork("10.0.0.0/33"), Catch::Contains("prefix length"));
    CHECK_THROWS_WITH(parseNetwork("10.0.0.0/"), Catch::Contains("prefix length"));
    CHECK_THROWS_WITH(parseNetwork("10.0.0.0/x"), Catch::Contains("prefix length"));
}

TEST_CASE("OutboundPolicy allows non-public networks per account only", "[voice][outbound]") {
    OutboundPolicy p;
    p.allow("a", {"127.0.0.1", "10.1.0.0/16"});
    CHECK_FALSE(p.refusal("a", ip::make_address("127.0.0.1")));
    CHECK_FALSE(p.refusal("a", ip::make_address("::ffff:127.0.0.1")));  // the same host
    CHECK_FALSE(p.refusal("a", ip::make_address("10.1.2.3")));
    CHECK(
        p.refusal("a", ip::make_address("10.2.0.1")).value() ==
        "a private address, which this account may not reach (accounts[].allowedCallbackNetworks)");
    CHECK(p.refusal("a", ip::make_address("169.254.169.254")));
    CHECK(p.refusal("a", ip::make_address("::1")));  // 127.0.0.1 allowed is not ::1
    CHECK(p.refusal("b", ip::make_address("127.0.0.1")));
    CHECK_FALSE(p.refusal("b", ip::make_address("93.184.216.34")));  // public: always
    CHECK(p.literalRefusal("b", "http://127.0.0.1:8080/x"));
    CHECK(p.literalRefusal("b", "http://[::1]/x"));
    CHECK(p.literalRefusal("b", "http://user@10.0.0.1/x"));
    CHECK_FALSE(p.literalRefusal("b", "http://localhost/x"));  // a name: checked once resolved
    CHECK_FALSE(p.literalRefusal("a", "http://127.0.0.1/x"));
    CHECK_THROWS_AS(p.allow("c", {"not-a-network"}), std::invalid_argument);
}

TEST_CASE("urlHost takes the host out of an http URL", "[voice][outbound]") {
    CHECK(urlHost("http://example.com:80/x?y") == "example.com");
    CHECK(urlHost("http://[::1]:9/x") == "::1");
    CHECK(urlHost("https://10.0.0.1") == "10.0.0.1");
    CHECK(urlHost("http://u:p@h/x") == "h");
    CHECK(urlHost("nope") == "");
}
