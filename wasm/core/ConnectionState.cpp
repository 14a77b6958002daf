#include "wasm/core/ConnectionState.hpp"

namespace sb::sdk {

std::optional<State> nextState(State state, Event event) {
    switch (event) {
        case Event::Connect:
            // A fresh start is allowed from any resting state; connect() while connecting or
            // connected is a usage error the Client rejects before asking.
            if (state == State::Idle || state == State::Disconnected || state == State::Failed)
                return State::Connecting;
            break;
        case Event::Opened:
            // The first open, or a successful reconnect (socket reopened, preferences sent).
            if (state == State::Connecting || state == State::Reconnecting) return State::Connected;
            break;
        case Event::Lost:
            // Only an established connection is retried; a first connect that never opened
            // fails instead of hanging (the stock SDK retries forever, reference §1.2).
            if (state == State::Connected) return State::Reconnecting;
            break;
        case Event::Failure:
            if (state == State::Connecting || state == State::Reconnecting) return State::Failed;
            break;
        case Event::IceFailed:
            // Media cannot flow any more although signaling may: the application is told and
            // connects again. While reconnecting the signaling, the restarts could not be
            // negotiated, so that ends the same way.
            if (state == State::Connected || state == State::Reconnecting) return State::Failed;
            break;
        case Event::Disconnect:
            // Disconnected is terminal until the next connect(); leaving Failed this way lets
            // the application release the peer connections explicitly.
            if (state == State::Connecting || state == State::Connected ||
                state == State::Reconnecting || state == State::Failed)
                return State::Disconnected;
            break;
    }
    return std::nullopt;
}

const char* toString(State state) {
    switch (state) {
        case State::Idle:
            return "idle";
        case State::Connecting:
            return "connecting";
        case State::Connected:
            return "connected";
        case State::Reconnecting:
            return "reconnecting";
        case State::Disconnected:
            return "disconnected";
        case State::Failed:
            return "failed";
    }
    return "idle";
}

const char* toString(Event event) {
    switch (event) {
        case Event::Connect:
            return "connect";
        case Event::Opened:
            return "opened";
        case Event::Lost:
            return "lost";
        case Event::Failure:
            return "failure";
        case Event::Disconnect:
            return "disconnect";
        case Event::IceFailed:
            return "ice failed";
    }
    return "connect";
}

}  // namespace sb::sdk
