#include "server/sip/endpoint/SofiaStack.hpp"

#include <sofia-sip/nta_tag.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_tag.h>
#include <sofia-sip/tport_tag.h>

namespace sb::sip {

namespace {

std::string bindUrl(const SipConfig& c) {
    // Port "*" makes tport pick an ephemeral port, the same one for every transport.
    const std::string port = c.port == 0 ? "*" : std::to_string(c.port);
    // Behind NAT, tport binds the maddr and uses the URL's host as its public name: the
    // sent-by of our Via (RFC 3261 §18.2.1) and the host of our Contact (§8.1.1.8) then name
    // the address the far end can reach, while the socket stays on the private one.
    std::string url = c.publicHost.empty()
                          ? "sip:" + c.bindAddress + ":" + port
                          : "sip:" + c.publicHost + ":" + port + ";maddr=" + c.bindAddress;
    // Without a transport parameter a sip: URL binds UDP and TCP (and SCTP in a sofia built
    // with it; Debian's is not: `ss -lunpt` shows UDP and TCP only). A list ("udp,tcp") must not
    // be used: sofia-sip 1.12.11 keeps it in an out-of-scope array and crashes (fixed upstream
    // in 1.13, commit fe970bc).
    if (!(c.udp && c.tcp)) url += c.udp ? ";transport=udp" : ";transport=tcp";
    return url;
}

}  // namespace

SofiaStack::SofiaStack(const SipConfig& config, SofiaLoop& loop, SofiaCallTable& calls)
    : config_(config), loop_(loop), calls_(calls) {}

std::string SofiaStack::open(su_root_t* root, nua_callback_f callback, nua_magic_t* magic) {
    const auto url = bindUrl(config_);
    const unsigned expires = config_.sessionExpiresSeconds;
    nua_ = nua_create(root, callback, magic, NUTAG_URL(url.c_str()),
                      SIPTAG_USER_AGENT_STR(config_.userAgent.c_str()),
                      // A bound on what one message may make sofia parse and keep (UDP
                      // datagrams are bounded anyway; a TCP stream is not).
                      NTATAG_MAXSIZE(config_.maxMessageBytes),
                      // sofia's defaults keep idle TCP connections and half-sent messages
                      // forever (UINT_MAX): one slow client per descriptor would do.
                      TPTAG_IDLE(config_.tcpIdleSeconds * 1000u),
                      TPTAG_TIMEOUT(config_.messageTimeoutSeconds * 1000u),
                      NUTAG_MEDIA_ENABLE(0),  // no soa: SDP is ours (AudioSdp)
                      NUTAG_AUTOANSWER(0), NUTAG_AUTOALERT(0), NUTAG_AUTOACK(1),
                      NUTAG_ENABLEINVITE(1), NUTAG_ENABLEMESSAGE(0),
                      // RFC 4028: the far end refreshes (re-INVITE or UPDATE, both answered
                      // here with our unchanged SDP); if it stops, sofia sends BYE before
                      // the session expires (§10) and the call ends like any other. When we
                      // must refresh (an outbound call whose callee lacks "timer"), sofia
                      // re-sends our INVITE with its offer: UPDATE would go to peers that may
                      // not allow it. Inbound callers without "timer" get no timer at all
                      // (SofiaInvites): sofia would refresh with an INVITE without SDP.
                      NUTAG_SESSION_TIMER(expires), NUTAG_MIN_SE(config_.minSessionExpiresSeconds),
                      NUTAG_SESSION_REFRESHER(nua_remote_refresher), NUTAG_UPDATE_REFRESH(0),
                      NUTAG_EARLY_MEDIA(0), NUTAG_ONLY183_100REL(0),
                      SIPTAG_SUPPORTED_STR(expires > 0 ? "timer" : ""),
                      // INFO (RFC 6086) only for DTMF digits, answered by us (SofiaInfo);
                      // with infoPerSecond 0 it is not allowed at all (sofia answers 405).
                      SIPTAG_ALLOW_STR(config_.infoPerSecond > 0
                                           ? "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO"
                                           : "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE"),
                      NUTAG_APPL_METHOD(static_cast<char const*>(nullptr)),
                      NUTAG_APPL_METHOD("INVITE"), NUTAG_APPL_METHOD("INFO"), TAG_END());
    if (!nua_) return "SIP: cannot listen on " + url;
    // The bound port (wanted when config.port is 0) comes back in nua_r_get_params.
    nua_get_params(nua_, TAG_ANY(), TAG_END());
    return "";
}

void SofiaStack::started(std::uint16_t boundPort) {
    port_ = boundPort;
    loop_.started(boundPort == 0 ? "SIP: could not learn the bound port" : "");
}

void SofiaStack::beginShutdown() {
    if (stopping_) return;
    stopping_ = true;
    calls_.endAllStopping();
    if (calls_.empty()) return finishShutdown();
    // Give the BYEs/CANCELs a moment to complete, then drop whatever is left.
    shutdownTimer_ = su_timer_create(su_root_task(loop_.root()), 2000);
    su_timer_set(shutdownTimer_, &SofiaStack::onShutdownTimer, this);
}

void SofiaStack::onShutdownTimer(su_root_magic_t*, su_timer_t*, su_timer_arg_t* arg) {
    static_cast<SofiaStack*>(arg)->finishShutdown();
}

void SofiaStack::finishShutdown() {
    if (shutdownSent_) return;
    shutdownSent_ = true;
    if (shutdownTimer_) {
        su_timer_destroy(shutdownTimer_);
        shutdownTimer_ = nullptr;
    }
    calls_.releaseAll();
    nua_shutdown(nua_);  // completes at once with no handles busy: nua_r_shutdown 200
}

void SofiaStack::close() {
    if (shutdownTimer_) {
        su_timer_destroy(shutdownTimer_);
        shutdownTimer_ = nullptr;
    }
    calls_.clear();
    nua_destroy(nua_);  // after nua_r_shutdown ≥200, which ended su_root_run
    nua_ = nullptr;
}

}  // namespace sb::sip
