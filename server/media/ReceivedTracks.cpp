#include "server/media/ReceivedTracks.hpp"

#include "server/state/SubscriptionResolver.hpp"

namespace sb::media {

std::set<FeedMid> receivedTracks(const Receiver& receiver,
                                 const std::vector<LivePublisher>& publishers) {
    std::vector<state::SessionMember> members;
    for (const auto& id : receiver.members) members.push_back({id});
    // One stream per msid of each publisher (its audio and video share it).
    std::vector<state::PublishedStream> streams;
    for (const auto& p : publishers) {
        std::set<std::string> seen;
        for (const auto& t : *p.tracks)
            if (seen.insert(t.msid).second)
                streams.push_back({p.participantId, t.msid,
                                   p.aliasOf ? p.aliasOf(t.msid) : std::nullopt, p.deviceId});
    }
    auto received =
        state::receivedStreams(receiver.participantId, receiver.sessionId, receiver.subscriptions,
                               members, streams, receiver.loopbackDeviceId);
    std::set<FeedMid> wanted;
    for (const auto& p : publishers)
        for (const auto& t : *p.tracks) {
            if (receiver.audioOnly && t.kind != "audio") continue;
            for (const auto& r : received)
                if (r.participantId == p.participantId && r.deviceId == p.deviceId &&
                    r.streamId == t.msid)
                    wanted.insert({p.feed, t.mid});
        }
    return wanted;
}

}  // namespace sb::media
