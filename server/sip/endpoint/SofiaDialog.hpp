#pragma once
// A sofia call's dialog as SipDialog (what a BYE by a restarted process needs).

#include <sofia-sip/sip.h>

#include "server/sip/endpoint/SofiaCall.hpp"

namespace sb::sip {

// Notes the Call-ID, remote target, route set and transport: from the INVITE of an inbound call,
// from the 2xx of an outbound one (RFC 3261 §12.1.1, §12.1.2).
void noteDialog(SofiaCall& call, sip_t const* sip);
// Our tag of an inbound call, from the ACK of our 2xx (its To).
void noteAck(SofiaCall& call, sip_t const* sip);

}  // namespace sb::sip
