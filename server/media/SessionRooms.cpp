#include "server/media/SessionRooms.hpp"

#include <random>

#include "server/base/Log.hpp"

namespace sb::media {

namespace {
std::uint64_t randomRoomId() {
    static std::mt19937_64 rng{std::random_device{}()};
    // Janus room ids travel as JSON numbers: stay below 2^53 so every JSON parser keeps them exact.
    return 1 + rng() % ((std::uint64_t{1} << 52) - 1);
}
}  // namespace

void SessionRooms::withRoom(const std::string& accountId, const std::string& sessionId,
                            std::function<void(std::optional<RoomRef>)> then) {
    auto it = rooms_.find(sessionId);
    if (it != rooms_.end()) {
        if (it->second->created) return then(RoomRef{sessionId, it->second->roomId});
        it->second->waiters.push_back(std::move(then));
        return;
    }
    if (!host_.controlHandle()) return then(std::nullopt);
    if (!spares_.empty()) {
        auto spare = std::move(spares_.back());
        spares_.pop_back();
        --host_.stats().spareRooms;
        spare->accountId = accountId;
        spare->sessionId = sessionId;
        RoomRef ref{sessionId, spare->roomId};
        rooms_[sessionId] = std::move(spare);
        return then(ref);
    }
    auto room = std::make_unique<Room>();
    room->accountId = accountId;
    room->sessionId = sessionId;
    room->roomId = randomRoomId();
    room->waiters.push_back(std::move(then));
    const auto roomId = room->roomId;
    rooms_[sessionId] = std::move(room);
    // `this` lives as long as the registry, which `keep` holds until the reply.
    host_.videoRoom().createRoom(
        host_.controlHandle(), roomId, sessionId,
        [keep = host_.self(), this, sessionId, roomId](const std::optional<JanusError>& error) {
            created(sessionId, roomId, error);
        });
}

void SessionRooms::created(const std::string& sessionId, std::uint64_t roomId,
                           const std::optional<JanusError>& error) {
    auto found = rooms_.find(sessionId);
    if (found == rooms_.end() || found->second->roomId != roomId) return;
    auto waiters = std::move(found->second->waiters);
    if (error) {
        base::log(base::LogLevel::Error,
                  "media: cannot create room for session " + sessionId + ": " + error->reason);
        rooms_.erase(found);
        for (auto& w : waiters) w(std::nullopt);
        return;
    }
    found->second->created = true;
    ++host_.stats().rooms;
    for (auto& w : waiters) w(RoomRef{sessionId, roomId});
}

std::optional<RoomRef> SessionRooms::existing(const std::string& sessionId) const {
    auto it = rooms_.find(sessionId);
    if (it == rooms_.end() || !it->second->created) return std::nullopt;
    return RoomRef{sessionId, it->second->roomId};
}

void SessionRooms::remotePublisherFor(
    const std::string& sessionId, const std::string& callId,
    std::function<void(std::optional<JanusError>, RemotePublisher)> then) {
    auto it = rooms_.find(sessionId);
    if (it == rooms_.end()) return then(JanusError{0, "room is gone"}, {});
    for (auto& remote : it->second->remotes) {
        if (!remote.callId.empty()) continue;
        remote.callId = callId;  // reuse an idle remote publisher (its ports never leak)
        return then(std::nullopt, remote.endpoint);
    }
    host_.videoRoom().addRemotePublisher(
        host_.controlHandle(), it->second->roomId, host_.config().remotePublisherIface,
        [keep = host_.self(), this, sessionId, callId, then = std::move(then)](
            std::optional<JanusError> error, const RemotePublisher& remote) {
            auto room = rooms_.find(sessionId);
            if (!error && room == rooms_.end()) error = JanusError{0, "room is gone"};
            if (error) return then(error, {});
            room->second->remotes.push_back({remote, callId});
            ++host_.stats().remotePublishers;
            then(std::nullopt, remote);
        });
}

void SessionRooms::releaseRemotePublisher(const std::string& sessionId, const std::string& callId) {
    auto it = rooms_.find(sessionId);
    if (it == rooms_.end()) return;
    for (auto& remote : it->second->remotes)
        if (remote.callId == callId) remote.callId.clear();  // idle, kept for the next call
}

void SessionRooms::release(const std::string& sessionId) {
    auto it = rooms_.find(sessionId);
    if (it == rooms_.end() || !it->second->created) return;
    if (!it->second->remotes.empty()) {
        spares_.push_back(std::move(it->second));
        rooms_.erase(it);
        ++host_.stats().spareRooms;
        return;
    }
    if (host_.controlHandle())
        host_.videoRoom().destroyRoom(host_.controlHandle(), it->second->roomId);
    rooms_.erase(it);
    --host_.stats().rooms;
}

std::vector<std::string> SessionRooms::sessions() const {
    std::vector<std::string> ids;
    for (const auto& [sessionId, room] : rooms_) ids.push_back(sessionId);
    return ids;
}

void SessionRooms::clear() {
    rooms_.clear();
    spares_.clear();
}

}  // namespace sb::media
