#include "server/media/StreamNotices.hpp"

#include <algorithm>

#include "server/media/BrowserLeg.hpp"

namespace sb::media {

std::vector<std::string> tellReceivers(LegHost& host, const std::set<FeedMid>& tracks,
                                       const StreamNotice& notice) {
    std::vector<std::string> told;
    host.forEachBrowser([&](BrowserLeg& d) {
        if (std::none_of(tracks.begin(), tracks.end(),
                         [&d](const FeedMid& t) { return d.subscriber().receives(t); }))
            return;
        d.sink().streamNotice(notice);
        told.push_back(d.id());
    });
    return told;
}

std::vector<StreamNotice> mutedAmong(const LegHost& host, const std::set<FeedMid>& added) {
    std::vector<StreamNotice> notices;
    for (const auto& [feed, mid] : added) {
        auto owner = host.findTrack(feed, mid);
        if (!owner.track || !owner.muted) continue;
        StreamNotice n{StreamNotice::Kind::Muted, owner.track->msid, owner.participantId,
                       owner.track->kind, true};
        auto same = [&n](const StreamNotice& o) {
            return o.endpointId == n.endpointId && o.media == n.media;
        };
        if (std::none_of(notices.begin(), notices.end(), same)) notices.push_back(std::move(n));
    }
    return notices;
}

}  // namespace sb::media
