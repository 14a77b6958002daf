#pragma once
// A connected browser device in media: a VideoRoom publisher handle for what it sends and a
// multistream subscriber handle for what it receives, each negotiated by the state machines of
// LegStates.hpp. It reports offers and answers as typed values (MediaEvents.hpp) and reaches its
// room registry through LegHost. Runs on the media strand only.

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "server/media/LegHost.hpp"
#include "server/media/LegStates.hpp"
#include "server/media/PublisherSections.hpp"

namespace sb::media {

class BrowserLeg {
  public:
    BrowserLeg(LegHost& host, std::string deviceId, std::string accountId,
               std::string participantId, std::shared_ptr<DeviceSink> sink);

    const std::string& id() const { return id_; }
    const std::string& accountId() const { return accountId_; }
    const std::string& participantId() const { return participantId_; }
    DeviceSink& sink() { return *sink_; }

    // The device's publisher offer; `aliases` maps msid → alias.
    void offer(const std::string& sdp, std::map<std::string, std::string> aliases,
               MediaReply<PublishAnswer> reply);
    // The device's answer to the last StreamsOffer.
    void answer(std::string sdp, MediaReply<bool> reply);
    // What it should receive may have changed.
    void refresh();
    void onEvent(HandleId handle, const HandleEvent& event);
    // Its participant left the session (or moved): the publisher leaves the room.
    void leave();
    // Detaches both handles (the device is going away).
    void close();
    // Janus's session is gone: every handle with it.
    void forgetJanus();

    // What the registry reads.
    std::uint64_t feed() const { return feed_; }
    bool publishesLive(const std::string& sessionId) const {
        return pubSession_ == sessionId && isLive(pub_);
    }
    const std::string& publishSession() const { return pubSession_; }
    const std::string& subscribeSession() const { return subSession_; }
    // The session its offer in flight publishes into (its room must not go meanwhile); "" if none.
    std::string offerSession() const { return pending_ ? pending_->sessionId : std::string(); }
    const std::vector<PublishedTrack>& tracks() const { return tracks_; }
    std::optional<std::string> aliasOf(const std::string& msid) const {
        auto it = aliases_.find(msid);
        return it == aliases_.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    bool receives(std::uint64_t feed) const {
        return std::any_of(subscribed_.begin(), subscribed_.end(),
                           [feed](const FeedMid& fm) { return fm.first == feed; });
    }
    PubState publisherState() const { return pub_; }
    SubState subscriberState() const { return sub_; }

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
    void onSub(SubEvent event);
    void request();
    VideoRoom::Done<std::optional<SubscriberOffer>> onReplyFor(HandleId handle);
    void onReply(std::optional<JanusError> error, std::optional<SubscriberOffer> offer);
    void sendOffer(const SubscriberOffer& offer);
    void startSubscriber();
    void dropSubscriber();

    LegHost& host_;
    std::string id_, accountId_, participantId_;
    std::shared_ptr<DeviceSink> sink_;

    // Publishing side.
    PubState pub_ = PubState::Detached;
    HandleId pubHandle_ = 0;
    std::uint64_t feed_ = 0;
    std::string pubSession_;
    std::vector<PublishedTrack> tracks_;
    PublisherSections sections_;  // its m-lines as Janus has them (recycled m-lines moved)
    std::map<std::string, std::string> aliases_;
    std::optional<PendingOffer> pending_;  // the offer in flight

    // Subscribing side.
    SubState sub_;
    HandleId subHandle_ = 0;
    std::string subSession_;
    std::set<FeedMid> subscribed_;
    std::set<FeedMid> asked_;                    // what the request in flight asks for
    std::optional<SubscriberOffer> replyOffer_;  // the offer of the request just answered
    std::optional<SubscriberOffer> janusOffer_;  // Janus's own offer, sent or queued
    std::optional<std::string> answerSdp_;
    MediaReply<bool> answerReply_;
    int revision_ = 0;
};

}  // namespace sb::media
