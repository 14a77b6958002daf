#pragma once
// The JSON bodies of Bandwidth's Voice webhooks (AnswerCallback, InitiateCallback,
// DisconnectCallback, RedirectCallback, TransferAnswer/Complete/DisconnectCallback models of the
// Bandwidth API spec). Times are ISO 8601 UTC with milliseconds; absent values are left out.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/voice/Call.hpp"

namespace sb::voice {

// The B-leg of a <Transfer>, as the transfer events describe it.
struct TransferLeg {
    std::string callId;            // the B-leg's own call id
    std::string transferCallerId;  // `from` of the B-leg
    std::string transferTo;        // `to` of the B-leg (number or SIP URI)
    TimePoint startTime{};
    std::optional<TimePoint> answerTime;
    std::optional<TimePoint> endTime;
    std::string cause;  // hangup, busy, timeout, cancel, rejected, error, …
    std::string errorMessage;
    std::string errorId;  // set (reportError) whenever errorMessage is
};

// The fields every call event shares — eventType, eventTime, accountId, applicationId, from, to,
// direction, callId, callUrl, enqueuedTime (outbound calls: when the create request queued the
// call, which is also its startTime here), startTime, answerTime (once answered), tag (when
// set) — the builder for events of other parts too (gather, recording, conference member, …):
// start from callEvent(...) and add the event's own fields.
nlohmann::json callEvent(const std::string& eventType, const Call& call, TimePoint eventTime);

nlohmann::json answerEvent(const Call& call, TimePoint eventTime);
nlohmann::json initiateEvent(const Call& call, TimePoint eventTime);
nlohmann::json redirectEvent(const Call& call, TimePoint eventTime);
// + endTime, cause, errorMessage (when the call ended on an error).
nlohmann::json disconnectEvent(const Call& call, TimePoint eventTime);
// Sent to transferCompleteUrl (the A-leg's fields + transferCallerId, transferTo, cause,
// errorMessage).
nlohmann::json transferCompleteEvent(const Call& call, const TransferLeg& leg, TimePoint eventTime);
// Sent to a target's transferAnswerUrl / transferDisconnectUrl: the B-leg's callId and times,
// parentCallId = the A-leg, from/to of the original call.
nlohmann::json transferAnswerEvent(const Call& call, const TransferLeg& leg, TimePoint eventTime);
nlohmann::json transferDisconnectEvent(const Call& call, const TransferLeg& leg,
                                       TimePoint eventTime);

// ivr
// Sent to a <Gather>'s gatherUrl: + digits (without the terminating digit; "" when none came),
// terminatingDigit ("" when the Gather ended otherwise).
nlohmann::json gatherEvent(const Call& call, TimePoint eventTime, const std::string& digits,
                           const std::string& terminatingDigit);
// Sent to a <StartGather>'s dtmfUrl for each digit: + digit.
nlohmann::json dtmfEvent(const Call& call, TimePoint eventTime, char digit);

}  // namespace sb::voice
