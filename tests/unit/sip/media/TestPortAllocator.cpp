// Even RTP ports from a range (RFC 3550 §11), exhaustion, release, thread safety.
#include <catch2/catch.hpp>

#include <algorithm>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include "server/sip/media/PortAllocator.hpp"

using namespace sb::sip::media;

TEST_CASE("PortAllocator hands out even ports until the range is exhausted",
          "[sip][media][PortAllocator]") {
    PortAllocator ports(10001, 10008);  // odd min rounds up: 10002 10004 10006 10008
    CHECK(ports.capacity() == 4);
    std::vector<std::uint16_t> got;
    while (auto p = ports.allocate()) got.push_back(*p);
    CHECK(got == std::vector<std::uint16_t>{10002, 10004, 10006, 10008});
    CHECK(ports.available() == 0);
    CHECK_FALSE(ports.allocate());

    ports.release(10004);
    ports.release(10004);  // twice: ignored
    ports.release(10005);  // odd: ignored
    ports.release(9000);   // outside: ignored
    CHECK(ports.available() == 1);
    CHECK(ports.allocate() == std::uint16_t{10004});
}

TEST_CASE("PortAllocator does not reuse a released port at once", "[sip][media][PortAllocator]") {
    PortAllocator ports(20000, 20010);
    auto a = ports.allocate();
    ports.release(*a);
    CHECK(ports.allocate() != a);
}

TEST_CASE("PortAllocator rejects ranges without an even port", "[sip][media][PortAllocator]") {
    CHECK_THROWS_AS(PortAllocator(10001, 10001), std::invalid_argument);
    CHECK_THROWS_AS(PortAllocator(10010, 10000), std::invalid_argument);
    CHECK_THROWS_AS(PortAllocator(65535, 65535), std::invalid_argument);
    CHECK_THROWS_AS(PortAllocator(0, 0), std::invalid_argument);
    CHECK(PortAllocator(65534, 65535).capacity() == 1);
}

TEST_CASE("PortAllocator is thread-safe", "[sip][media][PortAllocator]") {
    PortAllocator ports(30000, 30999);  // 500 ports
    std::mutex mutex;
    std::set<std::uint16_t> all;
    std::size_t total = 0;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            std::vector<std::uint16_t> mine;
            for (int i = 0; i < 200; ++i) {
                if (auto p = ports.allocate()) mine.push_back(*p);
                if (i % 3 == 0 && !mine.empty()) {
                    ports.release(mine.back());
                    mine.pop_back();
                }
            }
            std::lock_guard<std::mutex> lock(mutex);
            total += mine.size();
            all.insert(mine.begin(), mine.end());
        });
    }
    for (auto& th : threads) th.join();
    CHECK(all.size() == total);  // nobody got a port twice
    CHECK(ports.available() == ports.capacity() - total);
}
