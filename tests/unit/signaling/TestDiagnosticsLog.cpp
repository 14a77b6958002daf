#include <catch2/catch.hpp>

#include "server/signaling/DiagnosticsLog.hpp"

using namespace sb;

TEST_CASE("DiagnosticsLog stays within its byte budget, keeping the newest entries",
          "[server][signaling][diagnostics]") {
    signaling::DiagnosticsLog log(1000);
    nlohmann::json entry{{"level", "info"}, {"message", std::string(90, 'x')}};  // ~120 bytes
    for (int i = 0; i < 1000; ++i) log.add(entry);
    CHECK(log.bytes() <= 1000);
    CHECK(log.entries() >= 7);
    CHECK(log.dropped() == 1000 - log.entries());
}

TEST_CASE("DiagnosticsLog does not keep an entry larger than the whole budget",
          "[server][signaling][diagnostics]") {
    signaling::DiagnosticsLog log(1000);
    CHECK(log.add(nlohmann::json{{"m", "small"}}));
    CHECK_FALSE(log.add(nlohmann::json{{"m", std::string(5000, 'y')}}));
    CHECK(log.entries() == 1);
    CHECK(log.dropped() == 1);
}
