#pragma once
// The voice call's lifecycle and its state machine. `nextState` is the only place that decides
// which lifecycle changes are legal; CallRegistry applies it.

#include <optional>
#include <string_view>

namespace sb::voice {

// Switchboard's finer lifecycle. Bandwidth's getCall reports it with its coarser vocabulary
// (see bandwidthState).
enum class CallState { Initiated, Ringing, Answered, Completed, Failed };

enum class CallEvent {
    Ring,      // 180/183 from the far end
    Answer,    // 200 OK (outbound) or the flow answered (inbound)
    Hangup,    // normal end: BYE, <Hangup>, end of BXML, REST state=completed
    Cancel,    // the originator gave up before answer
    Busy,      // 486/600
    Timeout,   // callTimeout elapsed before answer
    Rejected,  // 603 and other final refusals
    Error,     // callback-error, invalid-bxml, application-error, error
};

const char* toString(CallState s);
const char* toString(CallEvent e);
// Bandwidth's CallState.state: "initiated" (also while ringing), "answered", "disconnected".
const char* bandwidthState(CallState s);
bool isTerminal(CallState s);

// The state after `event`, or nullopt when the event is not allowed in `state` (the caller logs
// and ignores it). Terminal states are never left; repeating the current state is a no-op edge.
std::optional<CallState> nextState(CallState state, CallEvent event);

// Disconnect causes, spelled as Bandwidth's `cause` / `disconnectCause`.
namespace cause {
inline constexpr const char* kHangup = "hangup";
inline constexpr const char* kBusy = "busy";
inline constexpr const char* kTimeout = "timeout";
inline constexpr const char* kCancel = "cancel";
inline constexpr const char* kRejected = "rejected";
inline constexpr const char* kCallbackError = "callback-error";
inline constexpr const char* kInvalidBxml = "invalid-bxml";
inline constexpr const char* kApplicationError = "application-error";
inline constexpr const char* kAccountLimit = "account-limit";
inline constexpr const char* kError = "error";
}  // namespace cause

// The event that ends a call for a Bandwidth cause (unknown causes count as Error).
CallEvent eventForCause(std::string_view cause);

}  // namespace sb::voice
