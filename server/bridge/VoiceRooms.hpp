#pragma once
// rooms: the SIP side of BXML <Bridge>. Two answered voice calls are wired to each other exactly
// as a <Transfer> wires an A-leg to its B-leg (BridgeCalls::connectAudio): each phone's relay
// sends to the other call's room port, so each phone gets audio timed on its own leg's clock,
// and digits are regenerated towards the other side. Runs on the bridge's strand.

#include <functional>
#include <memory>
#include <string>

#include "server/bridge/BridgeCalls.hpp"

namespace sb::bridge {

// Two voice calls whose audio is connected by <Bridge>; both calls hold it.
struct BridgeLink {
    std::string originId, targetId;              // SIP call ids
    std::function<void(bool targetLeft)> ended;  // run once, by whichever leaves first
};

class VoiceRooms {
  public:
    explicit VoiceRooms(std::shared_ptr<BridgeCalls> calls) : calls_(std::move(calls)) {}

    void bridge(const std::string& originId, const std::string& targetId,
                const voice::CallMedia::Done& connected, std::function<void(bool)> ended);
    // The call leaves its <Bridge> (if in one); the other call is disconnected too.
    void unbridge(BridgeCall& leaving);

  private:
    std::shared_ptr<BridgeCalls> calls_;
};

}  // namespace sb::bridge
