// nextState() as a table: one row per (state, event) pair, all 36 of them (STYLE.md 2).
#include <catch2/catch.hpp>

#include "wasm/core/ConnectionState.hpp"

using namespace sb::sdk;

namespace {
constexpr std::optional<State> kNone = std::nullopt;
}

SCENARIO("ConnectionState transition table", "[wasm][core][ConnectionState]") {
    struct Row {
        State from;
        Event event;
        std::optional<State> to;
    };
    const std::vector<Row> table{
        {State::Idle, Event::Connect, State::Connecting},
        {State::Idle, Event::Opened, kNone},
        {State::Idle, Event::Lost, kNone},
        {State::Idle, Event::Failure, kNone},
        {State::Idle, Event::Disconnect, kNone},
        {State::Idle, Event::IceFailed, kNone},
        {State::Connecting, Event::Connect, kNone},
        {State::Connecting, Event::Opened, State::Connected},
        {State::Connecting, Event::Lost, kNone},  // a first connect fails, it does not retry
        {State::Connecting, Event::Failure, State::Failed},
        {State::Connecting, Event::Disconnect, State::Disconnected},
        {State::Connecting, Event::IceFailed, kNone},
        {State::Connected, Event::Connect, kNone},
        {State::Connected, Event::Opened, kNone},
        {State::Connected, Event::Lost, State::Reconnecting},
        {State::Connected, Event::Failure, kNone},
        {State::Connected, Event::Disconnect, State::Disconnected},
        {State::Connected, Event::IceFailed, State::Failed},
        {State::Reconnecting, Event::Connect, kNone},
        {State::Reconnecting, Event::Opened, State::Connected},
        {State::Reconnecting, Event::Lost, kNone},
        {State::Reconnecting, Event::Failure, State::Failed},
        {State::Reconnecting, Event::Disconnect, State::Disconnected},
        {State::Reconnecting, Event::IceFailed, State::Failed},
        {State::Disconnected, Event::Connect, State::Connecting},
        {State::Disconnected, Event::Opened, kNone},
        {State::Disconnected, Event::Lost, kNone},
        {State::Disconnected, Event::Failure, kNone},
        {State::Disconnected, Event::Disconnect, kNone},
        {State::Disconnected, Event::IceFailed, kNone},
        {State::Failed, Event::Connect, State::Connecting},
        {State::Failed, Event::Opened, kNone},
        {State::Failed, Event::Lost, kNone},
        {State::Failed, Event::Failure, kNone},
        {State::Failed, Event::Disconnect, State::Disconnected},
        {State::Failed, Event::IceFailed, kNone},
    };
    REQUIRE(table.size() == 36);
    for (const auto& row : table) {
        INFO(toString(row.from) << " + " << toString(row.event));
        CHECK(nextState(row.from, row.event) == row.to);
    }

    SECTION("no edge leads to the state it starts from") {
        for (const auto& row : table)
            if (row.to) CHECK(*row.to != row.from);
    }
    SECTION("state names are the strings the JS API reports") {
        CHECK(std::string(toString(State::Reconnecting)) == "reconnecting");
        CHECK(std::string(toString(State::Failed)) == "failed");
    }
}
