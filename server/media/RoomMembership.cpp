// MediaRooms following call control: members added, removed, moved or deleted, sessions deleted.
// Same class as MediaRooms.cpp, split by concern.

#include <algorithm>

#include "server/media/MediaRooms.hpp"

namespace sb::media {

void MediaRooms::membershipChanged(const std::string& accountId, const std::string& participantId) {
    std::set<std::string> sessions;
    auto mine = [&](const std::string& account, const std::string& pid) {
        return account == accountId && pid == participantId;
    };
    auto p = participant(accountId, participantId);
    if (p && p->sessionId) sessions.insert(*p->sessionId);
    for (auto& [id, d] : browsers_) {
        if (d->accountId() != accountId) continue;
        if (mine(d->accountId(), d->participantId()) && !d->publishSession().empty() &&
            (!p || p->sessionId != d->publishSession()))
            d->leave();
        if (!d->subscribeSession().empty()) sessions.insert(d->subscribeSession());
    }
    for (const auto& s : sessions) refreshRoom(s);
    auto browserIds = browsersWhere([&](const std::unique_ptr<BrowserLeg>& d) {
        return mine(d->accountId(), d->participantId());
    });
    for (const auto& id : browserIds)
        if (auto* d = browser(id)) d->refresh();
    auto phoneIds = phonesWhere(
        [&](const std::unique_ptr<PhoneLeg>& ph) { return ph->participantId() == participantId; });
    for (const auto& id : phoneIds)
        if (auto* ph = phone(id)) ph->refresh();
}

void MediaRooms::participantDeleted(const std::string& accountId,
                                    const std::string& participantId) {
    auto browserIds = browsersWhere([&](const std::unique_ptr<BrowserLeg>& d) {
        return d->accountId() == accountId && d->participantId() == participantId;
    });
    for (const auto& id : browserIds) {
        if (auto* d = browser(id)) d->sink().closeDevice(CloseReason::ParticipantDeleted);
        removeBrowser(id);
    }
    auto phoneIds = phonesWhere(
        [&](const std::unique_ptr<PhoneLeg>& ph) { return ph->participantId() == participantId; });
    for (const auto& id : phoneIds)
        if (auto* ph = phone(id)) ph->end("participant deleted");
}

void MediaRooms::sessionDeleted(const std::string& accountId, const std::string& sessionId,
                                const std::vector<std::string>& members) {
    auto member = [&](const std::string& pid) {
        return std::find(members.begin(), members.end(), pid) != members.end();
    };
    auto browserIds = browsersWhere([&](const std::unique_ptr<BrowserLeg>& d) {
        return d->accountId() == accountId &&
               (member(d->participantId()) || d->publishSession() == sessionId ||
                d->subscribeSession() == sessionId);
    });
    for (const auto& id : browserIds) {
        if (auto* d = browser(id)) d->sink().closeDevice(CloseReason::SessionDeleted);
        removeBrowser(id);
    }
    auto phoneIds = phonesWhere([&](const std::unique_ptr<PhoneLeg>& ph) {
        return member(ph->participantId()) || ph->session() == sessionId;
    });
    for (const auto& id : phoneIds)
        if (auto* ph = phone(id)) ph->end("session deleted");
}

}  // namespace sb::media
