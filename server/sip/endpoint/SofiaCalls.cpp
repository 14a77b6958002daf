// The app's operations on calls (answer, reject, dial, hang up), and the bookkeeping of a call's
// handle, all on sofia's thread. The NUA events of calls: SofiaEvents.cpp.

#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_tag.h>

#include "server/sip/endpoint/AudioSdp.hpp"
#include "server/sip/endpoint/SipMessage.hpp"
#include "server/sip/endpoint/SofiaAgentImpl.hpp"

namespace sb::sip {

namespace {

G711 other(G711 c) {
    return c == G711::Pcmu ? G711::Pcma : G711::Pcmu;
}

}  // namespace

void SofiaUserAgent::Impl::doAnswer(const std::string& callId, const LocalMedia& local) {
    Call* call = find(callId);
    if (!call || !call->inbound || call->answered || !call->live) return;
    if (call->offered.empty()) {  // the app should have rejected: do it for it
        doReject(callId, 488);
        return;
    }
    G711 codec = call->offered.front();
    for (auto c : call->offered) {
        if (c == local.codec) codec = c;
    }
    AudioSdpParams p;
    p.address = local.address;
    p.port = local.port;
    p.codecs = {codec};
    // An answer may only use formats of the offer (RFC 3264 §6.1), with the offer's PT.
    p.telephoneEventPt = local.telephoneEventPt >= 0 ? call->offeredTelephoneEventPt : -1;
    p.sessionId = ++sdpSessionId_;
    p.version = 1;
    // RFC 3264 §6.1: a sendonly offer gets a recvonly answer, and so on.
    p.sends = call->remote.receives;
    p.receives = call->remote.sends;
    call->localParams = p;
    call->localSdp = buildAudioSdp(p);
    call->answered = true;
    nua_respond(call->nh, SIP_200_OK, SIPTAG_CONTENT_TYPE_STR(kSdpType),
                SIPTAG_PAYLOAD_STR(call->localSdp.c_str()), TAG_END());
}

void SofiaUserAgent::Impl::doReject(const std::string& callId, int status) {
    Call* call = find(callId);
    if (!call || !call->inbound || call->answered || !call->live) return;
    const char* standard = status >= 300 && status <= 699 ? sip_status_phrase(status) : nullptr;
    if (!standard || !*standard) status = 500;
    retire(*call);
    call->endSent = true;
    // A static string of sofia's table: nua_respond() keeps the phrase by pointer until the
    // response is sent, and nothing of the request is echoed (RFC 3261 §21 phrases only).
    nua_respond(call->nh, status, sip_status_phrase(status), TAG_END());
}

void SofiaUserAgent::Impl::failNotRunning(const std::string& callId) {
    sink_.failed(callId, 503, "SIP endpoint not running");
}

void SofiaUserAgent::Impl::doDial(const std::string& callId, const OutboundCall& out) {
    if (stopping_) return sink_.failed(callId, 503, "SIP endpoint stopping");
    if (active >= config_.maxCalls) return sink_.failed(callId, 503, "Too many calls");
    const bool sipUri = out.toUri.rfind("sip:", 0) == 0 || out.toUri.rfind("sips:", 0) == 0;
    bool lineBreak =
        hasLineBreak(out.toUri) || hasLineBreak(out.fromUri) || hasLineBreak(out.userToUser);
    for (const auto& d : out.diversion) lineBreak = lineBreak || hasLineBreak(d);
    if (!sipUri || lineBreak) return sink_.failed(callId, 400, "Invalid destination or header");
    const std::string from = !out.fromUri.empty() ? out.fromUri
                                                  : "sip:switchboard@" + config_.bindAddress + ":" +
                                                        std::to_string(port.load());
    nua_handle_t* nh = nua_handle(nua_, nullptr, SIPTAG_TO_STR(out.toUri.c_str()),
                                  SIPTAG_FROM_STR(from.c_str()), TAG_END());
    if (!nh) return sink_.failed(callId, 400, "Invalid destination");

    auto owned = std::make_unique<Call>();
    Call& c = *owned;
    c.id = callId;
    c.nh = nh;
    nua_handle_bind(nh, &c);
    calls_.emplace(c.id, std::move(owned));
    ++active;

    AudioSdpParams p;
    p.address = out.local.address;
    p.port = out.local.port;
    p.codecs = {out.local.codec, other(out.local.codec)};
    p.telephoneEventPt = out.local.telephoneEventPt;
    p.sessionId = ++sdpSessionId_;
    p.version = 1;
    c.localParams = p;
    c.localSdp = buildAudioSdp(p);
    // Extra headers, one field per line (sofia parses the string as header fields).
    std::string extra = out.userToUser.empty() ? "" : "User-To-User: " + out.userToUser;
    for (const auto& d : out.diversion)
        extra += (extra.empty() ? "" : "\r\n") + ("Diversion: " + d);
    nua_invite(nh, SIPTAG_CONTENT_TYPE_STR(kSdpType), SIPTAG_PAYLOAD_STR(c.localSdp.c_str()),
               TAG_IF(!extra.empty(), SIPTAG_HEADER_STR(extra.c_str())), TAG_END());

    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(out.timeout).count();
    c.timer = su_timer_create(su_root_task(root_), static_cast<su_duration_t>(ms > 0 ? ms : 1));
    if (c.timer) su_timer_set(c.timer, &Impl::onAnswerTimeout, &c);
}

void SofiaUserAgent::Impl::doHangup(const std::string& callId) {
    Call* call = find(callId);
    if (!call || !call->live) return;
    retire(*call);
    endLocally(*call, false);
}

// helpers

SofiaUserAgent::Impl::Call* SofiaUserAgent::Impl::find(const std::string& callId) {
    auto it = calls_.find(callId);
    return it == calls_.end() ? nullptr : it->second.get();
}

void SofiaUserAgent::Impl::retire(Call& call) {
    if (!call.live) return;
    call.live = false;
    --active;
}

void SofiaUserAgent::Impl::endLocally(Call& call, bool stopping) {
    retire(call);
    if (call.endSent) return;
    call.endSent = true;
    if (call.inbound && !call.answered) {
        if (stopping)
            nua_respond(call.nh, SIP_503_SERVICE_UNAVAILABLE, TAG_END());
        else
            nua_respond(call.nh, SIP_480_TEMPORARILY_UNAVAILABLE, TAG_END());
    } else if (!call.inbound && !call.answered) {
        nua_cancel(call.nh, TAG_END());
    } else {
        nua_bye(call.nh, TAG_END());
    }
}

void SofiaUserAgent::Impl::release(Call& call) {
    retire(call);
    if (call.timer) su_timer_destroy(call.timer);
    nua_handle_bind(call.nh, nullptr);
    nua_handle_destroy(call.nh);
    const std::string id = call.id;  // a copy: erase() destroys `call`
    calls_.erase(id);
}

}  // namespace sb::sip
