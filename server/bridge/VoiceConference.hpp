#pragma once
// conf (issue 9): the SIP side of BXML <Conference>. A member call becomes an audio participant,
// made for it, of the conference's WebRTC session, and its pipeline is attached the way a
// <Transfer> into a session attaches a phone (MediaOrchestrator::attachPhone: the room's remote
// publisher gets the phone's audio, rtp_forward brings it the session's streams). Phones of the
// conference then hear each other and the browsers of that session, and browsers hear them.
// The participant is deleted when the call leaves the room. Runs on the bridge's strand.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/bridge/BridgeCalls.hpp"
#include "server/voice/Conferences.hpp"

namespace sb::bridge {

// A voice call in a conference's room (a WebRTC session), as an audio participant made for it.
// Mute and hold act on the call's pipeline: muted, its audio is not sent to the room; on hold,
// also the room's streams are not mixed for it (it hears silence).
struct ConferenceLink {
    std::string accountId, sessionId, participantId;
    bool mute = false, hold = false;
    bool joined = false;                                     // attachPhone succeeded
    std::optional<CallAudioPipeline::Endpoint> room;         // the remote publisher's address
    std::vector<CallAudioPipeline::RoomStreamSpec> streams;  // what the room forwards now
    voice::CallMedia::Done joinedDone;
    std::function<void(std::string)> left;
};

class VoiceConference : public std::enable_shared_from_this<VoiceConference> {
  public:
    explicit VoiceConference(std::shared_ptr<BridgeCalls> calls) : calls_(std::move(calls)) {}

    // Conference rooms as WebRTC sessions of CallControl (ConferenceService creates and deletes
    // them).
    std::shared_ptr<voice::ConferenceRooms> rooms();
    void join(BridgeCall& call, const std::string& accountId, const std::string& sessionId,
              bool mute, bool hold, voice::CallMedia::Done joined,
              std::function<void(std::string)> left);
    void setAudio(BridgeCall& call, bool mute, bool hold);
    // Takes the call out of its conference room (detach, participant deleted); `why` as left()'s.
    void leave(BridgeCall& call, const std::string& why);

  private:
    void attached(const std::string& callId, const std::shared_ptr<ConferenceLink>& link,
                  const std::optional<media::PhoneJoinFailure>& error,
                  const media::PhoneEndpoint& janus);

    std::shared_ptr<BridgeCalls> calls_;
};

}  // namespace sb::bridge
