#pragma once
// What media tells the parts above it, as typed values: signaling turns them into JSON-RPC
// (server/signaling), the SIP bridge into RTP routing. Media never builds a wire message.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "server/state/Model.hpp"

namespace sb::media {

// One stream a device publishes or receives (reference §2.3 "streamMetadata" entry), by msid.
struct StreamInfo {
    std::string endpointId;  // the stream's msid
    std::string participantId;
    std::optional<std::string> alias;
    std::vector<std::string> mediaTypes;  // "AUDIO", "VIDEO", in order of first appearance
};
using StreamMetadata = std::map<std::string, StreamInfo>;

// Janus's answer to a device's publish offer, fitted to the browser's offer.
struct PublishAnswer {
    std::string endpointId;
    std::string sdp;
    StreamMetadata metadata;
};

// The streams a device receives changed: a new subscriber offer for it to answer.
struct StreamsOffer {
    std::string endpointId;
    std::string sdp;
    int revision = 0;
    StreamMetadata metadata;
};

// A phone's digit, heard by a device that receives the phone's audio.
struct HeardDtmf {
    std::string participantId;
    std::string tone;
    std::string endpointId;
};

// A received stream's state (docs/protocol.md "Remote mute and active speaker"): its audio or
// video muted or unmuted by its publisher (Muted), or its audio speaking or silent as the media
// server's audio levels say (Speaking).
struct StreamNotice {
    enum class Kind { Muted, Speaking };
    Kind kind = Kind::Muted;
    std::string endpointId;
    std::string participantId;
    std::string media;  // "audio" | "video"
    bool on = false;    // muted; speaking
};

enum class CloseReason { ParticipantDeleted, SessionDeleted };

// Why media refused or failed a device's request.
struct MediaError {
    enum class Kind {
        NotConnected,  // the device is not (or no longer) attached
        Busy,          // a negotiation of the same PeerConnection is in flight
        NotPermitted,  // the participant is gone or not in a session
        MediaServer,   // Janus refused, failed or is unreachable
    };
    Kind kind = Kind::MediaServer;
    std::string message;
};

template <class T>
using MediaReply = std::function<void(std::optional<MediaError>, T)>;

// Fails a reply still held (once: it is cleared); nothing happens when it was already answered.
template <class T>
void failReply(MediaReply<T>& reply, MediaError error) {
    if (auto r = std::exchange(reply, nullptr)) r(std::move(error), T{});
}

// How media talks back to a connected device (implemented by signaling).
class DeviceSink {
  public:
    virtual ~DeviceSink() = default;
    virtual void streamsOffered(const StreamsOffer& offer) = 0;
    virtual void dtmfHeard(const HeardDtmf& dtmf) = 0;
    virtual void streamNotice(const StreamNotice& notice) = 0;
    virtual void closeDevice(CloseReason reason) = 0;
    // Its Janus legs were lost and can be made again (docs/protocol.md `mediaReset`): the device
    // re-offers its publisher with an ICE restart; `reason` is the notification's.
    virtual void mediaReset(const std::string& reason) = 0;
};

// A room stream forwarded to a phone leg (Janus rtp_forward): all of a call's forwarders send to
// one UDP port, told apart by SSRC.
struct ForwardedStream {
    std::uint32_t ssrc = 0;
    int payloadType = 0;
    std::string codec;  // "opus", "pcmu", "pcma"
    std::string participantId;
};

// How media talks back to a phone leg (implemented by the SIP bridge).
class PhoneSink {
  public:
    virtual ~PhoneSink() = default;
    virtual void forwardsChanged(const std::vector<ForwardedStream>& streams) = 0;
    // The phone must leave (participant removed or deleted, session deleted, media server gone).
    virtual void endPhone(const std::string& reason) = 0;
    // A participant the phone hears sent DTMF (RFC 4733 towards the phone).
    virtual void sendDtmf(const std::string& tones) = 0;
};

// Where a phone leg sends its RTP: the room's Janus remote publisher (PCMU, SSRC 1000).
struct PhoneEndpoint {
    std::string host;
    std::uint16_t port = 0;
};

// Why a phone could not join its participant's session; the bridge maps it to a SIP status.
enum class JoinError {
    AlreadyAttached,
    NoParticipant,
    NotInSession,
    MediaUnavailable,
    MediaRefused,
    CallEnded
};
struct PhoneJoinFailure {
    JoinError kind;
    std::string detail;
};
using PhoneAttached = std::function<void(std::optional<PhoneJoinFailure>, PhoneEndpoint)>;

// What media needs to know of call control: who is where. Implemented over CallControl by the
// wiring, so media does not depend on the REST layer.
class Membership {
  public:
    virtual ~Membership() = default;
    virtual std::optional<state::Participant> participant(
        const std::string& accountId, const std::string& participantId) const = 0;
    // The ids of the session's members; empty when the session does not exist.
    virtual std::vector<std::string> members(const std::string& accountId,
                                             const std::string& sessionId) const = 0;
};

}  // namespace sb::media
