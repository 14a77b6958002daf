#pragma once
// The room registry: the legs (browsers and phones) in the sessions' Janus VideoRooms (kept by
// SessionRooms), and the routing of Janus events and call-control changes to those legs. Legs
// negotiate on their own (BrowserLeg, PhoneLeg); this class only knows who is where. Runs on the
// media strand only (MediaOrchestrator posts every call onto it).

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "server/media/BrowserLeg.hpp"
#include "server/media/LegHost.hpp"
#include "server/media/PhoneLeg.hpp"
#include "server/media/ReceivedTracks.hpp"
#include "server/media/SessionRooms.hpp"

namespace sb::media {

class MediaRooms : public LegHost, public std::enable_shared_from_this<MediaRooms> {
  public:
    using Scheduler = media::Scheduler;

    // Keeps `janus` alive as long as a Janus reply can still reach the registry.
    MediaRooms(std::shared_ptr<JanusPort> janus, const Membership& membership, MediaConfig config,
               Scheduler scheduler);

    void addBrowser(const std::string& deviceId, const std::string& accountId,
                    const std::string& participantId, std::shared_ptr<DeviceSink> sink,
                    bool loopback = false);
    void removeBrowser(const std::string& deviceId);
    void addPhone(const std::string& callId, const std::string& accountId,
                  const std::string& participantId, std::uint16_t forwardPort,
                  std::shared_ptr<PhoneSink> sink, PhoneAttached done);
    int deviceDtmf(const std::string& deviceId, const std::string& tones);  // phones reached
    void phoneDigit(const std::string& callId, char digit);

    void onHandleEvent(HandleId handle, const nlohmann::json& msg);
    void janusReady();
    // The device's legs are gone (its server restarted): `mediaReset` with `reason` once Janus
    // is ready (at once if it is), so that its re-offer can be published.
    void mediaLost(const std::string& deviceId, const std::string& reason);
    void janusLost();

    void membershipChanged(const std::string& accountId, const std::string& participantId);
    void participantDeleted(const std::string& accountId, const std::string& participantId);
    void sessionDeleted(const std::string& accountId, const std::string& sessionId,
                        const std::vector<std::string>& members);

    // LegHost
    VideoRoom& videoRoom() override { return videoRoom_; }
    const MediaConfig& config() const override { return config_; }
    MediaStats& stats() override { return stats_; }
    std::optional<state::Participant> participant(const std::string& accountId,
                                                  const std::string& participantId) const override;
    void withRoom(const std::string& accountId, const std::string& sessionId,
                  std::function<void(std::optional<RoomRef>)> then) override {
        rooms_.withRoom(accountId, sessionId, std::move(then));
    }
    std::optional<RoomRef> existingRoom(const std::string& sessionId) const override {
        return rooms_.existing(sessionId);
    }
    HandleId controlHandle() const override { return control_; }
    void remotePublisherFor(
        const std::string& sessionId, const std::string& callId,
        std::function<void(std::optional<JanusError>, RemotePublisher)> then) override {
        rooms_.remotePublisherFor(sessionId, callId, std::move(then));
    }
    void releaseRemotePublisher(const std::string& sessionId, const std::string& callId) override {
        rooms_.releaseRemotePublisher(sessionId, callId);
    }
    void ownHandle(HandleId handle, const std::string& deviceId) override {
        owners_[handle] = deviceId;
    }
    void disownHandle(HandleId handle) override { owners_.erase(handle); }
    void retire(HandleId handle, std::uint64_t feed) override;
    void subscriptionsChanged() override { reap(); }
    void roomMayBeUnused(const std::string& sessionId) override;
    void refreshRoom(const std::string& sessionId) override;
    std::set<FeedMid> wantedStreams(const std::string& accountId, const std::string& participantId,
                                    const std::string& sessionId, bool audioOnly,
                                    const std::string& loopbackDeviceId) const override;
    TrackOwner findTrack(std::uint64_t feed, const std::string& mid) const override;
    BrowserLeg* browser(const std::string& deviceId) override;
    void forEachBrowser(const std::function<void(BrowserLeg&)>& f) override {
        for (auto& [id, d] : browsers_) f(*d);
    }
    PhoneLeg* phone(const std::string& callId) override;
    void releasePhone(const std::string& callId) override;
    std::uint64_t newOfferSequence() override { return ++offerSequence_; }
    std::shared_ptr<LegHost> self() override { return shared_from_this(); }

  private:
    struct Retired {
        HandleId handle;
        std::uint64_t feed;
        std::chrono::steady_clock::time_point deadline;
    };

    void reap();
    // The ids of the legs that match: taken before acting, as acting may remove legs.
    std::vector<std::string> browsersWhere(
        const std::function<bool(const std::unique_ptr<BrowserLeg>&)>& pred) const;
    std::vector<std::string> phonesWhere(
        const std::function<bool(const std::unique_ptr<PhoneLeg>&)>& pred) const;
    bool inUse(const std::string& sessionId) const;
    // The publishers live in `sessionId` (pointing into the legs: used at once).
    std::vector<LivePublisher> livePublishers(const std::string& sessionId) const;

    std::shared_ptr<JanusPort> janus_;
    VideoRoom videoRoom_;
    const Membership& membership_;
    MediaConfig config_;
    Scheduler scheduler_;
    HandleId control_ = 0;
    SessionRooms rooms_{*this};
    std::map<std::string, std::unique_ptr<BrowserLeg>> browsers_;
    std::map<std::string, std::unique_ptr<PhoneLeg>> phones_;
    std::map<HandleId, std::string> owners_;  // handle → browser device id
    std::vector<Retired> retired_;  // publisher handles waiting until nobody receives their feed
    bool reapScheduled_ = false;
    std::uint64_t offerSequence_ = 0;  // the last number newOfferSequence gave
    // Devices whose legs went with a lost Janus or process: told `mediaReset` once it is ready.
    std::map<std::string, std::string> lostDevices_;
    MediaStats stats_;
};

}  // namespace sb::media
