// Liveness tokens: what callbacks check before touching their owner.
#include <catch2/catch.hpp>

#include <optional>

#include "wasm/core/Alive.hpp"

using namespace sb::sdk;

SCENARIO("Alive", "[wasm][core][Alive]") {
    SECTION("a watch stays live while its owner does, and expires on renew()") {
        Alive alive;
        Watch before = alive.watch();
        Watch copy = before;
        CHECK_FALSE(before.expired());
        alive.renew();
        CHECK(before.expired());
        CHECK(copy.expired());
        CHECK_FALSE(alive.watch().expired());  // taken after renew(): live
    }
    SECTION("a watch outlives its owner and then reads expired") {
        std::optional<Alive> alive;
        alive.emplace();
        Watch w = alive->watch();
        alive.reset();
        CHECK(w.expired());
    }
}
