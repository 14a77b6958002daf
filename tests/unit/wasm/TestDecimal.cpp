// decimal() (wasm/core/Decimal.cpp): the SDK core's integer formatting for log lines and errors.
#include <catch2/catch.hpp>
#include <limits>
#include <string>

#include "wasm/core/Types.hpp"

using sb::sdk::decimal;

TEST_CASE("decimal writes a long as std::to_string does, without printf", "[wasm][core][Decimal]") {
    for (long v : {0L, 7L, -7L, 10L, -10L, 1009L, 4294967296L, std::numeric_limits<long>::max(),
                   std::numeric_limits<long>::min()}) {
        INFO(v);
        CHECK(decimal(v) == std::to_string(v));
    }
}
