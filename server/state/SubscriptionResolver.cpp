#include "server/state/SubscriptionResolver.hpp"

#include <algorithm>

namespace sb::state {

namespace {

bool isMember(const std::vector<SessionMember>& members, const std::string& id) {
    return std::any_of(members.begin(), members.end(),
                       [&](const SessionMember& m) { return m.participantId == id; });
}

// The subscription entry that covers `publisherId`, or nullopt if the publisher is not covered.
// An entry with no aliases is returned as an empty alias list ("everything").
std::optional<std::vector<std::string>> coverage(const std::string& subscriberId,
                                                 const std::string& sessionId,
                                                 const std::optional<Subscriptions>& subs,
                                                 const std::vector<SessionMember>& members,
                                                 const std::string& publisherId) {
    if (!subs || publisherId == subscriberId || !isMember(members, publisherId))
        return std::nullopt;
    if (!subs->participants.empty()) {
        for (const auto& entry : subs->participants)
            if (entry.participantId == publisherId) return entry.streamAliases;
        return std::nullopt;
    }
    if (subs->sessionId && *subs->sessionId == sessionId) return std::vector<std::string>{};
    return std::nullopt;
}

}  // namespace

std::vector<PublishedStream> receivedStreams(const std::string& subscriberId,
                                             const std::string& sessionId,
                                             const std::optional<Subscriptions>& subscriptions,
                                             const std::vector<SessionMember>& members,
                                             const std::vector<PublishedStream>& streams,
                                             const std::string& loopbackDeviceId) {
    std::vector<PublishedStream> out;
    for (const auto& stream : streams) {
        if (!loopbackDeviceId.empty() && stream.deviceId == loopbackDeviceId &&
            stream.participantId == subscriberId && isMember(members, subscriberId)) {
            out.push_back(stream);
            continue;
        }
        auto aliases =
            coverage(subscriberId, sessionId, subscriptions, members, stream.participantId);
        if (!aliases) continue;
        bool aliasOk =
            aliases->empty() || (stream.alias && std::find(aliases->begin(), aliases->end(),
                                                           *stream.alias) != aliases->end());
        if (aliasOk) out.push_back(stream);
    }
    return out;
}

bool isSubscribedTo(const std::string& subscriberId, const std::string& sessionId,
                    const std::optional<Subscriptions>& subscriptions,
                    const std::vector<SessionMember>& members, const std::string& publisherId) {
    return coverage(subscriberId, sessionId, subscriptions, members, publisherId).has_value();
}

}  // namespace sb::state
