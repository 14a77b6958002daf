#pragma once
// BXML <Transfer> to destinations outside this server (a PhoneNumber, or a SipUri of another
// host): B-legs dialed through the trunk, and the A-leg's audio connected to the one that answers
// (BridgeCalls::connectAudio). Runs on the bridge's strand.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/bridge/BridgeCalls.hpp"
#include "server/bridge/Trunk.hpp"

namespace sb::bridge {

// One <Transfer> out of this server: one B-leg per target, dialed through the trunk at once; the
// first to answer is bridged to the A-leg, the others are cancelled. `done` runs once every B-leg
// has ended.
struct Transfer {
    std::string aLegId;
    std::vector<std::string> legIds;  // SIP call id per target; empty when it could not be dialed
    std::vector<bool> settled;        // the leg's outcome is final (cancelled by us, or failed)
    std::size_t open = 0;             // legs dialed and not yet ended
    std::optional<std::size_t> bridged;
    voice::TransferOutcome outcome;
    std::function<void(std::size_t)> answered;
    std::function<void(std::size_t, const voice::TransferLegResult&)> legEnded;  // may be empty
    std::function<void(voice::TransferOutcome)> done;
};

class TransferLegs {
  public:
    TransferLegs(std::shared_ptr<BridgeCalls> calls, std::shared_ptr<Trunk> trunk)
        : calls_(std::move(calls)), trunk_(std::move(trunk)) {}

    void transferOut(BridgeCall& aLeg, const voice::TransferRequest& request,
                     std::function<void(std::size_t)> answered,
                     std::function<void(voice::TransferOutcome)> done);
    void onLegAnswered(const std::shared_ptr<BridgeCall>& leg, const sip::RemoteMedia& remote);
    // A B-leg ended (`cause` as TransferLegResult's): its transfer ends once all its legs have.
    void legEnded(BridgeCall& leg, const std::string& cause, const std::string& errorMessage);
    // The A-leg's transfer is stopped: its B-legs are hung up.
    void stop(BridgeCall& aLeg, const std::string& reason);
    // The call ended, as an A-leg or a B-leg.
    void released(BridgeCall& call);

  private:
    void hangUpLegs(const std::shared_ptr<Transfer>& transfer, const std::string& cause,
                    const std::string& reason);

    std::shared_ptr<BridgeCalls> calls_;
    std::shared_ptr<Trunk> trunk_;
};

}  // namespace sb::bridge
