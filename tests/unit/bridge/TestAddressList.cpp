// sipTrunkAddresses: which source addresses may call the voice numbers.
#include <catch2/catch.hpp>

#include "server/bridge/AddressList.hpp"

using sb::bridge::AddressList;

TEST_CASE("AddressList matches addresses and CIDR networks, IPv4 and IPv6", "[bridge][trunk]") {
    AddressList list({"192.0.2.10", "198.51.100.0/24", "10.0.0.0/9", "2001:db8::/32", "::1"});
    CHECK(list.contains("192.0.2.10"));
    CHECK_FALSE(list.contains("192.0.2.11"));
    CHECK(list.contains("198.51.100.0"));
    CHECK(list.contains("198.51.100.255"));
    CHECK_FALSE(list.contains("198.51.101.1"));
    CHECK(list.contains("10.127.255.255"));  // /9: the first bit of the second byte is 0
    CHECK_FALSE(list.contains("10.128.0.0"));
    CHECK(list.contains("2001:db8:ffff::1"));
    CHECK_FALSE(list.contains("2001:db9::1"));
    CHECK(list.contains("::1"));
    CHECK(list.contains("::ffff:192.0.2.10"));  // an IPv4 peer on an IPv6 socket
    // Not an address at all: never a match.
    CHECK_FALSE(list.contains(""));
    CHECK_FALSE(list.contains("trunk.example.com"));
    CHECK_FALSE(list.contains(std::string(40000, '1')));

    AddressList all({"0.0.0.0/0"});
    CHECK(all.contains("203.0.113.7"));
    CHECK_FALSE(all.contains("2001:db8::1"));
    CHECK(AddressList().empty());
    CHECK_FALSE(AddressList().contains("127.0.0.1"));
}

TEST_CASE("AddressList refuses entries that are not addresses or networks", "[bridge][trunk]") {
    for (const char* bad : {"", "trunk.example.com", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x",
                            "::/129", "10.0.0.0/0008", "1.2.3"}) {
        INFO(bad);
        CHECK_THROWS_AS(AddressList({bad}), std::invalid_argument);
    }
}

TEST_CASE("An IPv4-mapped entry matches its IPv4 peers, however they arrive", "[bridge][trunk]") {
    // Before, such an entry was kept as IPv6 while mapped peers were compared as IPv4: no match.
    AddressList list({"::ffff:192.0.2.10", "::ffff:198.51.100.0/120"});
    CHECK(list.contains("192.0.2.10"));
    CHECK(list.contains("::ffff:192.0.2.10"));
    CHECK_FALSE(list.contains("192.0.2.11"));
    CHECK(list.contains("198.51.100.77"));  // /120 of the mapped form is /24 of IPv4
    CHECK(list.contains("::ffff:198.51.100.1"));
    CHECK_FALSE(list.contains("198.51.101.1"));
    CHECK_FALSE(list.contains("::192.0.2.10"));  // IPv4-compatible (deprecated) is not mapped
}

TEST_CASE("The refusal names the entry", "[bridge][trunk]") {
    try {
        AddressList({"192.0.2.1", "10.0.0.0/40"});
        FAIL("accepted");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()).find("\"10.0.0.0/40\"") != std::string::npos);
    }
}
