#include "server/bridge/VoiceRooms.hpp"

#include "server/base/Log.hpp"

namespace sb::bridge {

void VoiceRooms::bridge(const std::string& originId, const std::string& targetId,
                        const voice::CallMedia::Done& connected,
                        std::function<void(bool targetLeft)> ended) {
    auto o = calls_->find(originId);
    auto t = calls_->find(targetId);
    if (!o) return connected(false, "the call ended");
    if (!t) return connected(false, "the target call has ended");
    auto& origin = *o;
    auto& target = *t;
    for (auto [call, who] :
         {std::pair<BridgeCall*, const char*>{&origin, "the call"}, {&target, "the target call"}}) {
        if (call->attached) return connected(false, std::string(who) + " is in a WebRTC session");
        if (call->transfer)
            return connected(false, std::string(who) + " is running a <Transfer> or <Forward>");
        if (call->bridged) return connected(false, std::string(who) + " is already bridged");
        if (call->legOf) return connected(false, std::string(who) + " is a transfer leg");
    }
    // The target's BXML is cancelled (Bandwidth): what it was playing stops.
    target.pipeline->stopPlayback();
    calls_->connectAudio(origin, target);
    auto link = std::make_shared<BridgeLink>();
    link->originId = originId;
    link->targetId = targetId;
    link->ended = std::move(ended);
    origin.bridged = link;
    target.bridged = link;
    base::log(base::LogLevel::Info, "sip: call " + originId + " bridged with " + targetId);
    connected(true, "");
}

void VoiceRooms::unbridge(BridgeCall& leaving) {
    auto link = std::exchange(leaving.bridged, nullptr);
    if (!link) return;
    BridgeCalls::disconnectAudio(leaving);
    const auto& peerId = leaving.id == link->originId ? link->targetId : link->originId;
    auto peer = calls_->find(peerId);
    if (peer && peer->bridged == link) {
        peer->bridged.reset();
        BridgeCalls::disconnectAudio(*peer);
    }
    base::log(base::LogLevel::Info, "sip: call " + leaving.id + " left its bridge with " + peerId);
    if (link->ended) std::exchange(link->ended, nullptr)(leaving.id == link->targetId);
}

}  // namespace sb::bridge
