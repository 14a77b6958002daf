#include "server/voice/CallState.hpp"

namespace sb::voice {

const char* toString(CallState s) {
    switch (s) {
        case CallState::Initiated:
            return "initiated";
        case CallState::Ringing:
            return "ringing";
        case CallState::Answered:
            return "answered";
        case CallState::Completed:
            return "completed";
        case CallState::Failed:
            return "failed";
    }
    return "failed";
}

const char* toString(CallEvent e) {
    switch (e) {
        case CallEvent::Ring:
            return "ring";
        case CallEvent::Answer:
            return "answer";
        case CallEvent::Hangup:
            return "hangup";
        case CallEvent::Cancel:
            return "cancel";
        case CallEvent::Busy:
            return "busy";
        case CallEvent::Timeout:
            return "timeout";
        case CallEvent::Rejected:
            return "rejected";
        case CallEvent::Error:
            return "error";
    }
    return "error";
}

const char* bandwidthState(CallState s) {
    switch (s) {
        case CallState::Initiated:
        case CallState::Ringing:
            return "initiated";
        case CallState::Answered:
            return "answered";
        case CallState::Completed:
        case CallState::Failed:
            return "disconnected";
    }
    return "disconnected";
}

bool isTerminal(CallState s) {
    return s == CallState::Completed || s == CallState::Failed;
}

std::optional<CallState> nextState(CallState state, CallEvent event) {
    using S = CallState;
    using E = CallEvent;
    switch (state) {
        case S::Initiated:
        case S::Ringing:
            switch (event) {
                // 180 then 183 (or a repeated 180) keeps ringing; RFC 3261 §13.2.2.1 allows
                // several provisional responses.
                case E::Ring:
                    return S::Ringing;
                // Some trunks answer without any provisional response.
                case E::Answer:
                    return S::Answered;
                // Ended before answer by us or by the caller (inbound CANCEL): not an error.
                case E::Hangup:
                case E::Cancel:
                    return S::Completed;
                case E::Busy:
                case E::Timeout:
                case E::Rejected:
                case E::Error:
                    return S::Failed;
            }
            break;
        case S::Answered:
            switch (event) {
                case E::Answer:
                    return S::Answered;  // retransmitted 200 OK: no-op
                case E::Hangup:
                    return S::Completed;
                case E::Error:
                    return S::Failed;  // the call ended on a BXML/callback/media error
                // Ringing, busy, timeout, rejection and cancel only make sense before answer.
                case E::Ring:
                case E::Cancel:
                case E::Busy:
                case E::Timeout:
                case E::Rejected:
                    return std::nullopt;
            }
            break;
        case S::Completed:
        case S::Failed:
            return std::nullopt;  // terminal: never left
    }
    return std::nullopt;
}

CallEvent eventForCause(std::string_view c) {
    if (c == cause::kHangup) return CallEvent::Hangup;
    if (c == cause::kCancel) return CallEvent::Cancel;
    if (c == cause::kBusy) return CallEvent::Busy;
    if (c == cause::kTimeout) return CallEvent::Timeout;
    if (c == cause::kRejected) return CallEvent::Rejected;
    return CallEvent::Error;
}

}  // namespace sb::voice
