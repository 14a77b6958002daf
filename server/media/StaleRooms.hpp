#pragma once
// Rooms a previous switchboard process made in Janus outlive it: VideoRoom rooms are not tied to
// the Janus session that created them (and ours are not "permanent" only in that Janus does not
// write them to its config file). After a restart against the same Janus they are destroyed
// before any room is made, so that each session gets a clean room. Not reused: their publishers
// went with the dead process's handles, and a fresh room costs one `create` per session.

#include <functional>

#include "server/media/VideoRoom.hpp"

namespace sb::media {

// Whether a room's description is one of ours: a session id (SessionRooms describes each room
// by its session's id, a UUID in RFC 4122 text form).
bool isSessionRoom(const std::string& description);

// Lists the rooms on `control` (with the admin_key, so private ones too), sends `destroy` for each
// of ours, then calls `then` (also if listing failed). The destroys go on `control` before
// anything `then` sends there, so Janus handles them first. `then` must keep `videoRoom` alive.
void destroyStaleRooms(VideoRoom& videoRoom, HandleId control, std::function<void()> then);

}  // namespace sb::media
