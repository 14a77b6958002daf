#pragma once
// The Janus VideoRooms of the registry, one per session: created on first use (callers wait for
// it meanwhile), destroyed when the session no longer uses it, and the remote publishers through
// which phones enter it. Rooms of ended sessions that hold remote publishers are kept as spares
// for new sessions, because Janus 1.1.2 leaks a remote publisher's ports once RTP has flowed.
// Part of MediaRooms, which decides when a room is unused. Runs on the media strand only.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/media/LegHost.hpp"

namespace sb::media {

class SessionRooms {
  public:
    // `host` is the registry this belongs to: its VideoRoom client, control handle and stats, and
    // self() to keep it (and so this) alive until Janus replies.
    explicit SessionRooms(LegHost& host) : host_(host) {}

    // The session's room, created on first use; nullopt when there is no media server.
    void withRoom(const std::string& accountId, const std::string& sessionId,
                  std::function<void(std::optional<RoomRef>)> then);
    // The session's room if it is created (not while it is being created).
    std::optional<RoomRef> existing(const std::string& sessionId) const;
    // An idle remote publisher of the session's room, or a new one.
    void remotePublisherFor(const std::string& sessionId, const std::string& callId,
                            std::function<void(std::optional<JanusError>, RemotePublisher)> then);
    // The call's remote publisher stays in its room, idle, for the next call.
    void releaseRemotePublisher(const std::string& sessionId, const std::string& callId);
    // Nobody uses the session's (created) room any more: it becomes a spare or is destroyed.
    void release(const std::string& sessionId);
    std::vector<std::string> sessions() const;
    // Janus's session is gone, and every room with it.
    void clear();

  private:
    struct Room {
        std::string accountId, sessionId;
        std::uint64_t roomId = 0;
        bool created = false;
        std::vector<std::function<void(std::optional<RoomRef>)>> waiters;
        struct Remote {
            RemotePublisher endpoint;
            std::string callId;  // empty: idle, ready for the next call
        };
        std::vector<Remote> remotes;
    };

    void created(const std::string& sessionId, std::uint64_t roomId,
                 const std::optional<JanusError>& error);

    LegHost& host_;
    std::map<std::string, std::unique_ptr<Room>> rooms_;  // by session id
    std::vector<std::unique_ptr<Room>> spares_;  // of ended sessions, with idle remote publishers
};

}  // namespace sb::media
