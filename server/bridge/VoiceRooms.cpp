// rooms: the SIP side of BXML <Bridge>. Two answered voice calls are wired to each other exactly
// as a <Transfer> wires an A-leg to its B-leg (TransferLegs.cpp, connectAudio): each phone's
// relay sends to the other call's room port, so each phone gets audio timed on its own leg's
// clock, and digits are regenerated towards the other side.

#include "server/bridge/BridgeCall.hpp"
#include "server/bridge/SipBridge.hpp"

namespace sb::bridge {

void SipBridge::bridgeCalls(const std::string& originId, const std::string& targetId,
                            const voice::CallMedia::Done& connected,
                            std::function<void(bool targetLeft)> ended) {
    auto o = active_.find(originId);
    auto t = active_.find(targetId);
    if (o == active_.end()) return connected(false, "the call ended");
    if (t == active_.end()) return connected(false, "the target call has ended");
    auto& origin = *o->second;
    auto& target = *t->second;
    for (auto [call, who] :
         {std::pair<Call*, const char*>{&origin, "the call"}, {&target, "the target call"}}) {
        if (call->attached) return connected(false, std::string(who) + " is in a WebRTC session");
        if (call->transfer)
            return connected(false, std::string(who) + " is running a <Transfer> or <Forward>");
        if (call->bridged) return connected(false, std::string(who) + " is already bridged");
        if (call->legOf) return connected(false, std::string(who) + " is a transfer leg");
    }
    // The target's BXML is cancelled (Bandwidth): what it was playing stops.
    target.pipeline->stopPlayback();
    connectAudio(origin, target);
    auto link = std::make_shared<BridgeLink>();
    link->originId = originId;
    link->targetId = targetId;
    link->ended = std::move(ended);
    origin.bridged = link;
    target.bridged = link;
    base::log(base::LogLevel::Info, "sip: call " + originId + " bridged with " + targetId);
    connected(true, "");
}

void SipBridge::unbridge(Call& leaving) {
    auto link = std::exchange(leaving.bridged, nullptr);
    if (!link) return;
    auto disconnect = [](Call& c) {
        c.pipeline->setJanusRemote(std::nullopt);
        c.pipeline->setRoomStreams({});
        c.pipeline->onDigit(nullptr);
    };
    disconnect(leaving);
    const auto& peerId = leaving.id == link->originId ? link->targetId : link->originId;
    auto it = active_.find(peerId);
    if (it != active_.end() && it->second->bridged == link) {
        it->second->bridged.reset();
        disconnect(*it->second);
    }
    base::log(base::LogLevel::Info, "sip: call " + leaving.id + " left its bridge with " + peerId);
    if (link->ended) std::exchange(link->ended, nullptr)(leaving.id == link->targetId);
}

void SipBridge::answerForwarded(Call& call) {
    // As Media::answer: the codec and event payload type chosen from the caller's offer (newCall).
    sip::LocalMedia local;
    local.address = config_.rtpAddress;
    local.port = call.pipeline->phonePort();
    local.codec = call.remote.codec;
    local.telephoneEventPt = call.remote.telephoneEventPt;
    endpoint_->answer(call.id, local);
    call.pipeline->start();
}

}  // namespace sb::bridge
