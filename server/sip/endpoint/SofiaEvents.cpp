#include "server/sip/endpoint/SofiaEvents.hpp"

#include <sofia-sip/nta_tag.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/url.h>

#include <cstdio>
#include <cstdlib>
#include <exception>

#include "server/sip/endpoint/SipMessage.hpp"
#include "server/sip/endpoint/SofiaDialog.hpp"

namespace sb::sip {

SofiaEvents::SofiaEvents(const SipConfig& config, const SofiaUserAgent::Sink& sink, SofiaLoop& loop,
                         SofiaStack& stack, SofiaCallTable& calls, SofiaInvites& invites,
                         SofiaInfo& info)
    : config_(config),
      sink_(sink),
      loop_(loop),
      stack_(stack),
      calls_(calls),
      invites_(invites),
      info_(info) {}

void SofiaEvents::onNuaEvent(nua_event_t event, int status, char const* phrase, nua_t*,
                             nua_magic_t* magic, nua_handle_t* nh, nua_hmagic_t* hmagic,
                             sip_t const* sip, tagi_t tags[]) {
    // Exceptions must not unwind through sofia's C frames.
    try {
        static_cast<SofiaEvents*>(magic)->onEvent(event, status, phrase, nh,
                                                  static_cast<SofiaCall*>(hmagic), sip, tags);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sip: exception in %s: %s\n", nua_event_name(event), e.what());
    } catch (...) {
        std::fprintf(stderr, "sip: unknown exception in %s\n", nua_event_name(event));
    }
}

void SofiaEvents::onEvent(nua_event_t event, int status, char const* phrase, nua_handle_t* nh,
                          SofiaCall* call, sip_t const* sip, tagi_t tags[]) {
    switch (event) {
        case nua_i_invite:
            invites_.onIncomingInvite(nh, call, sip);
            break;
        case nua_r_invite:
            invites_.onInviteResponse(status, call, sip);
            break;
        case nua_i_cancel:
            if (call) call->remoteEnd = "cancel";
            break;
        case nua_i_bye:
            if (call) call->remoteEnd = "bye";
            break;
        case nua_i_ack:  // RFC 3261 §13.3.1.4: the ACK of our 2xx confirms an inbound call
            if (call && call->inbound) {
                noteAck(*call, sip);
                confirmed(*call);
            }
            break;
        case nua_i_info:
            info_.onInfo(nh, call, sip);
            break;
        case nua_i_state: {
            int state = nua_callstate_init;
            tl_gets(tags, NUTAG_CALLSTATE_REF(state), TAG_END());
            if (state == nua_callstate_terminated && nh) onTerminated(nh, call, status, phrase);
            // Confirmed (RFC 3261 §13.2.2.4: our ACK sent): from now on only a BYE ends it.
            if (state == nua_callstate_ready && call && !call->inbound) confirmed(*call);
            break;
        }
        case nua_r_get_params: {
            sip_contact_t const* contact = nullptr;
            tl_gets(tags, NTATAG_CONTACT_REF(contact), TAG_END());
            std::uint16_t bound = config_.port;
            if (contact && contact->m_url->url_port)
                bound = static_cast<std::uint16_t>(std::atoi(contact->m_url->url_port));
            stack_.started(bound);
            break;
        }
        case nua_r_shutdown:
            if (status >= 200) loop_.quit();
            break;
        default:
            break;
    }
}

void SofiaEvents::confirmed(SofiaCall& call) {
    if (!call.live || call.confirmed || call.dialog.local.empty() || call.dialog.remote.empty())
        return;
    call.confirmed = true;
    if (sink_.confirmed) sink_.confirmed(call.dialog);
}

void SofiaEvents::onTerminated(nua_handle_t* nh, SofiaCall* call, int status, char const* phrase) {
    if (!call) {  // a request we refused before making it a call (capacity, no SDP)
        nua_handle_destroy(nh);
        return;
    }
    if (call->live) {
        calls_.retire(*call);
        // Sofia's phrase may be a peer's text: report the status and its standard phrase.
        (void)phrase;
        std::string reason = std::to_string(status) + " " + standardPhrase(status);
        if (!call->inbound && !call->answered) {
            const int final = status >= 300 ? status : 500;
            sink_.failed(call->id, final, standardPhrase(final));
        } else {
            sink_.ended(call->id, call->remoteEnd.empty() ? reason : call->remoteEnd);
        }
    }
    calls_.release(*call);
    if (stack_.stopping() && calls_.empty()) stack_.finishShutdown();
}

}  // namespace sb::sip
