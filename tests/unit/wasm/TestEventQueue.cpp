// Event dispatch that is never re-entrant, and serialised negotiation tasks.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "wasm/core/EventQueue.hpp"
#include "wasm/core/SerialQueue.hpp"

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

SCENARIO("SerialQueue", "[wasm][core][SerialQueue]") {
    SerialQueue queue;
    std::vector<std::string> log;
    std::function<void()> pending;

    SECTION("a task starts only when the previous one has finished") {
        queue.push([&](std::function<void()> finished) {
            log.push_back("1 start");
            pending = finished;
        });
        queue.push([&](std::function<void()> finished) {
            log.push_back("2 start");
            finished();
        });
        CHECK(log == std::vector<std::string>{"1 start"});
        CHECK(queue.busy());
        pending();
        CHECK(log == std::vector<std::string>{"1 start", "2 start"});
        CHECK_FALSE(queue.busy());
        pending();  // a second call is ignored
        CHECK_FALSE(queue.busy());
    }
    SECTION("reset() drops the tasks and forgets the running one, whose finished() is ignored") {
        queue.push([&](std::function<void()> finished) {
            log.push_back("1 start");
            pending = finished;
        });
        queue.push([&](std::function<void()>) { log.push_back("never"); });
        queue.reset();
        CHECK_FALSE(queue.busy());
        std::function<void()> second;
        queue.push([&](std::function<void()> finished) {
            log.push_back("3 start");
            second = finished;
        });
        pending();  // the task of before reset() finishing: ignored
        CHECK(queue.busy());
        queue.push([&](std::function<void()> finished) {
            log.push_back("4 start");
            finished();
        });
        CHECK(log == std::vector<std::string>{"1 start", "3 start"});
        second();
        CHECK(log == std::vector<std::string>{"1 start", "3 start", "4 start"});
        CHECK_FALSE(queue.busy());
    }
    SECTION("tasks that finish synchronously run in order without recursion") {
        for (int i = 0; i < 1000; ++i)
            queue.push([&log, i](std::function<void()> finished) {
                if (i % 500 == 0) log.push_back(std::to_string(i));
                finished();
            });
        CHECK(log == std::vector<std::string>{"0", "500"});
    }
}
