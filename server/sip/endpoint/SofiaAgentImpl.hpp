#pragma once
// Internal to server/sip/endpoint: SofiaUserAgent::Impl, the only place that sees sofia's types.
// Members marked [sofia] are touched only on sofia's thread; [any] ones are thread-safe.

#include <sofia-sip/nua.h>
#include <sofia-sip/su_wait.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "server/sip/endpoint/AudioSdp.hpp"
#include "server/sip/endpoint/SofiaUserAgent.hpp"

namespace sb::sip {

class SofiaUserAgent::Impl {
  public:
    struct Call {
        std::string id;
        nua_handle_t* nh = nullptr;
        bool inbound = false;
        bool answered = false;  // inbound: 200 sent; outbound: 200 received
        bool live = true;       // the app still hears about it (counted in activeCalls)
        bool ringingReported = false;
        bool endSent = false;         // we sent BYE/CANCEL/final response to end it
        std::string remoteEnd;        // "bye" / "cancel" once the far end sent one
        su_timer_t* timer = nullptr;  // outbound answer timeout
        std::vector<G711> offered;    // inbound: G.711 codecs of the offer
        int offeredTelephoneEventPt = -1;
        std::string localSdp;        // what we sent (answer, or offer), for re-INVITEs
        AudioSdpParams localParams;  // what localSdp was built from
        std::uint64_t localVersion = 1;
        RemoteMedia remote;  // the far end's media as last described
        // info (SofiaInfo.cpp): the INFO rate limit's token bucket, and the CSeq of the last
        // INFO whose digit was reported (a second request with it is not a second key press).
        double infoTokens = -1;  // < 0: not started
        std::chrono::steady_clock::time_point infoRefilled;
        std::uint32_t lastDigitCSeq = 0;
        bool digitSeen = false;
    };

    Impl(SipConfig config, Sink sink);
    ~Impl();

    // [any]
    void start();
    void stop();
    bool post(std::function<void()> fn);             // false when sofia's thread is not running
    void failNotRunning(const std::string& callId);  // onFailed(503) for a dial() that can't run
    std::string newCallId();
    std::atomic<std::uint16_t> port{0};
    std::atomic<std::size_t> active{0};

    // [sofia] call operations (SofiaCalls.cpp)
    void doAnswer(const std::string& callId, const LocalMedia& local);
    void doReject(const std::string& callId, int status);
    void doDial(const std::string& callId, const OutboundCall& call);
    void doHangup(const std::string& callId);

  private:
    // [sofia] lifecycle (SofiaUserAgent.cpp)
    void threadMain();
    void beginShutdown();
    void finishShutdown();
    void drainQueue();
    static void onWakeup(su_root_magic_t* magic, su_msg_r msg, su_msg_arg_t* arg);
    static void onShutdownTimer(su_root_magic_t* magic, su_timer_t* timer, su_timer_arg_t* arg);
    void onStarted(std::uint16_t boundPort);

    // [sofia] NUA events (SofiaEvents.cpp)
    static void onNuaEvent(nua_event_t event, int status, char const* phrase, nua_t* nua,
                           nua_magic_t* magic, nua_handle_t* nh, nua_hmagic_t* hmagic,
                           sip_t const* sip, tagi_t tags[]);
    void onEvent(nua_event_t event, int status, char const* phrase, nua_handle_t* nh, Call* call,
                 sip_t const* sip, tagi_t tags[]);
    void onIncomingInvite(nua_handle_t* nh, Call* call, sip_t const* sip);
    void onReInvite(nua_handle_t* nh, Call& call, sip_t const* sip);
    void onInviteResponse(int status, Call* call, sip_t const* sip);
    void onTerminated(nua_handle_t* nh, Call* call, int status, char const* phrase);
    void onInfo(nua_handle_t* nh, Call* call, sip_t const* sip);  // info (SofiaInfo.cpp)
    bool takeInfoToken(Call& call);
    static void onAnswerTimeout(su_root_magic_t* magic, su_timer_t* timer, su_timer_arg_t* arg);
    // [sofia] a call's bookkeeping (SofiaCalls.cpp)
    Call* find(const std::string& callId);
    void retire(Call& call);  // live → false
    void endLocally(Call& call, bool stopping);
    void release(Call& call);  // unbind, destroy handle and timer, erase

    const SipConfig config_;
    const Sink sink_;
    const std::string idPrefix_;
    std::atomic<std::uint64_t> nextId_{1};

    std::mutex mutex_;  // guards the fields below, and the root's lifetime for post()
    std::condition_variable started_;
    bool running_ = false;
    bool startDone_ = false;
    std::string startError_;
    bool wakeupPending_ = false;
    std::deque<std::function<void()>> queue_;
    su_root_t* root_ = nullptr;

    std::thread thread_;
    std::mutex stopMutex_;  // serialises stop(): joins the thread once
    std::atomic<bool> stopRequested_{false};

    // [sofia]
    nua_t* nua_ = nullptr;
    bool stopping_ = false;
    bool shutdownSent_ = false;
    su_timer_t* shutdownTimer_ = nullptr;
    std::uint64_t sdpSessionId_ = 0;
    std::unordered_map<std::string, std::unique_ptr<Call>> calls_;
};

}  // namespace sb::sip
