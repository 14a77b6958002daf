#pragma once
// The calls of the sofia side by our call id, from the INVITE to the release of their NUA handle,
// and the ids and live count the app sees. A call is live while the app still hears about it;
// once retired it waits for NUA to finish it (nua_i_state terminated, SofiaEvents), and is
// released then. Members marked [sofia] are touched only on sofia's thread; [any] ones are
// thread-safe.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "server/sip/endpoint/SofiaCall.hpp"

namespace sb::sip {

class SofiaCallTable {
  public:
    SofiaCallTable();
    SofiaCallTable(const SofiaCallTable&) = delete;
    SofiaCallTable& operator=(const SofiaCallTable&) = delete;

    // [any]
    std::string newCallId();  // unique within the process
    std::size_t active() const { return active_; }

    // [sofia]
    SofiaCall* find(const std::string& callId);
    bool empty() const { return calls_.empty(); }
    // Binds the call's handle to it and counts it as live.
    SofiaCall& add(std::unique_ptr<SofiaCall> owned);
    void retire(SofiaCall& call);  // live → false
    // Retires the call and sends, once, what ends it from our side in its state.
    void endLocally(SofiaCall& call, bool stopping);
    void endAllStopping();          // endLocally(…, true) for every call
    void release(SofiaCall& call);  // unbind, destroy handle and timer, erase
    void releaseAll();
    // After sofia's loop ended: the timers are destroyed and the calls dropped (their handles
    // go with nua_destroy).
    void clear();

  private:
    const std::string idPrefix_;
    std::atomic<std::uint64_t> nextId_{1};
    std::atomic<std::size_t> active_{0};
    std::unordered_map<std::string, std::unique_ptr<SofiaCall>> calls_;  // [sofia]
};

}  // namespace sb::sip
