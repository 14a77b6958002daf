#include "server/sip/endpoint/SofiaDialog.hpp"

#include <sofia-sip/su_string.h>

#include <algorithm>

#include "server/sip/endpoint/SipMessage.hpp"

namespace sb::sip {

void noteDialog(SofiaCall& call, sip_t const* sip) {
    if (!sip) return;
    auto& d = call.dialog;
    d.callId = call.id;
    if (sip->sip_call_id && sip->sip_call_id->i_id) d.sipCallId = sip->sip_call_id->i_id;
    if (sip->sip_contact) d.remoteTarget = urlText(sip->sip_contact->m_url);
    d.routeSet.clear();
    // At most 16 routes: a longer Record-Route is not a route set we can follow after a restart.
    for (auto const* r = sip->sip_record_route; r && d.routeSet.size() < 16; r = r->r_next)
        d.routeSet.push_back("<" + urlText(r->r_url) + ">");
    // §12.1.2: the UAC takes the 2xx's Record-Route in reverse order.
    if (!call.inbound) std::reverse(d.routeSet.begin(), d.routeSet.end());
    // Both tags: the UAC's in From, the UAS's in To. An inbound INVITE has only the phone's: ours
    // is read from the ACK (noteAck).
    if (call.inbound) {
        d.remote = headerText(sip->sip_from);
    } else {
        d.local = headerText(sip->sip_from);
        d.remote = headerText(sip->sip_to);
    }
    const char* protocol = sip->sip_via ? sip->sip_via->v_protocol : nullptr;
    d.transport = protocol && su_casenmatch(protocol, "SIP/2.0/TCP", 11) ? "tcp" : "udp";
}

void noteAck(SofiaCall& call, sip_t const* sip) {
    if (call.inbound && sip && sip->sip_to) call.dialog.local = headerText(sip->sip_to);
}

}  // namespace sb::sip
