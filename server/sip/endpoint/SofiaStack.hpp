#pragma once
// The NUA stack in sofia's loop: created with the endpoint's SIP settings (transports, message
// limits, session timers, the methods it takes: the tags in SofiaStack.cpp), the port it bound,
// and its orderly shutdown: every call is ended from our side, those ends get two seconds to
// complete, then nua_shutdown, whose completion ends the loop (SofiaEvents). Touched only on
// sofia's thread, except port().

#include <sofia-sip/nua.h>
#include <sofia-sip/su_wait.h>

#include <atomic>
#include <cstdint>
#include <string>

#include "server/sip/endpoint/SipEndpoint.hpp"
#include "server/sip/endpoint/SofiaCallTable.hpp"
#include "server/sip/endpoint/SofiaLoop.hpp"

namespace sb::sip {

class SofiaStack {
  public:
    SofiaStack(const SipConfig& config, SofiaLoop& loop, SofiaCallTable& calls);
    SofiaStack(const SofiaStack&) = delete;
    SofiaStack& operator=(const SofiaStack&) = delete;

    std::uint16_t port() const { return port_; }  // [any] 0 until started

    // Creates the stack on `root`, its events going to `callback` with `magic`, and asks it for
    // the bound port (reported with started()). Returns "" or why it could not.
    std::string open(su_root_t* root, nua_callback_f callback, nua_magic_t* magic);
    void started(std::uint16_t boundPort);  // the loop's start completes
    nua_t* nua() const { return nua_; }
    bool stopping() const { return stopping_; }
    void beginShutdown();
    void finishShutdown();  // at once, or when the last call is gone
    void close();           // after the loop ended: destroys the stack

  private:
    static void onShutdownTimer(su_root_magic_t* magic, su_timer_t* timer, su_timer_arg_t* arg);

    const SipConfig& config_;
    SofiaLoop& loop_;
    SofiaCallTable& calls_;
    std::atomic<std::uint16_t> port_{0};
    nua_t* nua_ = nullptr;
    bool stopping_ = false;
    bool shutdownSent_ = false;
    su_timer_t* shutdownTimer_ = nullptr;
};

}  // namespace sb::sip
