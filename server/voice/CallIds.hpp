#pragma once
// The voice API's ids: call ids as Bandwidth shapes them, and the errorId of a call's errors.

#include <optional>
#include <string>
#include <string_view>

namespace sb::voice {

// A Bandwidth-shaped call id: "c-" + 8-8-4-4-4-12 random hex digits (40 in all), so that
// generateTransferBxml's callIdHex is 40 hex digits as with Bandwidth's ids.
std::string newCallId();
bool isCallId(std::string_view id);
// The id back from the hex that Bandwidth puts in a UUI (`c-` + the same grouping); nullopt if
// `hex` is not 40 hex digits.
std::optional<std::string> callIdFromHex(std::string_view hex);

// bandwidth.yml's errorId ("an id that references the error event"): a random UUID (version 4
// form), new for each error a call, transfer leg or bridge reports with an errorMessage. The
// server log has a line "voice: call <callId> error <errorId>: <errorMessage>" for it, so that
// support finds the error from the id a customer quotes.
std::string newErrorId();
// Makes an errorId for `errorMessage` of call `callId` and logs that line (Warn).
std::string reportError(const std::string& callId, const std::string& errorMessage);

}  // namespace sb::voice
