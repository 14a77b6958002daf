// Participant and session ids: RFC 4122 version-4 UUIDs, never repeated.
#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <thread>
#include <vector>

#include "server/auth/SecretFile.hpp"

TEST_CASE("randomUuid gives distinct RFC 4122 version-4 UUIDs, on every thread", "[server][auth]") {
    const std::regex shape("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    std::vector<std::vector<std::string>> perThread(4);
    std::vector<std::thread> threads;
    for (auto& ids : perThread)
        threads.emplace_back([&ids] {
            for (int i = 0; i < 5000; ++i) ids.push_back(sb::auth::randomUuid());  // several pool refills
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
