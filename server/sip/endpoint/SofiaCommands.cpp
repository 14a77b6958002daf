#include "server/sip/endpoint/SofiaCommands.hpp"

#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_tag.h>

#include <chrono>

#include "server/sip/endpoint/AudioSdp.hpp"
#include "server/sip/endpoint/SipMessage.hpp"

namespace sb::sip {

namespace {

G711 other(G711 c) {
    return c == G711::Pcmu ? G711::Pcma : G711::Pcmu;
}

}  // namespace

SofiaCommands::SofiaCommands(const SipConfig& config, const SofiaUserAgent::Sink& sink,
                             SofiaLoop& loop, SofiaStack& stack, SofiaCallTable& calls)
    : config_(config), sink_(sink), loop_(loop), stack_(stack), calls_(calls) {
    sdpSessionId_ = static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch() /
                                               std::chrono::seconds(1));
}

void SofiaCommands::answer(const std::string& callId, const LocalMedia& local) {
    SofiaCall* call = calls_.find(callId);
    if (!call || !call->inbound || call->answered || !call->live) return;
    if (call->offered.empty()) {  // the app should have rejected: do it for it
        reject(callId, 488);
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

void SofiaCommands::reject(const std::string& callId, int status) {
    SofiaCall* call = calls_.find(callId);
    if (!call || !call->inbound || call->answered || !call->live) return;
    const char* standard = status >= 300 && status <= 699 ? sip_status_phrase(status) : nullptr;
    if (!standard || !*standard) status = 500;
    calls_.retire(*call);
    call->endSent = true;
    // A static string of sofia's table: nua_respond() keeps the phrase by pointer until the
    // response is sent, and nothing of the request is echoed (RFC 3261 §21 phrases only).
    nua_respond(call->nh, status, sip_status_phrase(status), TAG_END());
}

void SofiaCommands::failNotRunning(const std::string& callId) {
    sink_.failed(callId, 503, "SIP endpoint not running");
}

void SofiaCommands::dial(const std::string& callId, const OutboundCall& out) {
    if (stack_.stopping()) return sink_.failed(callId, 503, "SIP endpoint stopping");
    if (calls_.active() >= config_.maxCalls) return sink_.failed(callId, 503, "Too many calls");
    const bool sipUri = out.toUri.rfind("sip:", 0) == 0 || out.toUri.rfind("sips:", 0) == 0;
    bool lineBreak =
        hasLineBreak(out.toUri) || hasLineBreak(out.fromUri) || hasLineBreak(out.userToUser);
    for (const auto& d : out.diversion) lineBreak = lineBreak || hasLineBreak(d);
    if (!sipUri || lineBreak) return sink_.failed(callId, 400, "Invalid destination or header");
    const std::string from = !out.fromUri.empty() ? out.fromUri
                                                  : "sip:switchboard@" + config_.advertisedHost() +
                                                        ":" + std::to_string(stack_.port());
    nua_handle_t* nh = nua_handle(stack_.nua(), nullptr, SIPTAG_TO_STR(out.toUri.c_str()),
                                  SIPTAG_FROM_STR(from.c_str()), TAG_END());
    if (!nh) return sink_.failed(callId, 400, "Invalid destination");

    auto owned = std::make_unique<SofiaCall>();
    owned->id = callId;
    owned->nh = nh;
    SofiaCall& c = calls_.add(std::move(owned));

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
    c.timer =
        su_timer_create(su_root_task(loop_.root()), static_cast<su_duration_t>(ms > 0 ? ms : 1));
    c.timerOwner = this;
    if (c.timer) su_timer_set(c.timer, &SofiaCommands::onAnswerTimeout, &c);
}

void SofiaCommands::hangup(const std::string& callId) {
    SofiaCall* call = calls_.find(callId);
    if (!call || !call->live) return;
    calls_.retire(*call);
    calls_.endLocally(*call, false);
}

// sofia hands a timer's handler the root's magic (the SofiaLoop) and the timer's argument (the
// call), so the call says whose timer it is.
void SofiaCommands::onAnswerTimeout(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
    auto* call = static_cast<SofiaCall*>(arg);
    call->timerOwner->answerTimedOut(*call);
}

void SofiaCommands::answerTimedOut(SofiaCall& call) {
    su_timer_destroy(call.timer);
    call.timer = nullptr;
    if (!call.live || call.answered) return;
    calls_.retire(call);
    calls_.endLocally(call, false);
    sink_.failed(call.id, 408, "Request Timeout");
}

}  // namespace sb::sip
