#pragma once
// info: DTMF digits in SIP INFO requests (RFC 6086's legacy usage, no Info-Package), on sofia's
// thread. Some phones and SBCs send each key press as an INFO with an application/dtmf-relay
// (or application/dtmf) body instead of RFC 4733 telephone-events; the digit goes to the app
// exactly like an RTP one (Events::onDigit → the call's digit path).
//
// Replies (RFC 3261 §21): 200 for a digit (and for an empty keepalive INFO); 415 with Accept for
// another body type (RFC 3261 §21.4.13); 400 for a dtmf body that names no digit; 413 for a body
// over SipConfig::infoMaxBodyBytes; 503 past SipConfig::infoPerSecond on one call; 481 outside a
// call (§12.2.2; sofia itself answers 481 to an INFO for a dialog it does not know). Only
// standard reason phrases: nothing of the request is echoed.

#include <sofia-sip/nua.h>
#include <sofia-sip/sip.h>

#include "server/sip/endpoint/SipEndpoint.hpp"
#include "server/sip/endpoint/SofiaCall.hpp"
#include "server/sip/endpoint/SofiaStack.hpp"
#include "server/sip/endpoint/SofiaUserAgent.hpp"

namespace sb::sip {

class SofiaInfo {
  public:
    SofiaInfo(const SipConfig& config, const SofiaUserAgent::Sink& sink, SofiaStack& stack);
    SofiaInfo(const SofiaInfo&) = delete;
    SofiaInfo& operator=(const SofiaInfo&) = delete;

    // nua_i_info: `call` is the handle's call, null for an INFO outside any.
    void onInfo(nua_handle_t* nh, SofiaCall* call, sip_t const* sip);

  private:
    bool takeInfoToken(SofiaCall& call);

    const SipConfig& config_;
    const SofiaUserAgent::Sink& sink_;
    SofiaStack& stack_;
};

}  // namespace sb::sip
