#pragma once
// info: the Diversion headers (RFC 5806) of a <Forward>ed leg, as Bandwidth documents the
// verb's diversionTreatment (dev.bandwidth.com/docs/voice/bxml/forward):
//   none (or absent) — no Diversion header, even if the inbound call had some;
//   propagate        — the inbound call's Diversion header values, unchanged and in order;
//   stack            — those, with one more on top for the number that forwarded (the inbound
//                      call's Request-URI user): `<sip:NUMBER@HOST>;reason=REASON;counter=1`.
// RFC 5806 §4: the most recent diversion is the top-most value; `counter` counts the diversions
// this entry stands for (one here); `reason` defaults to "unknown".

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sb::bridge {

// Received Diversion values kept per inbound call, and the longest kept (longer ones are dropped:
// they come from the network and are sent on only by `propagate`).
inline constexpr std::size_t kMaxDiversionValues = 8;
inline constexpr std::size_t kMaxDiversionValueLength = 512;

struct DiversionRequest {
    std::string_view treatment;        // "", "none", "propagate", "stack"
    std::string_view reason;           // RFC 5806 reason; "" = unknown (stack only)
    std::string_view divertingNumber;  // stack: the forwarding number (E.164 or a user part)
    std::string_view host;             // stack: our SIP host[:port], the URI's host part
    const std::vector<std::string>* received = nullptr;  // the inbound call's values, top first
};

// The Diversion header values to send, top first (one header field each).
std::vector<std::string> forwardedDiversion(const DiversionRequest& request);

// Whether a received value may be kept and sent on: bounded, printable, no line break.
bool keepableDiversion(std::string_view value);

}  // namespace sb::bridge
