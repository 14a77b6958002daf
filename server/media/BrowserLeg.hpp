#pragma once
// A connected browser device in media: a VideoRoom publisher handle for what it sends, negotiated
// here by the PubState machine of LegStates.hpp, and a BrowserSubscriber for what it receives. It
// reports offers and answers as typed values (MediaEvents.hpp) and reaches its room registry
// through LegHost. Runs on the media strand only.

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "server/media/BrowserSubscriber.hpp"
#include "server/media/LegHost.hpp"
#include "server/media/LegStates.hpp"
#include "server/media/PublisherSections.hpp"

namespace sb::media {

class BrowserLeg {
  public:
    BrowserLeg(LegHost& host, std::string deviceId, std::string accountId,
               std::string participantId, std::shared_ptr<DeviceSink> sink, bool loopback = false);

    const std::string& id() const { return id_; }
    const std::string& accountId() const { return accountId_; }
    const std::string& participantId() const { return participantId_; }
    DeviceSink& sink() { return *sink_; }

    // The device's publisher offer; `aliases` maps msid → alias.
    void offer(const std::string& sdp, std::map<std::string, std::string> aliases,
               MediaReply<PublishAnswer> reply);
    // The device's answer to the last StreamsOffer.
    void answer(std::string sdp, MediaReply<bool> reply) {
        subscriber_.answer(std::move(sdp), std::move(reply));
    }
    // What it should receive may have changed.
    void refresh() { subscriber_.refresh(); }
    void onEvent(HandleId handle, const HandleEvent& event);
    // Its participant left the session (or moved): the publisher leaves the room.
    void leave();
    // Detaches both handles (the device is going away).
    void close();
    // Janus's session is gone: every handle with it. True if it had one (the device has media
    // to make again: docs/protocol.md `mediaReset`).
    bool forgetJanus();
    // Its streams stop being received: the devices that were told one of them is speaking are
    // told it is not (docs/protocol.md `activeSpeakerChange`), as Janus never says so of a
    // publisher that went away mid-word.
    void endSpeaking();

    // What the registry reads.
    std::uint64_t feed() const { return feed_; }
    bool publishesLive(const std::string& sessionId) const {
        return pubSession_ == sessionId && isLive(pub_);
    }
    const std::string& publishSession() const { return pubSession_; }
    const std::string& subscribeSession() const { return subscriber_.session(); }
    // The session its offer in flight publishes into (its room must not go meanwhile); "" if none.
    std::string offerSession() const { return pending_ ? pending_->sessionId : std::string(); }
    const std::vector<PublishedTrack>& tracks() const { return tracks_; }
    // The tracks of its offer in flight (none if none).
    std::vector<PublishedTrack> offerTracks() const {
        return pending_ ? pending_->plan.tracks : std::vector<PublishedTrack>();
    }
    std::optional<std::string> aliasOf(const std::string& msid) const {
        auto it = aliases_.find(msid);
        return it == aliases_.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    bool receives(std::uint64_t feed) const { return subscriber_.receives(feed); }
    // docs/protocol.md `setStreamMuted`: the device muted or unmuted the `kind` ("audio",
    // "video") of stream `msid`; the devices that receive it are told if that changed its state.
    // Refused, nothing changed, for a stream it does not publish with that kind, and past
    // kMaxMuteChangesPerSecond (each change is a notification to every receiver).
    std::optional<MediaError> setMuted(const std::string& msid, const std::string& kind,
                                       bool muted);
    bool muted(const PublishedTrack& t) const { return muted_.count({t.msid, t.kind}) > 0; }
    static constexpr int kMaxMuteChangesPerSecond = 10;
    PubState publisherState() const { return pub_; }
    SubState subscriberState() const { return subscriber_.state(); }
    // Its receiving side (its Janus replies find it again through here).
    BrowserSubscriber& subscriber() { return subscriber_; }

  private:
    struct PendingOffer {
        OfferPlan plan;
        std::map<std::string, std::string> aliases;
        std::vector<MediaSection> layout;
        MediaReply<PublishAnswer> reply;
        std::string sessionId;
        std::uint64_t sequence = 0;  // a reply to an older offer is told apart by it
    };

    void onPub(PubEvent event, std::optional<JanusError> error = std::nullopt,
               PublisherAnswer answer = {});
    void attachPublisher();
    void sendPublisherOffer(VideoRoom::PublishMode mode, std::uint64_t roomId);
    void finishPublishing(PublisherAnswer answer);
    void retirePublisher();
    // Janus's talk detection for one of its audio streams: told to the devices receiving it.
    void talked(const HandleEvent& event);

    LegHost& host_;
    std::string id_, accountId_, participantId_;
    std::shared_ptr<DeviceSink> sink_;

    PubState pub_ = PubState::Detached;
    HandleId pubHandle_ = 0;
    std::uint64_t feed_ = 0;
    std::string pubSession_;
    std::vector<PublishedTrack> tracks_;
    PublisherSections sections_;  // its m-lines as Janus has them (recycled m-lines moved)
    std::map<std::string, std::string> aliases_;
    std::optional<PendingOffer> pending_;  // the offer in flight
    // (msid, kind) muted by the device: kept across its re-offers (a media reset included), for
    // the streams it still publishes.
    std::set<std::pair<std::string, std::string>> muted_;
    std::chrono::steady_clock::time_point muteWindow_{};  // the rate bound's current second
    int muteChanges_ = 0;
    // msid → the devices last told it is speaking (`speaking: true`).
    std::map<std::string, std::set<std::string>> speaking_;

    BrowserSubscriber subscriber_;
};

}  // namespace sb::media
