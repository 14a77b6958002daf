#include "server/voice/CallbackEvents.hpp"

#include "server/voice/CallbackClient.hpp"

namespace sb::voice {

using nlohmann::json;

std::string describeFailure(const CallbackResult& result, const std::string& url) {
    if (!result.error.empty()) return result.error + " (" + url + ")";
    return "HTTP " + std::to_string(result.status) + " from " + url;
}

json callEvent(const std::string& eventType, const Call& call, TimePoint eventTime) {
    json j;
    j["eventType"] = eventType;
    j["eventTime"] = isoTime(eventTime);
    j["accountId"] = call.accountId;
    j["applicationId"] = call.applicationId;
    j["from"] = call.from;
    j["to"] = call.to;
    j["direction"] = toString(call.direction);
    j["callId"] = call.callId;
    if (!call.callUrl.empty()) j["callUrl"] = call.callUrl;
    // Bandwidth: "(optional) If call is queued, this is the time it was queued" — API-created
    // (outbound) calls are queued by the create request; inbound calls are not.
    if (call.direction == CallDirection::Outbound) j["enqueuedTime"] = isoTime(call.startTime);
    j["startTime"] = isoTime(call.startTime);
    if (call.answerTime) j["answerTime"] = isoTime(*call.answerTime);
    if (call.tag) j["tag"] = *call.tag;
    return j;
}

json answerEvent(const Call& call, TimePoint eventTime) {
    return callEvent("answer", call, eventTime);
}

json initiateEvent(const Call& call, TimePoint eventTime) {
    auto j = callEvent("initiate", call, eventTime);
    // InitiateCallback has neither (the call is not answered yet; the application sets tags later).
    j.erase("answerTime");
    j.erase("tag");
    if (call.uui) j["uui"] = *call.uui;
    return j;
}

json redirectEvent(const Call& call, TimePoint eventTime) {
    return callEvent("redirect", call, eventTime);
}

json disconnectEvent(const Call& call, TimePoint eventTime) {
    auto j = callEvent("disconnect", call, eventTime);
    j["endTime"] = isoTime(call.endTime.value_or(eventTime));
    j["cause"] = call.disconnectCause.value_or(cause::kHangup);
    if (call.errorMessage) j["errorMessage"] = *call.errorMessage;
    if (call.errorId) j["errorId"] = *call.errorId;
    return j;
}

json transferCompleteEvent(const Call& call, const TransferLeg& leg, TimePoint eventTime) {
    auto j = callEvent("transferComplete", call, eventTime);
    j["transferCallerId"] = leg.transferCallerId;
    j["transferTo"] = leg.transferTo;
    j["cause"] = leg.cause.empty() ? std::string(cause::kHangup) : leg.cause;
    if (!leg.errorMessage.empty()) j["errorMessage"] = leg.errorMessage;
    if (!leg.errorId.empty()) j["errorId"] = leg.errorId;
    return j;
}

namespace {
json legEvent(const std::string& eventType, const Call& call, const TransferLeg& leg,
              TimePoint eventTime) {
    auto j = callEvent(eventType, call, eventTime);
    j["callId"] = leg.callId;
    // The B-leg's own REST URL: the A-leg's with the B-leg's id.
    auto slash = call.callUrl.rfind('/');
    if (slash != std::string::npos) j["callUrl"] = call.callUrl.substr(0, slash + 1) + leg.callId;
    j["enqueuedTime"] = isoTime(leg.startTime);
    j["parentCallId"] = call.callId;
    j["direction"] = "outbound";
    j["startTime"] = isoTime(leg.startTime);
    j.erase("answerTime");
    if (leg.answerTime) j["answerTime"] = isoTime(*leg.answerTime);
    j["transferCallerId"] = leg.transferCallerId;
    j["transferTo"] = leg.transferTo;
    return j;
}
}  // namespace

json transferAnswerEvent(const Call& call, const TransferLeg& leg, TimePoint eventTime) {
    // parentCallId is not in bandwidth.yml's transferAnswerCallback (transferDisconnect has it);
    // it is kept as an extension so that the answered leg can be tied to its A-leg.
    return legEvent("transferAnswer", call, leg, eventTime);
}

json transferDisconnectEvent(const Call& call, const TransferLeg& leg, TimePoint eventTime) {
    auto j = legEvent("transferDisconnect", call, leg, eventTime);
    j["endTime"] = isoTime(leg.endTime.value_or(eventTime));
    j["cause"] = leg.cause.empty() ? std::string(cause::kHangup) : leg.cause;
    if (!leg.errorMessage.empty()) j["errorMessage"] = leg.errorMessage;
    if (!leg.errorId.empty()) j["errorId"] = leg.errorId;
    return j;
}

// ivr
json gatherEvent(const Call& call, TimePoint eventTime, const std::string& digits,
                 const std::string& terminatingDigit) {
    auto j = callEvent("gather", call, eventTime);
    j["digits"] = digits;
    j["terminatingDigit"] = terminatingDigit;
    return j;
}

json dtmfEvent(const Call& call, TimePoint eventTime, char digit) {
    auto j = callEvent("dtmf", call, eventTime);
    j["digit"] = std::string(1, digit);
    return j;
}

}  // namespace sb::voice
