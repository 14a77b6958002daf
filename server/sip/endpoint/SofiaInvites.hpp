#pragma once
// The INVITE transactions of calls, on sofia's thread: an INVITE in (a new call for the app, or a
// re-INVITE of one, answered here with our SDP) and the responses to our INVITEs (ringing,
// answered, failed). SofiaEvents hands them over; the ends of calls stay with it.

#include <sofia-sip/nua.h>
#include <sofia-sip/sip.h>

#include "server/sip/endpoint/SipEndpoint.hpp"
#include "server/sip/endpoint/SofiaCallTable.hpp"
#include "server/sip/endpoint/SofiaStack.hpp"
#include "server/sip/endpoint/SofiaUserAgent.hpp"

namespace sb::sip {

class SofiaInvites {
  public:
    SofiaInvites(const SipConfig& config, const SofiaUserAgent::Sink& sink, SofiaStack& stack,
                 SofiaCallTable& calls);
    SofiaInvites(const SofiaInvites&) = delete;
    SofiaInvites& operator=(const SofiaInvites&) = delete;

    // nua_i_invite: `call` is the handle's call, null for a new one.
    void onIncomingInvite(nua_handle_t* nh, SofiaCall* call, sip_t const* sip);
    void onInviteResponse(int status, SofiaCall* call, sip_t const* sip);  // nua_r_invite

  private:
    void onReInvite(nua_handle_t* nh, SofiaCall& call, sip_t const* sip);

    const SipConfig& config_;
    const SofiaUserAgent::Sink& sink_;
    SofiaStack& stack_;
    SofiaCallTable& calls_;
};

}  // namespace sb::sip
