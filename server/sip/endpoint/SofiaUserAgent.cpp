// Lifecycle of sofia's thread, the command queue into it, and the forwarding public methods.
// Call handling is in SofiaEvents.cpp (NUA events) and SofiaCalls.cpp (the app's operations).

#include <sofia-sip/nta_tag.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/su_log.h>
#include <sofia-sip/su_tag.h>
#include <sofia-sip/tport_tag.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <stdexcept>

#include "server/sip/endpoint/SofiaAgentImpl.hpp"

namespace sb::sip {

namespace {

// sofia logs to stderr through su_log, per module (SOFIA_DEBUG, NUA_DEBUG, NTA_DEBUG,
// TPORT_DEBUG = 0…9; TPORT_LOG=1 dumps every SIP message). Unless SOFIA_DEBUG asks for more,
// only its level-0 (fatal) messages are printed: bind failures etc. reach us as errors anyway.
void initSofiaOnce() {
    static std::once_flag once;
    std::call_once(once, [] {
        su_init();  // process-wide: thread-safe allocators, SIGPIPE ignored
        if (!std::getenv("SOFIA_DEBUG")) su_log_set_level(su_log_default, 0);
    });
}

std::string randomPrefix() {
    std::random_device rd;
    std::uniform_int_distribution<std::uint32_t> dist;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", dist(rd));
    return buf;
}

std::string bindUrl(const SipConfig& c) {
    // Port "*" makes tport pick an ephemeral port, the same one for every transport.
    std::string url = "sip:" + c.bindAddress + ":" + (c.port == 0 ? "*" : std::to_string(c.port));
    // Without a transport parameter a sip: URL binds UDP and TCP (and SCTP in a sofia built
    // with it; Debian's is not: `ss -lunpt` shows UDP and TCP only). A list ("udp,tcp") must not
    // be used: sofia-sip 1.12.11 keeps it in an out-of-scope array and crashes (fixed upstream
    // in 1.13, commit fe970bc).
    if (!(c.udp && c.tcp)) url += c.udp ? ";transport=udp" : ";transport=tcp";
    return url;
}

}  // namespace

SofiaUserAgent::Impl::Impl(SipConfig config, Sink sink)
    : config_(std::move(config)), sink_(std::move(sink)), idPrefix_(randomPrefix()) {
    sdpSessionId_ = static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch() /
                                               std::chrono::seconds(1));
}

SofiaUserAgent::Impl::~Impl() {
    stop();
}

std::string SofiaUserAgent::Impl::newCallId() {
    return "sip-" + idPrefix_ + "-" + std::to_string(nextId_.fetch_add(1));
}

void SofiaUserAgent::Impl::start() {
    if (!config_.udp && !config_.tcp) throw std::runtime_error("SIP: no transport enabled");
    if (thread_.joinable() || stopRequested_) {
        throw std::logic_error("SIP endpoint: start() once, before stop()");
    }
    thread_ = std::thread([this] { threadMain(); });
    std::unique_lock<std::mutex> lock(mutex_);
    if (!started_.wait_for(lock, std::chrono::seconds(10), [this] { return startDone_; })) {
        startError_ = "sofia-sip did not start within 10 s";
    }
    if (!startError_.empty()) {
        auto error = startError_;
        lock.unlock();
        stop();
        throw std::runtime_error(error);
    }
}

void SofiaUserAgent::Impl::stop() {
    std::lock_guard<std::mutex> once(stopMutex_);  // a second caller waits for the first
    stopRequested_ = true;
    if (!thread_.joinable()) return;
    post([this] { beginShutdown(); });
    thread_.join();
}

bool SofiaUserAgent::Impl::post(std::function<void()> fn) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!running_) return false;
    queue_.push_back(std::move(fn));
    if (!wakeupPending_) {
        // Sent under the lock: the thread clears running_ under it before destroying the root.
        su_msg_r msg = SU_MSG_R_INIT;
        if (su_msg_create(msg, su_root_task(root_), su_task_null, &Impl::onWakeup, 0) == 0 &&
            su_msg_send(msg) == 0) {
            wakeupPending_ = true;
        }
    }
    return true;
}

void SofiaUserAgent::Impl::onWakeup(su_root_magic_t* magic, su_msg_r, su_msg_arg_t*) {
    static_cast<Impl*>(magic)->drainQueue();
}

void SofiaUserAgent::Impl::drainQueue() {
    std::deque<std::function<void()>> batch;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        batch.swap(queue_);
        wakeupPending_ = false;
    }
    for (auto& fn : batch) fn();
}

void SofiaUserAgent::Impl::threadMain() {
    initSofiaOnce();
    auto fail = [this](std::string why) {
        std::lock_guard<std::mutex> lock(mutex_);
        startError_ = std::move(why);
        startDone_ = true;
        started_.notify_all();
    };
    su_root_t* root = su_root_create(this);
    if (!root) return fail("SIP: su_root_create failed");
    su_root_threading(root, 0);  // run the NUA stack in this thread too

    const auto url = bindUrl(config_);
    const unsigned expires = config_.sessionExpiresSeconds;
    nua_ = nua_create(root, &Impl::onNuaEvent, this, NUTAG_URL(url.c_str()),
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
                      // (SofiaEvents.cpp): sofia would refresh with an INVITE without SDP.
                      NUTAG_SESSION_TIMER(expires), NUTAG_MIN_SE(config_.minSessionExpiresSeconds),
                      NUTAG_SESSION_REFRESHER(nua_remote_refresher), NUTAG_UPDATE_REFRESH(0),
                      NUTAG_EARLY_MEDIA(0), NUTAG_ONLY183_100REL(0),
                      SIPTAG_SUPPORTED_STR(expires > 0 ? "timer" : ""),
                      // INFO (RFC 6086) only for DTMF digits, answered by us (SofiaInfo.cpp);
                      // with infoPerSecond 0 it is not allowed at all (sofia answers 405).
                      SIPTAG_ALLOW_STR(config_.infoPerSecond > 0
                                           ? "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO"
                                           : "INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE"),
                      NUTAG_APPL_METHOD(static_cast<char const*>(nullptr)),
                      NUTAG_APPL_METHOD("INVITE"), NUTAG_APPL_METHOD("INFO"), TAG_END());
    if (!nua_) {
        su_root_destroy(root);
        return fail("SIP: cannot listen on " + url);
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        root_ = root;
        running_ = true;
    }
    // The bound port (wanted when config.port is 0) comes back in nua_r_get_params.
    nua_get_params(nua_, TAG_ANY(), TAG_END());
    // stop() may have run before running_ was set (start() timed out): its post() was refused.
    if (stopRequested_) post([this] { beginShutdown(); });

    su_root_run(root);

    {
        std::lock_guard<std::mutex> lock(mutex_);
        running_ = false;
        root_ = nullptr;
        queue_.clear();
        if (!startDone_) {
            startError_ = "SIP: stopped before start completed";
            startDone_ = true;
            started_.notify_all();
        }
    }
    if (shutdownTimer_) {
        su_timer_destroy(shutdownTimer_);
        shutdownTimer_ = nullptr;
    }
    for (auto& entry : calls_) {
        if (entry.second->timer) su_timer_destroy(entry.second->timer);
    }
    calls_.clear();
    nua_destroy(nua_);  // after nua_r_shutdown ≥200, which ended su_root_run
    nua_ = nullptr;
    su_root_destroy(root);
}

void SofiaUserAgent::Impl::onStarted(std::uint16_t boundPort) {
    port = boundPort;
    std::lock_guard<std::mutex> lock(mutex_);
    if (boundPort == 0) startError_ = "SIP: could not learn the bound port";
    startDone_ = true;
    started_.notify_all();
}

void SofiaUserAgent::Impl::beginShutdown() {
    if (stopping_) return;
    stopping_ = true;
    for (auto& entry : calls_) endLocally(*entry.second, true);
    if (calls_.empty()) return finishShutdown();
    // Give the BYEs/CANCELs a moment to complete, then drop whatever is left.
    shutdownTimer_ = su_timer_create(su_root_task(root_), 2000);
    su_timer_set(shutdownTimer_, &Impl::onShutdownTimer, this);
}

void SofiaUserAgent::Impl::onShutdownTimer(su_root_magic_t* magic, su_timer_t*, su_timer_arg_t*) {
    static_cast<Impl*>(magic)->finishShutdown();
}

void SofiaUserAgent::Impl::finishShutdown() {
    if (shutdownSent_) return;
    shutdownSent_ = true;
    if (shutdownTimer_) {
        su_timer_destroy(shutdownTimer_);
        shutdownTimer_ = nullptr;
    }
    while (!calls_.empty()) release(*calls_.begin()->second);
    nua_shutdown(nua_);  // completes at once with no handles busy: nua_r_shutdown 200
}

// SofiaUserAgent: forwarding

SofiaUserAgent::SofiaUserAgent(SipConfig config, Sink sink)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(sink))) {}

SofiaUserAgent::~SofiaUserAgent() = default;

void SofiaUserAgent::start() {
    impl_->start();
}
void SofiaUserAgent::stop() {
    impl_->stop();
}
std::uint16_t SofiaUserAgent::port() const {
    return impl_->port;
}
std::string SofiaUserAgent::newCallId() {
    return impl_->newCallId();
}
std::size_t SofiaUserAgent::activeCalls() const {
    return impl_->active;
}

void SofiaUserAgent::answer(std::string callId, LocalMedia local) {
    impl_->post([impl = impl_.get(), callId = std::move(callId), local = std::move(local)] {
        impl->doAnswer(callId, local);
    });
}

void SofiaUserAgent::reject(std::string callId, int status) {
    impl_->post([impl = impl_.get(), callId = std::move(callId), status] {
        impl->doReject(callId, status);
    });
}

void SofiaUserAgent::dial(std::string callId, OutboundCall call) {
    auto id = callId;
    const bool queued = impl_->post([impl = impl_.get(), callId = std::move(callId),
                                     call = std::move(call)] { impl->doDial(callId, call); });
    if (!queued) impl_->failNotRunning(id);
}

void SofiaUserAgent::hangup(std::string callId) {
    impl_->post([impl = impl_.get(), callId = std::move(callId)] { impl->doHangup(callId); });
}

}  // namespace sb::sip
