#include "server/sip/endpoint/SofiaInvites.hpp"

#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_string.h>
#include <sofia-sip/su_tag.h>

#include "server/sip/endpoint/AudioSdp.hpp"
#include "server/sip/endpoint/SipMessage.hpp"
#include "server/sip/endpoint/SofiaDialog.hpp"
#include "server/sip/endpoint/UserToUser.hpp"

namespace sb::sip {

SofiaInvites::SofiaInvites(const SipConfig& config, const SofiaUserAgent::Sink& sink,
                           SofiaStack& stack, SofiaCallTable& calls)
    : config_(config), sink_(sink), stack_(stack), calls_(calls) {}

void SofiaInvites::onIncomingInvite(nua_handle_t* nh, SofiaCall* call, sip_t const* sip) {
    if (call) return onReInvite(nh, *call, sip);
    if (stack_.stopping() || calls_.active() >= config_.maxCalls) {
        // No Retry-After: a trunk would take us out of rotation, and sofia peers would
        // re-send the INVITE by themselves.
        nua_respond(nh, SIP_503_SERVICE_UNAVAILABLE, TAG_END());
        return;
    }
    // The offer must be in the INVITE: an offer in the ACK (RFC 3261 §13.2.1) is not supported.
    AudioDescription offer;
    if (hasSdp(sip)) offer = parseAudioSdp(body(sip));
    if (!offer.ok) {
        nua_respond(nh, SIP_488_NOT_ACCEPTABLE,
                    SIPTAG_WARNING_STR("399 switchboard \"an SDP offer with audio is required\""),
                    TAG_END());
        return;
    }

    // RFC 4028 §9: a caller that does not support timers would make us the refresher, and our
    // refresh would be an INVITE without SDP (NUA's offer/answer is off). Such calls get no
    // session timer; the RTP inactivity timeout still ends them when the phone vanishes.
    if (config_.sessionExpiresSeconds > 0 && !sip_has_supported(sip->sip_supported, "timer"))
        nua_set_hparams(nh, NUTAG_SESSION_TIMER(0), TAG_END());

    auto owned = std::make_unique<SofiaCall>();
    owned->id = calls_.newCallId();
    owned->nh = nh;
    owned->inbound = true;
    owned->offered = offer.g711;
    owned->offeredTelephoneEventPt = offer.telephoneEventPt;
    SofiaCall& c = calls_.add(std::move(owned));
    noteDialog(c, sip);

    InboundInvite invite;
    invite.callId = c.id;
    invite.sipCallId = sip->sip_call_id && sip->sip_call_id->i_id ? sip->sip_call_id->i_id : "";
    invite.from = headerText(sip->sip_from);
    invite.to = headerText(sip->sip_to);
    invite.requestUri = sip->sip_request ? urlText(sip->sip_request->rq_url) : "";
    invite.requestUser = sip->sip_request ? userOf(sip->sip_request->rq_url) : "";
    invite.fromUser = sip->sip_from ? userOf(sip->sip_from->a_url) : "";
    invite.sourceAddress = sourceOf(nua_current_request(stack_.nua()));
    for (const sip_unknown_t* u = sip->sip_unknown; u; u = u->un_next) {
        if (u->un_name && u->un_value && su_casematch(u->un_name, "User-To-User")) {
            if (!invite.userToUser.empty()) invite.userToUser += ',';
            invite.userToUser += u->un_value;
        }
    }
    if (!invite.userToUser.empty()) {
        try {
            invite.userToUserValues = parseUui(invite.userToUser);
        } catch (const UuiError& e) {
            invite.userToUserError = e.what();
        }
    }
    invite.diversion = unknownHeaderValues(sip, "Diversion", 8, 512);  // info
    invite.remote = remoteFrom(offer);
    if (auto codec = preferredFromOffer(offer)) {
        invite.remote.codec = *codec;
        invite.codecMatch = true;
    }
    // Kept for answer() (RFC 3264 §6.1: the answer mirrors the offer's direction) and for
    // telling a re-INVITE that changes the media from a session refresh.
    c.remote = invite.remote;
    sink_.invite(std::move(invite));
}

// A re-INVITE in an established dialog: a session refresh (RFC 4028), a new address, hold or
// resume. The answer keeps our address, codec and o= version unless the direction must change
// (RFC 3264 §8: a changed description gets version + 1); the app hears about media changes.
void SofiaInvites::onReInvite(nua_handle_t* nh, SofiaCall& call, sip_t const* sip) {
    if (!call.answered || call.localSdp.empty()) {
        nua_respond(nh, SIP_491_REQUEST_PENDING, TAG_END());
        return;
    }
    if (hasSdp(sip)) {
        AudioDescription offer = parseAudioSdp(body(sip));
        if (!offer.ok) {
            nua_respond(nh, SIP_488_NOT_ACCEPTABLE, TAG_END());
            return;
        }
        RemoteMedia remote = remoteFrom(offer);
        remote.codec = call.remote.codec;
        const bool changed = remote.address != call.remote.address ||
                             remote.port != call.remote.port || remote.sends != call.remote.sends ||
                             remote.receives != call.remote.receives;
        if (call.localParams.sends != remote.receives ||
            call.localParams.receives != remote.sends) {
            call.localParams.sends = remote.receives;
            call.localParams.receives = remote.sends;
            call.localParams.version = ++call.localVersion;
            call.localSdp = buildAudioSdp(call.localParams);
        }
        call.remote = remote;
        if (changed && call.live) sink_.mediaChanged(call.id, remote);
    }
    // Without SDP (RFC 3261 §14.1: a refresh may carry none) our 200 holds an offer: the same.
    nua_respond(nh, SIP_200_OK, SIPTAG_CONTENT_TYPE_STR(kSdpType),
                SIPTAG_PAYLOAD_STR(call.localSdp.c_str()), TAG_END());
}

void SofiaInvites::onInviteResponse(int status, SofiaCall* call, sip_t const* sip) {
    if (!call || call->inbound) return;
    if (status >= 180 && status < 190) {
        if (call->live && !call->ringingReported) {
            call->ringingReported = true;
            sink_.ringing(call->id);
        }
        return;
    }
    if (status < 200) {
        // A final response that NUA turned into "100 Retry After" (a 5xx with Retry-After, or
        // a challenge): sofia 1.12 would send the INVITE again on its own, and with
        // NUTAG_RETRY_COUNT(0) still once. A retry is a new call attempt the app did not ask
        // for, so the call fails here and its handle goes.
        const int final = sip && sip->sip_status ? sip->sip_status->st_status : 0;
        if (final >= 300) {
            const std::string reason = standardPhrase(final);
            if (call->live) {
                calls_.retire(*call);
                sink_.failed(call->id, final, reason);
            }
            calls_.release(*call);  // destroys the handle: no retry
        }
        return;
    }
    if (call->timer) {
        su_timer_destroy(call->timer);
        call->timer = nullptr;
    }
    if (status >= 300) {
        if (call->live) {
            calls_.retire(*call);
            sink_.failed(call->id, status, standardPhrase(status));
        }
        return;
    }
    if (call->answered) return;  // another 2xx (forking): NUA acknowledges it
    call->answered = true;
    noteDialog(*call, sip);
    if (!call->live) {  // hung up or timed out meanwhile: the CANCEL lost the race
        nua_bye(call->nh, TAG_END());
        call->endSent = true;
        return;
    }
    AudioDescription answer;
    if (hasSdp(sip)) answer = parseAudioSdp(body(sip));
    auto codec = answer.ok ? chosenInAnswer(answer) : std::nullopt;
    if (!codec) {
        calls_.retire(*call);
        nua_bye(call->nh, TAG_END());
        call->endSent = true;
        sink_.failed(call->id, 488, "Not Acceptable Here (no G.711 in the SDP answer)");
        return;
    }
    RemoteMedia remote = remoteFrom(answer);
    remote.codec = *codec;
    call->remote = remote;
    sink_.answered(call->id, remote);
}

}  // namespace sb::sip
