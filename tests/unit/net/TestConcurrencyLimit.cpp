#include <catch2/catch.hpp>

#include "server/net/ConcurrencyLimit.hpp"

using namespace sb;

TEST_CASE("ConcurrencyLimit takes all caps or none, and frees them with the slot",
          "[server][net][caps]") {
    auto limit = std::make_shared<net::ConcurrencyLimit>();
    std::vector<std::unique_ptr<net::ConcurrencyLimit::Slot>> held;
    for (int i = 0; i < 2; ++i) {
        auto r = limit->tryAcquire({{"*", 3}, {"addr a", 2}});
        REQUIRE(r.slot);
        held.push_back(std::move(r.slot));
    }
    auto refused = limit->tryAcquire({{"*", 3}, {"addr a", 2}});
    CHECK_FALSE(refused.slot);
    CHECK(refused.refusedBy == 1);
    CHECK(limit->held("*") == 2);  // the refused attempt took nothing

    auto other = limit->tryAcquire({{"*", 3}, {"addr b", 2}});
    REQUIRE(other.slot);
    auto full = limit->tryAcquire({{"*", 3}, {"addr c", 2}});
    CHECK_FALSE(full.slot);
    CHECK(full.refusedBy == 0);

    held.clear();
    CHECK(limit->held("addr a") == 0);
    CHECK(limit->held("*") == 1);
    CHECK(limit->tryAcquire({{"*", 3}, {"addr a", 2}}).slot);
}

TEST_CASE("ConcurrencyLimit with limit 0 is unlimited but still counts", "[server][net][caps]") {
    auto limit = std::make_shared<net::ConcurrencyLimit>();
    std::vector<std::unique_ptr<net::ConcurrencyLimit::Slot>> held;
    for (int i = 0; i < 100; ++i) held.push_back(limit->tryAcquire({{"k", 0}}).slot);
    CHECK(limit->held("k") == 100);
}
