#include <catch2/catch.hpp>

#include "server/web/DemoApp.hpp"

using namespace sb;

TEST_CASE("demo destinations: exact numbers and '*' prefixes only", "[server][web][demo]") {
    std::vector<std::string> allowed{"+15550100", "+1666*"};
    CHECK(web::demoDestinationAllowed(allowed, "+15550100"));
    CHECK_FALSE(web::demoDestinationAllowed(allowed, "+155501001"));
    CHECK(web::demoDestinationAllowed(allowed, "+16661234"));
    CHECK(web::demoDestinationAllowed(allowed, "+1666"));
    CHECK_FALSE(web::demoDestinationAllowed(allowed, "+1667"));
    CHECK_FALSE(web::demoDestinationAllowed({}, "+15550100"));
}
