#pragma once
// The voice call of Bandwidth's Voice API (CreateCall / CallState models of the Bandwidth API
// spec) and its state machine. `nextState` is the only place that decides which lifecycle
// changes are legal; CallRegistry applies it.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace sb::voice {

using TimePoint = std::chrono::system_clock::time_point;
using Clock = std::function<TimePoint()>;

enum class CallDirection { Inbound, Outbound };

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

const char* toString(CallDirection d);
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

// Bandwidth's createCall callback fields, validated by VoiceApi (bandwidth.yml `createCall`):
// given in a CreateCallRequest and kept as they are on the Call. The per-attempt timeout and the
// credentials apply to every callback of the call; the fallback URL receives an event its
// primary URL failed to take.
struct CallbackSettings {
    double callbackTimeout = 15;     // seconds, 1..25 (Bandwidth's default 15)
    std::optional<std::string> answerFallbackUrl;
    std::string answerFallbackMethod = "POST";
    std::optional<std::string> username;          // Basic credentials for answerUrl, disconnectUrl, …
    std::optional<std::string> password;
    std::optional<std::string> fallbackUsername;  // Basic credentials for the fallback URLs
    std::optional<std::string> fallbackPassword;
};

struct Call {
    std::string callId;
    std::string accountId;
    std::string applicationId;
    CallDirection direction = CallDirection::Outbound;
    std::string from;
    std::string to;
    CallState state = CallState::Initiated;
    TimePoint startTime{};
    std::optional<TimePoint> answerTime;
    std::optional<TimePoint> endTime;
    TimePoint lastUpdate{};
    std::optional<std::string> disconnectCause;
    std::optional<std::string> errorMessage;
    std::optional<std::string> errorId;  // set with errorMessage (newErrorId), logged with it
    std::string answerUrl;  // answer (outbound) or initiate (inbound) callback
    std::string answerMethod = "POST";
    std::optional<std::string> disconnectUrl;
    std::string disconnectMethod = "POST";
    std::optional<std::string> tag;
    std::optional<std::string> uui;  // User-To-User for the INVITE (outbound to a SIP URI)
    double callTimeout = 30;         // seconds, after ringing starts
    std::string callUrl;             // this call's REST URL
    std::optional<std::string> displayName;  // From display name of the outbound INVITE
    int priority = 5;                        // Bandwidth's queue priority (1 highest); echoed only

    CallbackSettings callbacks;  // callbackTimeout, answerFallbackUrl, credentials
};

// A Bandwidth-shaped call id: "c-" + 8-8-4-4-4-12 random hex digits (40 in all), so that
// generateTransferBxml's callIdHex is 40 hex digits as with Bandwidth's ids.
std::string newCallId();
bool isCallId(std::string_view id);
// bandwidth.yml's errorId ("an id that references the error event"): a random UUID (version 4
// form), new for each error a call, transfer leg or bridge reports with an errorMessage. The
// server log has a line "voice: call <callId> error <errorId>: <errorMessage>" for it, so that
// support finds the error from the id a customer quotes.
std::string newErrorId();
// Makes an errorId for `errorMessage` of call `callId` and logs that line (Warn).
std::string reportError(const std::string& callId, const std::string& errorMessage);
// The id back from the hex that Bandwidth puts in a UUI (`c-` + the same grouping); nullopt if
// `hex` is not 40 hex digits.
std::optional<std::string> callIdFromHex(std::string_view hex);

// ISO 8601 UTC with milliseconds, as Bandwidth's webhooks: 2024-05-01T12:34:56.789Z.
std::string isoTime(TimePoint t);

}  // namespace sb::voice
