// Random ids: participant and session ids (RFC 4122 version-4 UUIDs, never repeated) and hex.
#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <thread>
#include <vector>

#include "server/auth/RandomId.hpp"

TEST_CASE("randomUuid gives distinct RFC 4122 version-4 UUIDs, on every thread", "[server][auth]") {
    const std::regex shape("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    std::vector<std::vector<std::string>> perThread(4);
    std::vector<std::thread> threads;
    for (auto& ids : perThread)
        threads.emplace_back([&ids] {
            for (int i = 0; i < 5000; ++i)
                ids.push_back(sb::auth::randomUuid());  // several pool refills
        });
    for (auto& t : threads) t.join();
    std::set<std::string> all;
    for (const auto& ids : perThread)
        for (const auto& id : ids) {
            REQUIRE(std::regex_match(id, shape));
            all.insert(id);
        }
    CHECK(all.size() == 20000);
}

TEST_CASE("randomHex gives 2 lower-case hex digits a byte, across pool refills", "[server][auth]") {
    CHECK(sb::auth::randomHex(0).empty());
    std::set<std::string> seen;
    for (std::size_t bytes : {1u, 20u, 32u, 64u, 65u, 1000u, 5000u}) {
        auto h = sb::auth::randomHex(bytes);
        CHECK(h.size() == 2 * bytes);
        // Not std::regex_match: libstdc++'s matcher recurses once per character, and 10000 of them
        // overflow the stack of the clang -O0 ASan build.
        CHECK(h.find_first_not_of("0123456789abcdef") == std::string::npos);
        if (bytes >= 20) CHECK(seen.insert(h).second);
    }
}
