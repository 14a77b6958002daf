#pragma once
// One SIP call of the bridge: its audio pipeline and what it is connected to. The parts of the
// bridge (BridgeCalls, SessionCalls, VoiceCalls, TransferLegs, VoiceRooms, VoiceConference) each
// own one kind of link; the call only points at it. Private to server/bridge.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "server/bridge/BridgeCallSink.hpp"
#include "server/sip/endpoint/SipEndpoint.hpp"
#include "server/sip/media/CallAudioPipeline.hpp"
#include "server/voice/CallMedia.hpp"

namespace sb::bridge {

struct ConferenceLink;  // VoiceConference.hpp
struct BridgeLink;      // VoiceRooms.hpp
struct Transfer;        // TransferLegs.hpp

struct BridgeCall {
    std::string id;  // the SIP endpoint's call id
    std::string accountId, participantId;
    bool inbound = true;
    std::string voiceCallId;  // set for calls of the voice API
    std::shared_ptr<voice::CallMedia> media;
    std::function<void()> onLeftSession;  // a BXML <Transfer> into a session waits for this
    std::shared_ptr<sip::media::CallAudioPipeline> pipeline;
    sip::RemoteMedia remote;  // an inbound call's offer: the codec and event PT to answer with
    std::shared_ptr<BridgeCallSink> sink;
    bool attached = false;                // its audio is a participant's in a WebRTC session
    std::shared_ptr<Transfer> transfer;   // A-leg: the <Transfer> out of this server it is running
    std::shared_ptr<Transfer> legOf;      // B-leg: the transfer it was dialed for ...
    std::size_t legIndex = 0;             // ... as this target
    std::shared_ptr<BridgeLink> bridged;  // rooms: the <Bridge> this call is in
    std::vector<std::string> diversion;  // info: an inbound call's Diversion values (for <Forward>)
    std::shared_ptr<ConferenceLink> conference;  // conf: the conference room it is in or joining
};

}  // namespace sb::bridge
