#include "server/media/BrowserSubscriber.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

#include "server/base/Log.hpp"
#include "server/media/BrowserLeg.hpp"
#include "server/media/Sdp.hpp"
#include "server/media/StreamNotices.hpp"
#include "server/media/Tracks.hpp"

namespace sb::media {

namespace {
// Callbacks find the subscriber again through its leg: the device may have gone meanwhile.
BrowserSubscriber* subscriberOf(LegHost& host, const std::string& deviceId) {
    auto* leg = host.browser(deviceId);
    return leg ? &leg->subscriber() : nullptr;
}
}  // namespace

BrowserSubscriber::BrowserSubscriber(LegHost& host, std::string deviceId, std::string accountId,
                                     std::string participantId, std::shared_ptr<DeviceSink> sink,
                                     bool loopback)
    : host_(host),
      id_(std::move(deviceId)),
      accountId_(std::move(accountId)),
      participantId_(std::move(participantId)),
      sink_(std::move(sink)),
      loopback_(loopback) {}

void BrowserSubscriber::refresh() {
    on(SubEvent::Refresh);
}

void BrowserSubscriber::on(SubEvent event) {
    auto step = next(state_, event);
    if (base::logEnabled(base::LogLevel::Debug) && step.state.phase != state_.phase)
        base::log(base::LogLevel::Debug, "media: device " + id_ + " subscriber " +
                                             nameOf(state_.phase) + " -> " +
                                             nameOf(step.state.phase));
    state_ = step.state;
    for (auto action : step.actions) {
        switch (action) {
            case SubAction::Request:
                request();
                break;
            case SubAction::SendOffer:
                if (replyOffer_) sendOffer(*std::exchange(replyOffer_, std::nullopt));
                break;
            case SubAction::SendJanusOffer:
                if (janusOffer_) sendOffer(*std::exchange(janusOffer_, std::nullopt));
                break;
            case SubAction::DropJanusOffer:
                janusOffer_.reset();
                break;
            case SubAction::Start:
                start();
                break;
            case SubAction::RejectAnswer:
                break;  // answered by answer() before any change
            case SubAction::Reset:
                drop();
                break;
        }
    }
}

void BrowserSubscriber::request() {
    auto p = host_.participant(accountId_, participantId_);
    std::string sessionId = p && p->sessionId ? *p->sessionId : std::string();
    if (handle_ && session_ != sessionId) drop();  // removed from the session, or moved
    if (std::exchange(restartWanted_, false) && handle_) {
        asked_ = subscribed_;
        restartAsked_ = true;
        host_.videoRoom().restartSubscriber(handle_, onReplyFor(handle_));
        return;
    }
    auto room = sessionId.empty() ? std::nullopt : host_.existingRoom(sessionId);
    if (!room) return on(SubEvent::NothingToAsk);  // nobody publishes there yet
    auto wanted = host_.wantedStreams(accountId_, participantId_, sessionId, false,
                                      loopback_ ? id_ : std::string());
    if (wanted == subscribed_ || (!handle_ && wanted.empty())) return on(SubEvent::NothingToAsk);
    if (base::logEnabled(base::LogLevel::Debug))
        base::log(base::LogLevel::Debug, "media: device " + id_ + " subscription " +
                                             std::to_string(subscribed_.size()) + " -> " +
                                             std::to_string(wanted.size()) + " streams");
    asked_ = wanted;
    if (handle_) {
        std::set<FeedMid> add, remove;
        std::set_difference(wanted.begin(), wanted.end(), subscribed_.begin(), subscribed_.end(),
                            std::inserter(add, add.end()));
        std::set_difference(subscribed_.begin(), subscribed_.end(), wanted.begin(), wanted.end(),
                            std::inserter(remove, remove.end()));
        host_.videoRoom().update(handle_, add, remove, onReplyFor(handle_));
        return;
    }
    // A new subscriber handle: VideoRoom attaches it, joins, and retries a 428 on a fresh one.
    host_.videoRoom().subscribe(
        room->roomId, asked_,
        [host = host_.self(), id = id_, sessionId](std::optional<JanusError> error,
                                                   Subscribed subscribed) {
            auto* sub = subscriberOf(*host, id);
            if (!sub || sub->handle_ || sub->state_.phase != SubPhase::Requesting) {
                if (!error) host->videoRoom().detach(subscribed.handle);
                return;
            }
            if (!error) {
                sub->handle_ = subscribed.handle;
                sub->session_ = sessionId;
                host->ownHandle(subscribed.handle, id);
                ++host->stats().subscribers;
            }
            sub->onReply(std::move(error), std::move(subscribed.offer));
        });
}

VideoRoom::Done<std::optional<SubscriberOffer>> BrowserSubscriber::onReplyFor(HandleId handle) {
    return [host = host_.self(), id = id_, handle](std::optional<JanusError> error,
                                                   std::optional<SubscriberOffer> offer) {
        auto* sub = subscriberOf(*host, id);
        if (!sub || sub->handle_ != handle) return;  // the handle was replaced meanwhile
        sub->onReply(std::move(error), std::move(offer));
    };
}

void BrowserSubscriber::onReply(std::optional<JanusError> error,
                                std::optional<SubscriberOffer> offer) {
    const bool restart = std::exchange(restartAsked_, false);
    if (error) {
        // A handle that receives nothing is not worth keeping (a failed update may leave it
        // so): the next request starts on a fresh one.
        if (subscribed_.empty()) drop();
        base::log(base::LogLevel::Warn,
                  "media: subscription update for device " + id_ + " failed: " + error->reason);
        return on(SubEvent::ReplyFailed);
    }
    if (!offer) {
        subscribed_ = asked_;
        host_.subscriptionsChanged();
        return on(SubEvent::ReplyNoOffer);
    }
    if (restart && offer->active.empty()) offer->active = lastActive_;
    replyOffer_ = std::move(offer);
    on(SubEvent::ReplyOffer);
}

void BrowserSubscriber::sendOffer(const SubscriberOffer& offer) {
    auto sdp = SessionDescription::parse(offer.sdp);
    StreamMetadata metadata;
    std::set<FeedMid> active;
    for (const auto& s : offer.active) {
        auto owner = host_.findTrack(s.feed, s.feedMid);
        auto* section = sdp.byMid(s.mid);
        if (!owner.track || !section) continue;
        const auto& track = *owner.track;
        active.insert({s.feed, s.feedMid});
        // Janus gives every subscriber track the msid "janus"; the SDK keys streams by msid, so
        // each track gets its publisher's msid back (reference §2.3).
        setMsid(*section, track.msid, track.trackId.empty() ? "janus" + s.mid : track.trackId);
        auto& entry = metadata[track.msid];
        if (entry.endpointId.empty()) entry = {track.msid, owner.participantId, owner.alias, {}};
        auto type = mediaTypeOf(track.kind);
        if (std::find(entry.mediaTypes.begin(), entry.mediaTypes.end(), type) ==
            entry.mediaTypes.end())
            entry.mediaTypes.push_back(type);
    }
    std::set<FeedMid> added;
    std::set_difference(active.begin(), active.end(), subscribed_.begin(), subscribed_.end(),
                        std::inserter(added, added.end()));
    subscribed_ = active;
    lastActive_ = offer.active;
    ++revision_;
    if (base::logEnabled(base::LogLevel::Debug))
        base::log(base::LogLevel::Debug, "media: device " + id_ + " sdpOffer revision " +
                                             std::to_string(revision_) + " with " +
                                             std::to_string(active.size()) + " active streams");
    sink_->streamsOffered(
        StreamsOffer{"subscriber-" + id_, sdp.str(), revision_, std::move(metadata)});
    for (const auto& notice : mutedAmong(host_, added)) sink_->streamNotice(notice);
    host_.subscriptionsChanged();
}

void BrowserSubscriber::answer(std::string sdp, MediaReply<bool> reply) {
    if (!handle_ || !awaitsAnswer(state_))
        return reply(
            MediaError{MediaError::Kind::NotConnected, "no sdpOffer is waiting for an answer"},
            false);
    answerSdp_ = std::move(sdp);
    answerReply_ = std::move(reply);
    on(SubEvent::DeviceAnswer);
}

std::optional<MediaError> BrowserSubscriber::restartIce() {
    if (!handle_)
        return MediaError{MediaError::Kind::NotConnected,
                          "the device has no subscribing connection to restart"};
    auto now = std::chrono::steady_clock::now();
    if (lastRestart_ != std::chrono::steady_clock::time_point{} &&
        now - lastRestart_ < kMinRestartInterval)
        return MediaError{MediaError::Kind::Busy, "restartIce was asked less than 1 s ago"};
    lastRestart_ = now;
    restartWanted_ = true;
    on(SubEvent::Refresh);  // now, or once the negotiation in flight is over
    return std::nullopt;
}

void BrowserSubscriber::start() {
    host_.videoRoom().start(
        handle_, answerSdp_.value_or(""),
        [host = host_.self(), id = id_](std::optional<JanusError> error) {
            auto* sub = subscriberOf(*host, id);
            if (!sub) return;
            if (auto reply = std::exchange(sub->answerReply_, nullptr)) {
                if (error)
                    reply(MediaError{MediaError::Kind::MediaServer, error->reason}, false);
                else
                    reply(std::nullopt, true);
            }
            sub->on(SubEvent::Started);
        });
}

void BrowserSubscriber::drop() {
    replyOffer_.reset();
    janusOffer_.reset();
    if (!handle_) return;
    host_.disownHandle(handle_);
    host_.videoRoom().detach(handle_);
    --host_.stats().subscribers;
    const std::string old = std::exchange(session_, std::string());
    handle_ = 0;
    subscribed_.clear();
    lastActive_.clear();
    restartWanted_ = restartAsked_ = false;
    host_.subscriptionsChanged();
    host_.roomMayBeUnused(old);
}

void BrowserSubscriber::onEvent(const HandleEvent& event) {
    if (event.kind == HandleEvent::Kind::Hangup) {
        // The subscriber PeerConnection is gone: start over with a new one.
        on(SubEvent::Hangup);
    } else if (event.kind == HandleEvent::Kind::Offer) {
        // Janus renegotiates on its own (e.g. a publisher vanished): forwarded like our own
        // offers, after the negotiation in progress if there is one.
        janusOffer_ = event.offer;
        on(SubEvent::JanusOffer);
    }
}

void BrowserSubscriber::close() {
    drop();
    failReply(answerReply_, MediaError{MediaError::Kind::NotConnected, "device is not connected"});
}

void BrowserSubscriber::forgetJanus() {
    failReply(answerReply_, MediaError{MediaError::Kind::MediaServer, "media server unavailable"});
    handle_ = 0;
    session_.clear();
    state_ = {};
    subscribed_.clear();
    lastActive_.clear();
    restartWanted_ = restartAsked_ = false;
    replyOffer_.reset();
    janusOffer_.reset();
}

}  // namespace sb::media
