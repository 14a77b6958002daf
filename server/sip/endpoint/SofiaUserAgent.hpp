#pragma once
// The sofia-sip side of SipEndpoint: owns the thread that runs sofia's event loop (su_root) and
// the NUA stack in it, and the calls. Nothing here touches asio: events go out through a Sink
// whose functions are called on sofia's thread (SipEndpoint posts them to its executor).
//
// Marshalling into sofia's thread: commands (answer, dial…) are closures put in a mutex-protected
// queue; the first closure put in an empty queue also sends an su_msg to the root's task, which
// sofia delivers in its thread (su_msg_send() onto another task's port is sofia's own
// cross-thread mechanism: the port's message queue is locked and the loop is woken through its
// mailbox socket). The message's handler drains the queue. The NUA stack runs in the same thread
// as our callback (su_root_threading(root, 0)), so there is exactly one sofia thread.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "server/sip/endpoint/SipEndpoint.hpp"

namespace sb::sip {

class SofiaUserAgent {
  public:
    struct Sink {  // called on sofia's thread
        std::function<void(InboundInvite)> invite;
        std::function<void(std::string callId, RemoteMedia)> answered;
        std::function<void(std::string callId)> ringing;
        std::function<void(std::string callId, int status, std::string reason)> failed;
        std::function<void(std::string callId, std::string reason)> ended;
        std::function<void(std::string callId, RemoteMedia)> mediaChanged;
        std::function<void(std::string callId, char digit)> digit;  // info (SofiaInfo.cpp)
    };

    SofiaUserAgent(SipConfig config, Sink sink);
    ~SofiaUserAgent();  // stop()
    SofiaUserAgent(const SofiaUserAgent&) = delete;
    SofiaUserAgent& operator=(const SofiaUserAgent&) = delete;

    void start();  // throws std::runtime_error when sofia cannot bind
    void stop();   // blocking, idempotent; the sink is not called after it returns
    std::uint16_t port() const;
    std::string newCallId();  // unique within the process

    // Thread-safe; run on sofia's thread.
    void answer(std::string callId, LocalMedia local);
    void reject(std::string callId, int status);
    void dial(std::string callId, OutboundCall call);
    void hangup(std::string callId);
    std::size_t activeCalls() const;

    class Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

}  // namespace sb::sip
