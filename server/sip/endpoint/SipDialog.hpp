#pragma once
// What a BYE of a confirmed dialog needs when the process that had the dialog is gone
// (RFC 3261 §12.2.1.1: Request-URI = the remote target, Route = the route set, From/To with both
// tags, the Call-ID), so that a restarted server can end the calls its predecessor left
// half-open instead of leaving the phones in a call with nobody (LeftoverByes.hpp).

#include <string>
#include <vector>

namespace sb::sip {

struct SipDialog {
    std::string callId;                 // our call id (SipEndpoint's), for the app's bookkeeping
    std::string sipCallId;              // the Call-ID header
    std::string local;                  // our end: name-addr with our tag, as in our From
    std::string remote;                 // the phone's end: name-addr with its tag, as in our To
    std::string remoteTarget;           // the phone's Contact URI
    std::vector<std::string> routeSet;  // Route header values in order (empty: none)
    std::string transport;              // "udp" or "tcp", as the dialog's requests went
};

}  // namespace sb::sip
