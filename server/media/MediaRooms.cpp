#include "server/media/MediaRooms.hpp"

#include "server/base/Log.hpp"
#include "server/media/StaleRooms.hpp"

namespace sb::media {

namespace {
constexpr auto kRetireGrace = std::chrono::seconds(5);
}  // namespace

MediaRooms::MediaRooms(std::shared_ptr<JanusPort> janus, const Membership& membership,
                       MediaConfig config, Scheduler scheduler)
    : janus_(std::move(janus)),
      videoRoom_(janus_,
                 RoomOptions{config.roomSecret, config.adminKey, config.maxPublishersPerRoom},
                 scheduler),
      membership_(membership),
      config_(std::move(config)),
      scheduler_(std::move(scheduler)) {}

std::optional<state::Participant> MediaRooms::participant(const std::string& accountId,
                                                          const std::string& participantId) const {
    return membership_.participant(accountId, participantId);
}

std::vector<std::string> MediaRooms::browsersWhere(
    const std::function<bool(const std::unique_ptr<BrowserLeg>&)>& pred) const {
    std::vector<std::string> ids;
    for (const auto& [id, leg] : browsers_)
        if (pred(leg)) ids.push_back(id);
    return ids;
}

std::vector<std::string> MediaRooms::phonesWhere(
    const std::function<bool(const std::unique_ptr<PhoneLeg>&)>& pred) const {
    std::vector<std::string> ids;
    for (const auto& [id, leg] : phones_)
        if (pred(leg)) ids.push_back(id);
    return ids;
}

BrowserLeg* MediaRooms::browser(const std::string& deviceId) {
    auto it = browsers_.find(deviceId);
    return it == browsers_.end() ? nullptr : it->second.get();
}

PhoneLeg* MediaRooms::phone(const std::string& callId) {
    auto it = phones_.find(callId);
    return it == phones_.end() ? nullptr : it->second.get();
}

// legs

void MediaRooms::addBrowser(const std::string& deviceId, const std::string& accountId,
                            const std::string& participantId, std::shared_ptr<DeviceSink> sink,
                            bool loopback) {
    auto& leg = browsers_[deviceId];
    if (!leg) ++stats_.devices;
    leg = std::make_unique<BrowserLeg>(*this, deviceId, accountId, participantId, std::move(sink),
                                       loopback);
    leg->refresh();  // streams it is subscribed to may already be live: offered right away
}

void MediaRooms::removeBrowser(const std::string& deviceId) {
    lostDevices_.erase(deviceId);
    auto it = browsers_.find(deviceId);
    if (it == browsers_.end()) return;
    // Out of the registry first, so the room refresh its leaving causes does not include it.
    auto leg = std::move(it->second);
    browsers_.erase(it);
    --stats_.devices;
    leg->close();
    reap();
}

void MediaRooms::addPhone(const std::string& callId, const std::string& accountId,
                          const std::string& participantId, std::uint16_t forwardPort,
                          std::shared_ptr<PhoneSink> sink, PhoneAttached done) {
    if (phones_.count(callId))
        return done(PhoneJoinFailure{JoinError::AlreadyAttached, "call is already attached"}, {});
    auto& leg = phones_[callId];
    leg = std::make_unique<PhoneLeg>(*this, callId, accountId, participantId, forwardPort,
                                     std::move(sink));
    ++stats_.devices;
    ++stats_.phones;
    leg->join(std::move(done));
}

void MediaRooms::releasePhone(const std::string& callId) {
    auto it = phones_.find(callId);
    if (it == phones_.end()) return;
    auto leg = std::move(it->second);
    phones_.erase(it);
    --stats_.devices;
    --stats_.phones;
    leg->release();
    if (!leg->session().empty()) {
        refreshRoom(leg->session());
        roomMayBeUnused(leg->session());
    }
}

int MediaRooms::deviceDtmf(const std::string& deviceId, const std::string& tones) {
    auto* d = browser(deviceId);
    if (!d || d->feed() == 0) return 0;
    int delivered = 0;
    for (auto& [id, p] : phones_)
        if (p->hears(d->feed())) {
            p->sink().sendDtmf(tones);
            ++delivered;
        }
    return delivered;
}

void MediaRooms::phoneDigit(const std::string& callId, char digit) {
    auto* p = phone(callId);
    if (!p || p->feed() == 0) return;
    for (auto& [id, d] : browsers_)
        if (d->receives(p->feed()))
            d->sink().dtmfHeard({p->participantId(), std::string(1, digit), "phone-" + callId});
}

// rooms

bool MediaRooms::inUse(const std::string& sessionId) const {
    for (const auto& [id, d] : browsers_)
        if (d->publishSession() == sessionId || d->subscribeSession() == sessionId ||
            d->offerSession() == sessionId)
            return true;
    for (const auto& [id, p] : phones_)
        if (p->session() == sessionId) return true;
    return false;
}

void MediaRooms::roomMayBeUnused(const std::string& sessionId) {
    if (!rooms_.existing(sessionId) || inUse(sessionId)) return;
    rooms_.release(sessionId);
}

void MediaRooms::retire(HandleId handle, std::uint64_t feed) {
    retired_.push_back({handle, feed, std::chrono::steady_clock::now() + kRetireGrace});
    reap();
}

// Others unsubscribe from a feed first; its handle is detached once nobody receives it (or after
// a grace period), so Janus never has to renegotiate subscribers on its own.
void MediaRooms::reap() {
    auto now = std::chrono::steady_clock::now();
    for (auto it = retired_.begin(); it != retired_.end();) {
        bool received = false;
        for (const auto& [id, d] : browsers_) received = received || d->receives(it->feed);
        if (!received || it->deadline <= now) {
            if (control_) videoRoom_.detach(it->handle);
            it = retired_.erase(it);
        } else {
            ++it;
        }
    }
    if (!retired_.empty() && !reapScheduled_) {
        reapScheduled_ = true;
        scheduler_(std::chrono::seconds(1), [self = shared_from_this()] {
            self->reapScheduled_ = false;
            self->reap();
        });
    }
    for (const auto& sid : rooms_.sessions()) roomMayBeUnused(sid);
}

// what each leg receives

std::vector<LivePublisher> MediaRooms::livePublishers(const std::string& sessionId) const {
    std::vector<LivePublisher> out;
    for (const auto& [id, d] : browsers_)
        if (d->publishesLive(sessionId))
            out.push_back({d->participantId(), d->id(), d->feed(), &d->tracks(),
                           [&d = *d](const std::string& msid) { return d.aliasOf(msid); }});
    for (const auto& [id, p] : phones_)
        if (p->publishesLive(sessionId))
            out.push_back({p->participantId(), std::string(), p->feed(), &p->tracks(), nullptr});
    return out;
}

std::set<FeedMid> MediaRooms::wantedStreams(const std::string& accountId,
                                            const std::string& participantId,
                                            const std::string& sessionId, bool audioOnly,
                                            const std::string& loopbackDeviceId) const {
    auto p = participant(accountId, participantId);
    if (!p) return {};
    return receivedTracks({participantId, sessionId, p->subscriptions,
                           membership_.members(accountId, sessionId), audioOnly, loopbackDeviceId},
                          livePublishers(sessionId));
}

LegHost::TrackOwner MediaRooms::findTrack(std::uint64_t feed, const std::string& mid) const {
    for (const auto& [id, d] : browsers_) {
        if (d->feed() != feed) continue;
        for (const auto& t : d->tracks())
            if (t.mid == mid) return {&t, d->participantId(), d->aliasOf(t.msid), d->muted(t)};
    }
    for (const auto& [id, p] : phones_) {
        if (p->feed() != feed) continue;
        for (const auto& t : p->tracks())
            if (t.mid == mid) return {&t, p->participantId(), std::nullopt};
    }
    return {};
}

void MediaRooms::refreshRoom(const std::string& sessionId) {
    if (sessionId.empty()) return;
    auto inSession = [&](const std::string& accountId, const std::string& participantId) {
        auto p = participant(accountId, participantId);
        return p && p->sessionId == sessionId;
    };
    auto browserIds = browsersWhere([&](const std::unique_ptr<BrowserLeg>& d) {
        return d->subscribeSession() == sessionId || inSession(d->accountId(), d->participantId());
    });
    auto phoneIds =
        phonesWhere([&](const std::unique_ptr<PhoneLeg>& p) { return p->session() == sessionId; });
    for (const auto& id : browserIds)
        if (auto* d = browser(id)) d->refresh();
    for (const auto& id : phoneIds)
        if (auto* p = phone(id)) p->refresh();
}

// Janus

void MediaRooms::onHandleEvent(HandleId handle, const nlohmann::json& msg) {
    auto owner = owners_.find(handle);
    if (owner == owners_.end()) return;
    if (auto* d = browser(owner->second)) d->onEvent(handle, VideoRoom::readEvent(msg));
}

void MediaRooms::janusReady() {
    videoRoom_.attach([self = shared_from_this()](std::optional<JanusError> error, HandleId h) {
        if (error) {
            base::log(base::LogLevel::Error,
                      "media: cannot attach to the VideoRoom plugin: " + error->reason);
            return;
        }
        // Rooms the previous process left (StaleRooms.hpp) go before any room is made.
        destroyStaleRooms(self->videoRoom_, h, [self, h] {
            self->control_ = h;
            // Devices that had legs re-offer with an ICE restart (docs/protocol.md
            // `mediaReset`): their PeerConnections would otherwise wait for ICE to fail first.
            auto lost = std::exchange(self->lostDevices_, {});
            for (const auto& [id, reason] : lost)
                if (auto* d = self->browser(id)) d->sink().mediaReset(reason);
            auto ids = self->browsersWhere([](const std::unique_ptr<BrowserLeg>&) { return true; });
            for (const auto& id : ids)
                if (auto* d = self->browser(id)) d->refresh();
        });
    });
}

void MediaRooms::mediaLost(const std::string& deviceId, const std::string& reason) {
    if (auto* d = browser(deviceId); d && control_) return d->sink().mediaReset(reason);
    if (browser(deviceId)) lostDevices_[deviceId] = reason;
}

void MediaRooms::janusLost() {
    // Every handle and room of the old Janus session is gone; devices that had legs are told
    // (`mediaReset`) once Janus is back, re-offer with an ICE restart and get new subscriber
    // offers.
    control_ = 0;
    owners_.clear();
    retired_.clear();
    rooms_.clear();
    auto phoneIds = phonesWhere([](const std::unique_ptr<PhoneLeg>&) { return true; });
    for (const auto& id : phoneIds)
        if (auto* p = phone(id)) p->end("media server restarted");
    for (auto& [id, d] : browsers_) d->endSpeaking();
    for (auto& [id, d] : browsers_)
        if (d->forgetJanus()) lostDevices_.emplace(id, "media-server-restarted");
    stats_.rooms = stats_.publishers = stats_.subscribers = stats_.forwarders =
        stats_.remotePublishers = 0;
    stats_.spareRooms = 0;
}

}  // namespace sb::media
