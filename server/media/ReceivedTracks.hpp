#pragma once
// Which published tracks a leg receives: the session's live publishers, as the room registry
// lists them, matched against the subscription rules (state/SubscriptionResolver.hpp). Pure: no
// Janus, no legs.

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "server/media/Tracks.hpp"
#include "server/media/VideoRoom.hpp"
#include "server/state/Model.hpp"

namespace sb::media {

// A publisher live in a session.
struct LivePublisher {
    std::string participantId;
    std::string deviceId;  // the browser device; "" for a phone
    std::uint64_t feed = 0;
    const std::vector<PublishedTrack>* tracks = nullptr;
    std::function<std::optional<std::string>(const std::string&)> aliasOf;  // msid → alias
};

// Who receives, and what it may take.
struct Receiver {
    std::string participantId;
    std::string sessionId;
    std::optional<state::Subscriptions> subscriptions;
    std::vector<std::string> members;  // of the session
    bool audioOnly = false;            // a phone hears, it does not watch
    // Its own streams too (docs/protocol.md "Loopback (preflight)"); "" if not a loopback device.
    std::string loopbackDeviceId;
};

std::set<FeedMid> receivedTracks(const Receiver& receiver,
                                 const std::vector<LivePublisher>& publishers);

}  // namespace sb::media
