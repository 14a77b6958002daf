// Event dispatch that is never re-entrant.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "wasm/core/EventQueue.hpp"

using namespace sb::sdk;

SCENARIO("EventQueue", "[wasm][core][EventQueue]") {
    EventQueue queue;
    std::vector<std::string> log;

    SECTION("outside any scope an event is emitted at once") {
        queue.post([&] { log.push_back("a"); });
        CHECK(log == std::vector<std::string>{"a"});
    }
    SECTION("inside a scope events wait for the outermost scope to end") {
        {
            EventQueue::Scope outer(queue);
            queue.post([&] { log.push_back("a"); });
            {
                EventQueue::Scope inner(queue);
                queue.post([&] { log.push_back("b"); });
            }
            CHECK(log.empty());
        }
        CHECK(log == std::vector<std::string>{"a", "b"});
    }
    SECTION("a listener that re-enters does not see its own events nested") {
        queue.post([&] {
            log.push_back("first begins");
            EventQueue::Scope reentry(queue);
            queue.post([&] { log.push_back("second"); });
            log.push_back("first ends");
        });
        CHECK(log == std::vector<std::string>{"first begins", "first ends", "second"});
    }
}
