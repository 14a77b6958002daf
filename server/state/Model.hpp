#pragma once
// The call-control data model of reference §4.3: sessions, participants and their subscriptions.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sb::state {

// Seconds since the Unix epoch; every expiry in the store is expressed in this unit.
using EpochSeconds = std::int64_t;

enum class MediaKind { Audio, Video };

// Which media kinds a participant may publish (reference §4.3 `publishPermissions`).
struct PublishPermissions {
    bool audio = false;
    bool video = false;
    bool operator==(const PublishPermissions& o) const {
        return audio == o.audio && video == o.video;
    }
};

// One entry of `Subscriptions.participants`: a publisher, optionally narrowed to stream aliases.
struct ParticipantSubscription {
    std::string participantId;
    std::vector<std::string> streamAliases;  // empty = every stream of that participant
    bool operator==(const ParticipantSubscription& o) const {
        return participantId == o.participantId && streamAliases == o.streamAliases;
    }
};

// Reference §4.4: `sessionId` alone subscribes to the whole session (current and future members);
// a non-empty `participants` overrides it.
struct Subscriptions {
    std::optional<std::string> sessionId;
    std::vector<ParticipantSubscription> participants;
    bool operator==(const Subscriptions& o) const {
        return sessionId == o.sessionId && participants == o.participants;
    }
};

struct Session {
    std::string id;
    std::string accountId;
    std::optional<std::string> tag;
    EpochSeconds createdAt = 0;
    EpochSeconds expiresAt = 0;
    bool operator==(const Session& o) const {
        return id == o.id && accountId == o.accountId && tag == o.tag && createdAt == o.createdAt &&
               expiresAt == o.expiresAt;
    }
};

struct Participant {
    std::string id;
    std::string accountId;
    std::optional<std::string> callbackUrl;
    PublishPermissions publishPermissions;
    std::optional<std::string> tag;
    std::string deviceApiVersion = "V3";
    EpochSeconds createdAt = 0;
    // A participant belongs to at most one session (reference §4.7).
    std::optional<std::string> sessionId;
    std::optional<Subscriptions> subscriptions;
    bool operator==(const Participant& o) const {
        return id == o.id && accountId == o.accountId && callbackUrl == o.callbackUrl &&
               publishPermissions == o.publishPermissions && tag == o.tag &&
               deviceApiVersion == o.deviceApiVersion && createdAt == o.createdAt &&
               sessionId == o.sessionId && subscriptions == o.subscriptions;
    }
};

}  // namespace sb::state
