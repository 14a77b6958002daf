#pragma once
// The sofia-sip side of SipEndpoint: owns the thread that runs sofia's event loop (su_root) and
// the NUA stack in it, and the calls. Nothing here touches asio: events go out through a Sink
// whose functions are called on sofia's thread (SipEndpoint posts them to its executor).
//
// The parts, all in SofiaUserAgent.cpp's Impl (the only place that wires them):
//   SofiaLoop       sofia's thread and su_root, the command queue into it (how commands get there)
//   SofiaStack      the NUA stack: its settings, the bound port, the orderly shutdown
//   SofiaCallTable  the calls (SofiaCall) by our id, their handles, ids and live count
//   SofiaCommands   the app's operations on calls: answer, reject, dial, hang up
//   SofiaEvents     NUA's callback: events to the parts below, and the ends of calls
//   SofiaInvites    INVITEs in (new calls, re-INVITEs) and the responses to ours
//   SofiaInfo       INFO requests carrying DTMF digits

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
        std::function<void(std::string callId, char digit)> digit;  // info (SofiaInfo)
        std::function<void(SipDialog dialog)> confirmed;
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

  private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sb::sip
