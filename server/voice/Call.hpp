#pragma once
// The voice call of Bandwidth's Voice API (CreateCall / CallState models of the Bandwidth API
// spec): what a Call holds, and how its times are written. Its lifecycle: CallState.hpp; its ids:
// CallIds.hpp.

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "server/voice/CallState.hpp"

namespace sb::voice {

using TimePoint = std::chrono::system_clock::time_point;
using Clock = std::function<TimePoint()>;

enum class CallDirection { Inbound, Outbound };

const char* toString(CallDirection d);

// Bandwidth's createCall callback fields, validated by VoiceApi (bandwidth.yml `createCall`):
// given in a CreateCallRequest and kept as they are on the Call. The per-attempt timeout and the
// credentials apply to every callback of the call; the fallback URL receives an event its
// primary URL failed to take.
struct CallbackSettings {
    double callbackTimeout = 15;  // seconds, 1..25 (Bandwidth's default 15)
    std::optional<std::string> answerFallbackUrl;
    std::string answerFallbackMethod = "POST";
    std::optional<std::string> username;  // Basic credentials for answerUrl, disconnectUrl, …
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
    std::string answerUrl;               // answer (outbound) or initiate (inbound) callback
    std::string answerMethod = "POST";
    std::optional<std::string> disconnectUrl;
    std::string disconnectMethod = "POST";
    std::optional<std::string> tag;
    std::optional<std::string> uui;          // User-To-User for the INVITE (outbound to a SIP URI)
    double callTimeout = 30;                 // seconds, after ringing starts
    std::string callUrl;                     // this call's REST URL
    std::optional<std::string> displayName;  // From display name of the outbound INVITE
    int priority = 5;                        // Bandwidth's queue priority (1 highest); echoed only

    CallbackSettings callbacks;  // callbackTimeout, answerFallbackUrl, credentials
};

// ISO 8601 UTC with milliseconds, as Bandwidth's webhooks: 2024-05-01T12:34:56.789Z.
std::string isoTime(TimePoint t);

}  // namespace sb::voice
