#pragma once
// The app's operations on calls, run on sofia's thread (SofiaUserAgent queues them there through
// SofiaLoop): answer an inbound INVITE with our SDP, reject it, dial (an INVITE with our SDP
// offer, and the timer that gives up on it), hang up. An operation on a call that is gone, or past
// the point where it applies, is ignored. The NUA events of calls: SofiaEvents.

#include <sofia-sip/su_wait.h>

#include <cstdint>
#include <string>

#include "server/sip/endpoint/SipEndpoint.hpp"
#include "server/sip/endpoint/SofiaCallTable.hpp"
#include "server/sip/endpoint/SofiaLoop.hpp"
#include "server/sip/endpoint/SofiaStack.hpp"
#include "server/sip/endpoint/SofiaUserAgent.hpp"

namespace sb::sip {

class SofiaCommands {
  public:
    SofiaCommands(const SipConfig& config, const SofiaUserAgent::Sink& sink, SofiaLoop& loop,
                  SofiaStack& stack, SofiaCallTable& calls);
    SofiaCommands(const SofiaCommands&) = delete;
    SofiaCommands& operator=(const SofiaCommands&) = delete;

    void answer(const std::string& callId, const LocalMedia& local);
    void reject(const std::string& callId, int status);
    void dial(const std::string& callId, const OutboundCall& out);
    void hangup(const std::string& callId);
    // On the caller's thread: onFailed(503) for a dial() that cannot run (the loop is not).
    void failNotRunning(const std::string& callId);

  private:
    static void onAnswerTimeout(su_root_magic_t* magic, su_timer_t* timer, su_timer_arg_t* arg);
    void answerTimedOut(SofiaCall& call);

    const SipConfig& config_;
    const SofiaUserAgent::Sink& sink_;
    SofiaLoop& loop_;
    SofiaStack& stack_;
    SofiaCallTable& calls_;
    std::uint64_t sdpSessionId_ = 0;  // o= sess-id of the last SDP we built
};

}  // namespace sb::sip
