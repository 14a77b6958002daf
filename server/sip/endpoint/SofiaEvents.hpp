#pragma once
// The NUA stack's callback, on sofia's thread: each event goes to the part that handles it
// (SofiaInvites, SofiaInfo, SofiaStack), and the ends of calls are handled here.
//
// A call's life in NUA terms (RFC 3261 §13): an inbound INVITE arrives as nua_i_invite on a new
// handle, which we bind to a SofiaCall; we answer with nua_respond(). An outbound call is a handle
// we create plus nua_invite(); responses arrive as nua_r_invite and NUA sends the ACK itself.
// Every call, whichever way it ends, finishes with nua_i_state/terminated, where the handle is
// destroyed; that is also where the app hears about ends it did not cause itself.

#include <sofia-sip/nua.h>
#include <sofia-sip/sip.h>
#include <sofia-sip/su_tag.h>

#include "server/sip/endpoint/SipEndpoint.hpp"
#include "server/sip/endpoint/SofiaCallTable.hpp"
#include "server/sip/endpoint/SofiaInfo.hpp"
#include "server/sip/endpoint/SofiaInvites.hpp"
#include "server/sip/endpoint/SofiaLoop.hpp"
#include "server/sip/endpoint/SofiaStack.hpp"
#include "server/sip/endpoint/SofiaUserAgent.hpp"

namespace sb::sip {

class SofiaEvents {
  public:
    SofiaEvents(const SipConfig& config, const SofiaUserAgent::Sink& sink, SofiaLoop& loop,
                SofiaStack& stack, SofiaCallTable& calls, SofiaInvites& invites, SofiaInfo& info);
    SofiaEvents(const SofiaEvents&) = delete;
    SofiaEvents& operator=(const SofiaEvents&) = delete;

    // The callback given to nua_create() (SofiaStack::open), with this object as its magic.
    static void onNuaEvent(nua_event_t event, int status, char const* phrase, nua_t* nua,
                           nua_magic_t* magic, nua_handle_t* nh, nua_hmagic_t* hmagic,
                           sip_t const* sip, tagi_t tags[]);

  private:
    void onEvent(nua_event_t event, int status, char const* phrase, nua_handle_t* nh,
                 SofiaCall* call, sip_t const* sip, tagi_t tags[]);
    // Tells the app a call's dialog is confirmed, once (SipDialog.hpp).
    void confirmed(SofiaCall& call);
    void onTerminated(nua_handle_t* nh, SofiaCall* call, int status, char const* phrase);

    const SipConfig& config_;
    const SofiaUserAgent::Sink& sink_;
    SofiaLoop& loop_;
    SofiaStack& stack_;
    SofiaCallTable& calls_;
    SofiaInvites& invites_;
    SofiaInfo& info_;
};

}  // namespace sb::sip
