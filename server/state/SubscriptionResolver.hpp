#pragma once
// The one place that answers "which streams of which participants does participant X receive"
// (reference §4.4). Pure: no store, no clock; media routing and the REST API both call it.

#include <optional>
#include <string>
#include <vector>

#include "server/state/Model.hpp"

namespace sb::state {

// A stream someone in the session publishes.
struct PublishedStream {
    std::string participantId;
    std::string streamId;
    std::optional<std::string> alias;
    std::string deviceId;  // the browser device publishing it; "" for a phone
    bool operator==(const PublishedStream& o) const {
        return participantId == o.participantId && streamId == o.streamId && alias == o.alias &&
               deviceId == o.deviceId;
    }
};

// What a subscriber needs to know about a fellow member.
struct SessionMember {
    std::string participantId;
};

// `subscriberId`'s subscriptions are evaluated against the session's current members and their
// published streams. Rules:
//  - no subscriptions, or neither sessionId nor participants set: nothing;
//  - a non-empty `participants` list overrides `sessionId`: exactly the listed participants that
//    are members of `sessionId` (the session the subscriber is in);
//  - only `sessionId` (equal to the subscriber's session): every other member, present and future;
//  - an entry's `streamAliases` empty: all of that participant's streams, else only streams whose
//    alias is listed (streams without an alias never match a non-empty list);
//  - a participant never receives its own streams, except that
//  - a loopback device (`loopbackDeviceId`, docs/protocol.md "Loopback (preflight)") also
//    receives the streams it publishes itself, whatever the subscriptions say (they choose whom
//    a participant hears; a device asking for its own media back chose that itself), and still
//    never those of its participant's other devices.
// The result keeps the order of `streams`.
std::vector<PublishedStream> receivedStreams(const std::string& subscriberId,
                                             const std::string& sessionId,
                                             const std::optional<Subscriptions>& subscriptions,
                                             const std::vector<SessionMember>& members,
                                             const std::vector<PublishedStream>& streams,
                                             const std::string& loopbackDeviceId = {});

// True if `subscriberId` receives at least one stream of `publisherId` or, with no streams
// published yet, would receive them (used to decide who is told about a new publisher).
bool isSubscribedTo(const std::string& subscriberId, const std::string& sessionId,
                    const std::optional<Subscriptions>& subscriptions,
                    const std::vector<SessionMember>& members, const std::string& publisherId);

}  // namespace sb::state
