#pragma once
// What a leg needs of the room registry it lives in (MediaRooms): the VideoRoom client, rooms by
// session, what a participant should receive, and a way to reach itself again from a callback
// (legs never capture `this`: a Janus reply may arrive after the leg is gone).

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "server/media/MediaEvents.hpp"
#include "server/media/Tracks.hpp"
#include "server/media/VideoRoom.hpp"

namespace sb::media {

class BrowserLeg;
class PhoneLeg;

struct MediaConfig {
    std::string janusUrl;
    std::string roomSecret;  // rooms are created with this secret
    std::string adminKey;    // VideoRoom admin_key, required to create rooms
    int maxPublishersPerRoom = 20;
    std::string forwardHost = "127.0.0.1";  // where rtp_forward sends room audio for phones
    std::string remotePublisherIface = "127.0.0.1";  // where Janus listens for phone RTP
    std::size_t janusMaxMessageBytes =
        std::size_t{1024} * 1024;  // a bigger Janus message drops the connection
};

struct MediaStats {
    std::size_t devices = 0, rooms = 0, publishers = 0, subscribers = 0, phones = 0, forwarders = 0,
                remotePublishers = 0, spareRooms = 0;
};

// A VideoRoom of a session, as a leg sees it.
struct RoomRef {
    std::string sessionId;
    std::uint64_t roomId = 0;
};

class LegHost {
  public:
    virtual ~LegHost() = default;
    virtual VideoRoom& videoRoom() = 0;
    virtual const MediaConfig& config() const = 0;
    virtual MediaStats& stats() = 0;
    virtual std::optional<state::Participant> participant(
        const std::string& accountId, const std::string& participantId) const = 0;

    // The session's room, created on first use; nullopt when there is no media server.
    virtual void withRoom(const std::string& accountId, const std::string& sessionId,
                          std::function<void(std::optional<RoomRef>)> then) = 0;
    virtual std::optional<RoomRef> existingRoom(const std::string& sessionId) const = 0;
    virtual HandleId controlHandle() const = 0;
    // A phone's way in: an idle remote publisher of the room, or a new one.
    virtual void remotePublisherFor(
        const std::string& sessionId, const std::string& callId,
        std::function<void(std::optional<JanusError>, RemotePublisher)> then) = 0;
    virtual void releaseRemotePublisher(const std::string& sessionId,
                                        const std::string& callId) = 0;

    // Handles: events of `handle` reach the browser leg `deviceId`.
    virtual void ownHandle(HandleId handle, const std::string& deviceId) = 0;
    virtual void disownHandle(HandleId handle) = 0;
    // A publisher handle that left: detached once nobody receives `feed`, or after a grace period.
    virtual void retire(HandleId handle, std::uint64_t feed) = 0;
    // What some leg receives changed: retired publisher handles nobody receives can go.
    virtual void subscriptionsChanged() = 0;
    // A room nobody uses any more is destroyed (or kept as a spare).
    virtual void roomMayBeUnused(const std::string& sessionId) = 0;

    // Every leg of the session re-evaluates what it receives.
    virtual void refreshRoom(const std::string& sessionId) = 0;
    // The (feed, mid)s `participantId` should receive in `sessionId` (audio only for phones),
    // with the streams of `loopbackDeviceId` itself when it is a loopback device ("" if not:
    // docs/protocol.md "Loopback (preflight)").
    virtual std::set<FeedMid> wantedStreams(const std::string& accountId,
                                            const std::string& participantId,
                                            const std::string& sessionId, bool audioOnly,
                                            const std::string& loopbackDeviceId) const = 0;
    // The published track (and its publisher's participant id and alias) behind a (feed, mid).
    struct TrackOwner {
        const PublishedTrack* track = nullptr;
        std::string participantId;
        std::optional<std::string> alias;
        bool muted = false;  // its kind muted by its publisher (docs/protocol.md `setStreamMuted`)
    };
    virtual TrackOwner findTrack(std::uint64_t feed, const std::string& mid) const = 0;

    // Callbacks come back through these, never through a captured leg pointer.
    virtual BrowserLeg* browser(const std::string& deviceId) = 0;
    virtual void forEachBrowser(const std::function<void(BrowserLeg&)>& f) = 0;
    virtual PhoneLeg* phone(const std::string& callId) = 0;
    virtual void releasePhone(const std::string& callId) = 0;
    // Numbers a browser's publish offer, so a reply to an older offer is told apart. Unique in the
    // registry, not per leg: a device that reconnects gets a new leg under the same id, and a
    // reply meant for the old leg must not match the new one's offer.
    virtual std::uint64_t newOfferSequence() = 0;
    // Captured by a leg's asynchronous steps (Janus replies, timers): keeps the host alive.
    virtual std::shared_ptr<LegHost> self() = 0;
};

}  // namespace sb::media
