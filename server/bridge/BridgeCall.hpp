#pragma once
// SipBridge's per-call state and its PhoneSink, shared by the files of server/bridge that hold
// SipBridge's members (SipBridge.cpp, VoiceCalls.cpp, SipBridgeMedia.cpp, TransferLegs.cpp, …).
// Private to server/bridge.

#include <boost/asio/post.hpp>

#include "server/base/Log.hpp"
#include "server/bridge/SipBridge.hpp"

namespace sb::bridge {

namespace asio = boost::asio;
using sip::media::CallAudioPipeline;

struct SipBridge::Call {
    std::string id;  // the SIP endpoint's call id
    std::string accountId, participantId;
    bool inbound = true;
    std::string voiceCallId;  // set for calls of the voice API
    std::shared_ptr<voice::CallMedia> media;
    std::function<void()> onLeftSession;  // a BXML <Transfer> into a session waits for this
    std::shared_ptr<CallAudioPipeline> pipeline;
    sip::RemoteMedia remote;  // an inbound call's offer: the codec and event PT to answer with
    std::shared_ptr<Sink> sink;
    bool attached = false;
    std::shared_ptr<Transfer> transfer;   // A-leg: the <Transfer> out of this server it is running
    std::shared_ptr<Transfer> legOf;      // B-leg: the transfer it was dialed for ...
    std::size_t legIndex = 0;             // ... as this target
    std::shared_ptr<BridgeLink> bridged;  // rooms: the <Bridge> this call is in (VoiceRooms.cpp)
    std::vector<std::string> diversion;  // info: an inbound call's Diversion values (for <Forward>)
    std::shared_ptr<ConferenceLink> conference;  // conf: the conference room it is in or joining
};

// conf (VoiceConference.cpp): a voice call in a conference's room (a WebRTC session), as an audio
// participant made for it. Mute and hold act on the call's pipeline: muted, its audio is not sent
// to the room; on hold, also the room's streams are not mixed for it (it hears silence).
struct SipBridge::ConferenceLink {
    std::string accountId, sessionId, participantId;
    bool mute = false, hold = false;
    bool joined = false;                                     // attachPhone succeeded
    std::optional<CallAudioPipeline::Endpoint> room;         // the remote publisher's address
    std::vector<CallAudioPipeline::RoomStreamSpec> streams;  // what the room forwards now
    voice::CallMedia::Done joinedDone;
    std::function<void(std::string)> left;
};

// rooms: two voice calls whose audio is connected by <Bridge>; both calls hold it.
struct SipBridge::BridgeLink {
    std::string originId, targetId;              // SIP call ids
    std::function<void(bool targetLeft)> ended;  // run once, by whichever leaves first
};

// A BXML <Transfer> to destinations outside this server: one B-leg per target, dialed through the
// trunk at once; the first to answer is bridged to the A-leg, the others are cancelled. `done`
// runs once every B-leg has ended.
struct SipBridge::Transfer {
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

// Receives the orchestration's decisions for one call; hops onto the bridge's strand.
class SipBridge::Sink : public media::PhoneSink {
  public:
    Sink(std::weak_ptr<SipBridge> bridge, std::string callId)
        : bridge_(std::move(bridge)), callId_(std::move(callId)) {}
    void forwardsChanged(const std::vector<media::ForwardedStream>& streams) override {
        auto bridge = bridge_.lock();
        if (!bridge) return;
        std::vector<CallAudioPipeline::RoomStreamSpec> specs;
        for (const auto& s : streams) {
            auto codec = sip::media::codecFromName(s.codec);
            if (!codec) continue;  // not audio we can decode (never happens for audio tracks)
            specs.push_back({s.ssrc, *codec, static_cast<std::uint8_t>(s.payloadType)});
        }
        asio::post(bridge->strand_, [bridge, id = callId_, specs = std::move(specs)]() mutable {
            auto it = bridge->active_.find(id);
            if (it == bridge->active_.end()) return;
            if (auto& conf = it->second->conference) {  // conf: a member on hold hears nothing
                conf->streams = specs;
                if (conf->hold) return;
            }
            it->second->pipeline->setRoomStreams(std::move(specs));
        });
    }
    void sendDtmf(const std::string& tones) override {
        auto bridge = bridge_.lock();
        if (!bridge) return;
        asio::post(bridge->strand_, [bridge, id = callId_, tones] {
            auto it = bridge->active_.find(id);
            if (it == bridge->active_.end()) return;
            try {
                it->second->pipeline->sendDtmf(tones);
            } catch (const std::exception& e) {
                base::log(base::LogLevel::Warn,
                          "sip: call " + id + ": cannot send DTMF: " + e.what());
            }
        });
    }
    void endPhone(const std::string& reason) override {
        auto bridge = bridge_.lock();
        if (!bridge) return;
        asio::post(bridge->strand_, [bridge, id = callId_, reason] {
            // conf: a conference member whose room's media went away leaves the conference (its
            // BXML decides what happens to the call) instead of being hung up.
            auto it = bridge->active_.find(id);
            if (it != bridge->active_.end() && it->second->conference)
                return bridge->leaveConference(*it->second, "the room's media ended: " + reason);
            bridge->end(id, reason, true);
        });
    }

  private:
    std::weak_ptr<SipBridge> bridge_;
    std::string callId_;
};

}  // namespace sb::bridge
