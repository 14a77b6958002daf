#include "server/media/BrowserLeg.hpp"

#include <algorithm>
#include <utility>

#include "server/base/Log.hpp"

namespace sb::media {

namespace {
MediaError mediaServer(const std::string& why) {
    return {MediaError::Kind::MediaServer, why};
}

template <class T>
void fail(MediaReply<T>& reply, MediaError error) {
    if (auto r = std::exchange(reply, nullptr)) r(std::move(error), T{});
}
}  // namespace

BrowserLeg::BrowserLeg(LegHost& host, std::string deviceId, std::string accountId,
                       std::string participantId, std::shared_ptr<DeviceSink> sink)
    : host_(host),
      id_(std::move(deviceId)),
      accountId_(std::move(accountId)),
      participantId_(std::move(participantId)),
      sink_(std::move(sink)) {}

// publishing

void BrowserLeg::offer(const std::string& sdp, std::map<std::string, std::string> aliases,
                       MediaReply<PublishAnswer> reply) {
    if (isBusy(pub_))
        return reply(
            MediaError{MediaError::Kind::Busy, "the previous offer is still being negotiated"}, {});
    auto p = host_.participant(accountId_, participantId_);
    if (!p)
        return reply(MediaError{MediaError::Kind::NotPermitted, "participant no longer exists"},
                     {});
    if (!p->sessionId)
        return reply(MediaError{MediaError::Kind::NotPermitted,
                                "participant is not in a session: add it first"},
                     {});
    if (!pubSession_.empty() && pubSession_ != *p->sessionId) leave();  // moved: a new room
    pending_ = PendingOffer{planOffer(sdp, p->publishPermissions),
                            std::move(aliases),
                            {},
                            std::move(reply),
                            *p->sessionId,
                            host_.newOfferSequence()};
    onPub(PubEvent::Offer);
}

void BrowserLeg::onPub(PubEvent event, std::optional<JanusError> error, PublisherAnswer answer) {
    const std::string before = pubSession_;
    auto step = next(pub_, event);
    if (base::logEnabled(base::LogLevel::Debug) && step.state != pub_)
        base::log(base::LogLevel::Debug, "media: device " + id_ + " publisher " + nameOf(pub_) +
                                             " -> " + nameOf(step.state));
    pub_ = step.state;
    for (auto action : step.actions) {
        switch (action) {
            case PubAction::RejectBusy:
                break;  // answered by offer() before any change
            case PubAction::AttachAndJoin:
                attachPublisher();
                break;
            case PubAction::Publish:
                sendPublisherOffer(VideoRoom::PublishMode::Publish, 0);
                break;
            case PubAction::Configure:
                sendPublisherOffer(VideoRoom::PublishMode::Configure, 0);
                break;
            case PubAction::ReplyAnswer:
                finishPublishing(std::exchange(answer, {}));
                break;
            case PubAction::ReplyError:
                if (pending_)
                    fail(pending_->reply,
                         mediaServer(error ? error->reason : "the device left its room"));
                pending_.reset();
                break;
            case PubAction::RefreshRoom:
                host_.refreshRoom(pubSession_.empty() ? before : pubSession_);
                break;
            case PubAction::Retire:
                retirePublisher();
                break;
        }
    }
}

void BrowserLeg::attachPublisher() {
    const auto seq = pending_->sequence;
    host_.withRoom(
        accountId_, pending_->sessionId,
        [host = host_.self(), id = id_, seq](std::optional<RoomRef> room) {
            auto* leg = host->browser(id);
            if (!leg || !leg->pending_ || leg->pending_->sequence != seq) return;
            if (!room)
                return leg->onPub(PubEvent::Failed, JanusError{0, "no media server available"});
            host->videoRoom().attach([host, id, seq, roomId = room->roomId](
                                         const std::optional<JanusError>& error, HandleId h) {
                auto* dev = host->browser(id);
                bool current = dev && dev->pending_ && dev->pending_->sequence == seq &&
                               dev->pub_ == PubState::Attaching;
                if (!current) {
                    if (!error) host->videoRoom().detach(h);
                    return;
                }
                if (error) return dev->onPub(PubEvent::Failed, error);
                dev->pubHandle_ = h;
                host->ownHandle(h, id);
                ++host->stats().publishers;
                dev->sendPublisherOffer(VideoRoom::PublishMode::JoinAndConfigure, roomId);
            });
        });
}

void BrowserLeg::sendPublisherOffer(VideoRoom::PublishMode mode, std::uint64_t roomId) {
    // A new Janus PeerConnection (new handle, or one whose PeerConnection ended) is laid out anew.
    if (mode != VideoRoom::PublishMode::Configure) sections_.reset();
    auto janusOffer = sections_.toJanus(pending_->plan.sdpForJanus);
    pending_->layout = std::move(janusOffer.layout);
    host_.videoRoom().publish(pubHandle_, mode, roomId, participantId_, janusOffer.sdp,
                              [host = host_.self(), id = id_, seq = pending_->sequence](
                                  const std::optional<JanusError>& error, PublisherAnswer answer) {
                                  auto* leg = host->browser(id);
                                  if (!leg || !leg->pending_ || leg->pending_->sequence != seq)
                                      return;
                                  if (error) return leg->onPub(PubEvent::Failed, error);
                                  leg->onPub(PubEvent::Answered, std::nullopt, std::move(answer));
                              });
}

void BrowserLeg::finishPublishing(PublisherAnswer answer) {
    if (!pending_) return;
    auto offer = std::move(*pending_);
    pending_.reset();
    if (answer.feed) feed_ = *answer.feed;
    pubSession_ = offer.sessionId;
    sections_.commit(std::move(offer.layout));
    tracks_ = offer.plan.tracks;
    readNegotiatedCodecs(answer.sdp, tracks_);
    aliases_ = offer.aliases;
    PublishAnswer result{
        id_,
        finishAnswer(PublisherSections::toBrowser(answer.sdp, offer.plan.sdpForJanus),
                     offer.plan.refusedMids),
        streamMetadata(offer.plan.tracks, participantId_, offer.aliases)};
    offer.reply(std::nullopt, std::move(result));
}

void BrowserLeg::retirePublisher() {
    if (pending_)
        fail(pending_->reply,
             MediaError{MediaError::Kind::NotPermitted, "participant left the session"});
    pending_.reset();
    if (pubHandle_) {
        host_.disownHandle(pubHandle_);
        --host_.stats().publishers;
        host_.retire(pubHandle_, feed_);
    }
    pubHandle_ = 0;
    feed_ = 0;
    pubSession_.clear();
    sections_.reset();
    tracks_.clear();
}

void BrowserLeg::leave() {
    onPub(PubEvent::Leave);
}

// subscribing

void BrowserLeg::refresh() {
    onSub(SubEvent::Refresh);
}

void BrowserLeg::onSub(SubEvent event) {
    auto step = next(sub_, event);
    if (base::logEnabled(base::LogLevel::Debug) && step.state.phase != sub_.phase)
        base::log(base::LogLevel::Debug, "media: device " + id_ + " subscriber " +
                                             nameOf(sub_.phase) + " -> " +
                                             nameOf(step.state.phase));
    sub_ = step.state;
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
                startSubscriber();
                break;
            case SubAction::RejectAnswer:
                break;  // answered by answer() before any change
            case SubAction::Reset:
                dropSubscriber();
                break;
        }
    }
}

void BrowserLeg::request() {
    auto p = host_.participant(accountId_, participantId_);
    std::string sessionId = p && p->sessionId ? *p->sessionId : std::string();
    if (subHandle_ && subSession_ != sessionId)
        dropSubscriber();  // removed from the session, or moved
    auto room = sessionId.empty() ? std::nullopt : host_.existingRoom(sessionId);
    if (!room) return onSub(SubEvent::NothingToAsk);  // nobody publishes there yet
    auto wanted = host_.wantedStreams(accountId_, participantId_, sessionId, false);
    if (wanted == subscribed_ || (!subHandle_ && wanted.empty()))
        return onSub(SubEvent::NothingToAsk);
    if (base::logEnabled(base::LogLevel::Debug))
        base::log(base::LogLevel::Debug, "media: device " + id_ + " subscription " +
                                             std::to_string(subscribed_.size()) + " -> " +
                                             std::to_string(wanted.size()) + " streams");
    asked_ = wanted;
    if (subHandle_) {
        std::set<FeedMid> add, remove;
        std::set_difference(wanted.begin(), wanted.end(), subscribed_.begin(), subscribed_.end(),
                            std::inserter(add, add.end()));
        std::set_difference(subscribed_.begin(), subscribed_.end(), wanted.begin(), wanted.end(),
                            std::inserter(remove, remove.end()));
        host_.videoRoom().update(subHandle_, add, remove, onReplyFor(subHandle_));
        return;
    }
    // A new subscriber handle: VideoRoom attaches it, joins, and retries a 428 on a fresh one.
    host_.videoRoom().subscribe(
        room->roomId, asked_,
        [host = host_.self(), id = id_, sessionId](std::optional<JanusError> error,
                                                   Subscribed subscribed) {
            auto* leg = host->browser(id);
            if (!leg || leg->subHandle_ || leg->sub_.phase != SubPhase::Requesting) {
                if (!error) host->videoRoom().detach(subscribed.handle);
                return;
            }
            if (!error) {
                leg->subHandle_ = subscribed.handle;
                leg->subSession_ = sessionId;
                host->ownHandle(subscribed.handle, id);
                ++host->stats().subscribers;
            }
            leg->onReply(std::move(error), std::move(subscribed.offer));
        });
}

VideoRoom::Done<std::optional<SubscriberOffer>> BrowserLeg::onReplyFor(HandleId handle) {
    return [host = host_.self(), id = id_, handle](std::optional<JanusError> error,
                                                   std::optional<SubscriberOffer> offer) {
        auto* leg = host->browser(id);
        if (!leg || leg->subHandle_ != handle) return;  // the handle was replaced meanwhile
        leg->onReply(std::move(error), std::move(offer));
    };
}

void BrowserLeg::onReply(std::optional<JanusError> error, std::optional<SubscriberOffer> offer) {
    if (error) {
        // A handle that receives nothing is not worth keeping (a failed update may leave it
        // so): the next request starts on a fresh one.
        if (subscribed_.empty()) dropSubscriber();
        base::log(base::LogLevel::Warn,
                  "media: subscription update for device " + id_ + " failed: " + error->reason);
        return onSub(SubEvent::ReplyFailed);
    }
    if (!offer) {
        subscribed_ = asked_;
        host_.subscriptionsChanged();
        return onSub(SubEvent::ReplyNoOffer);
    }
    replyOffer_ = std::move(offer);
    onSub(SubEvent::ReplyOffer);
}

void BrowserLeg::sendOffer(const SubscriberOffer& offer) {
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
    subscribed_ = active;
    ++revision_;
    if (base::logEnabled(base::LogLevel::Debug))
        base::log(base::LogLevel::Debug, "media: device " + id_ + " sdpOffer revision " +
                                             std::to_string(revision_) + " with " +
                                             std::to_string(active.size()) + " active streams");
    sink_->streamsOffered(
        StreamsOffer{"subscriber-" + id_, sdp.str(), revision_, std::move(metadata)});
    host_.subscriptionsChanged();
}

void BrowserLeg::answer(std::string sdp, MediaReply<bool> reply) {
    if (!subHandle_ || !awaitsAnswer(sub_))
        return reply(
            MediaError{MediaError::Kind::NotConnected, "no sdpOffer is waiting for an answer"},
            false);
    answerSdp_ = std::move(sdp);
    answerReply_ = std::move(reply);
    onSub(SubEvent::DeviceAnswer);
}

void BrowserLeg::startSubscriber() {
    host_.videoRoom().start(subHandle_, answerSdp_.value_or(""),
                            [host = host_.self(), id = id_](std::optional<JanusError> error) {
                                auto* leg = host->browser(id);
                                if (!leg) return;
                                if (auto reply = std::exchange(leg->answerReply_, nullptr)) {
                                    if (error)
                                        reply(mediaServer(error->reason), false);
                                    else
                                        reply(std::nullopt, true);
                                }
                                leg->onSub(SubEvent::Started);
                            });
}

void BrowserLeg::dropSubscriber() {
    replyOffer_.reset();
    janusOffer_.reset();
    if (!subHandle_) return;
    host_.disownHandle(subHandle_);
    host_.videoRoom().detach(subHandle_);
    --host_.stats().subscribers;
    const std::string old = std::exchange(subSession_, std::string());
    subHandle_ = 0;
    subscribed_.clear();
    host_.subscriptionsChanged();
    host_.roomMayBeUnused(old);
}

// events

void BrowserLeg::onEvent(HandleId handle, const HandleEvent& event) {
    if (handle == pubHandle_) {
        if (event.kind == HandleEvent::Kind::WebrtcUp)
            onPub(PubEvent::WebrtcUp);
        else if (event.kind == HandleEvent::Kind::Hangup)
            onPub(PubEvent::Hangup);
    } else if (handle == subHandle_) {
        if (event.kind == HandleEvent::Kind::Hangup) {
            // The subscriber PeerConnection is gone: start over with a new one.
            onSub(SubEvent::Hangup);
        } else if (event.kind == HandleEvent::Kind::Offer) {
            // Janus renegotiates on its own (e.g. a publisher vanished): forwarded like our own
            // offers, after the negotiation in progress if there is one.
            janusOffer_ = event.offer;
            onSub(SubEvent::JanusOffer);
        }
    }
}

void BrowserLeg::close() {
    leave();
    dropSubscriber();
    if (answerReply_)
        fail(answerReply_, MediaError{MediaError::Kind::NotConnected, "device is not connected"});
}

void BrowserLeg::forgetJanus() {
    if (pending_) fail(pending_->reply, mediaServer("media server unavailable"));
    pending_.reset();
    if (answerReply_) fail(answerReply_, mediaServer("media server unavailable"));
    pub_ = PubState::Detached;
    pubHandle_ = subHandle_ = 0;
    feed_ = 0;
    pubSession_.clear();
    subSession_.clear();
    sections_.reset();
    tracks_.clear();
    sub_ = {};
    subscribed_.clear();
    replyOffer_.reset();
    janusOffer_.reset();
}

}  // namespace sb::media
