#pragma once
// The voice API's calls over the SIP bridge (issue 4): outbound calls through the configured
// trunk, inbound calls from the trunk to configured numbers, and their progress reported to the
// VoiceService. What BXML does to such a call is SipBridgeMedia. Runs on the bridge's strand.

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "server/bridge/BridgeCalls.hpp"
#include "server/bridge/TransferLegs.hpp"
#include "server/bridge/Trunk.hpp"

namespace sb::bridge {

class VoiceCalls : public std::enable_shared_from_this<VoiceCalls> {
  public:
    // Makes the voice::CallMedia of the SIP call `sipId` (SipBridge's).
    using MediaFactory = std::function<std::shared_ptr<voice::CallMedia>(const std::string&)>;

    VoiceCalls(std::shared_ptr<BridgeCalls> calls, std::shared_ptr<Trunk> trunk,
               std::shared_ptr<TransferLegs> transfers)
        : calls_(std::move(calls)), trunk_(std::move(trunk)), transfers_(std::move(transfers)) {}
    // Set before calls start.
    void setMediaFactory(MediaFactory makeMedia) { makeMedia_ = std::move(makeMedia); }

    // voice::CallPlacer
    void place(const voice::Call& call);
    void cancel(const std::string& voiceCallId);

    // An outbound call (or transfer leg) answered, or failed for good.
    void onAnswered(const std::string& sipId, const sip::RemoteMedia& remote);
    void onFailed(const std::string& sipId, int status, const std::string& reason);
    void onRinging(const std::string& sipId);
    // An INVITE without a participant token: true when it was for one of the numbers (then it is
    // taken, or refused with a reason), false when the bridge should look further.
    bool onTrunkInvite(const sip::InboundInvite& invite);
    // The call ended: the voice API hears of it.
    void released(BridgeCall& call, const std::string& reason, bool hangupSip);

  private:
    std::shared_ptr<BridgeCalls> calls_;
    std::shared_ptr<Trunk> trunk_;
    std::shared_ptr<TransferLegs> transfers_;
    MediaFactory makeMedia_;
    std::map<std::string, std::string> voiceToSip_;  // voice call id → SIP endpoint call id
};

}  // namespace sb::bridge
