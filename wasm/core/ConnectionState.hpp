#pragma once
// The connection state machine as a pure function (STYLE.md 2, after pion's
// checkNextSignalingState): the Client applies it in one place and emits the change afterwards.

#include <optional>

#include "wasm/core/Types.hpp"

namespace sb::sdk {

// The state `event` leads to from `state`, or nullopt when the edge does not exist (the caller
// ignores the event). Staying in the same state is never an edge.
std::optional<State> nextState(State state, Event event);

}  // namespace sb::sdk
