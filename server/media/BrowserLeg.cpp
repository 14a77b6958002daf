#include "server/media/BrowserLeg.hpp"

#include <algorithm>
#include <utility>

#include "server/base/Log.hpp"
#include "server/base/Utf8.hpp"
#include "server/media/StreamNotices.hpp"

namespace sb::media {

namespace {
MediaError mediaServer(const std::string& why) {
    return {MediaError::Kind::MediaServer, why};
}

bool hasStream(const std::vector<PublishedTrack>& tracks, const std::string& msid) {
    return std::any_of(tracks.begin(), tracks.end(),
                       [&](const PublishedTrack& t) { return t.msid == msid; });
}

// Why `tracks` may not be published in `sessionId` by device `self`, if they may not: a stream id
// (msid) is what receivers key a stream by (its `streamMetadata` entry, its mute and speaking
// notices), so one that another device of the session publishes, or is offering, would let this
// device speak for that stream; "phone-" ids are the server's, for phone legs.
std::optional<MediaError> streamIdConflict(LegHost& host, const std::string& self,
                                           const std::string& sessionId,
                                           const std::vector<PublishedTrack>& tracks) {
    auto refuse = [](const std::string& msid, const char* why) {
        return MediaError{MediaError::Kind::NotPermitted,
                          "stream id " + base::truncateUtf8(msid, 64) + why};
    };
    for (const auto& t : tracks)
        if (t.msid.rfind("phone-", 0) == 0)
            return refuse(t.msid, " is reserved: ids beginning with phone- are the server's");
    std::optional<std::string> taken;
    host.forEachBrowser([&](BrowserLeg& other) {
        if (taken || other.id() == self) return;
        for (const auto& t : tracks)
            if ((other.publishSession() == sessionId && hasStream(other.tracks(), t.msid)) ||
                (other.offerSession() == sessionId && hasStream(other.offerTracks(), t.msid)))
                return void(taken = t.msid);
    });
    if (!taken) return std::nullopt;
    return refuse(*taken,
                  " is already published in this session by another device: each device "
                  "publishes stream ids of its own");
}
}  // namespace

BrowserLeg::BrowserLeg(LegHost& host, std::string deviceId, std::string accountId,
                       std::string participantId, std::shared_ptr<DeviceSink> sink, bool loopback)
    : host_(host),
      id_(std::move(deviceId)),
      accountId_(std::move(accountId)),
      participantId_(std::move(participantId)),
      sink_(std::move(sink)),
      subscriber_(host, id_, accountId_, participantId_, sink_, loopback) {}

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
    auto plan = planOffer(sdp, p->publishPermissions);
    // Before anything changes.
    if (auto conflict = streamIdConflict(host_, id_, *p->sessionId, plan.tracks))
        return reply(*conflict, {});
    if (!pubSession_.empty() && pubSession_ != *p->sessionId) leave();  // moved: a new room
    pending_ = PendingOffer{std::move(plan),  std::move(aliases), {},
                            std::move(reply), *p->sessionId,      host_.newOfferSequence()};
    onPub(PubEvent::Offer);
}

void BrowserLeg::onPub(PubEvent event, std::optional<JanusError> error, PublisherAnswer answer) {
    const std::string before = pubSession_;
    auto step = next(pub_, event);
    if (base::logEnabled(base::LogLevel::Debug) && step.state != pub_)
        base::log(base::LogLevel::Debug, "media: device " + id_ + " publisher " + nameOf(pub_) +
                                             " -> " + nameOf(step.state));
    // No longer received: its PeerConnection ended, it left, its handle goes.
    if (isLive(pub_) && !isLive(step.state)) endSpeaking();
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
                    failReply(pending_->reply,
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
    for (auto it = muted_.begin(); it != muted_.end();)
        it = std::any_of(tracks_.begin(), tracks_.end(),
                         [&it](const PublishedTrack& t) { return t.msid == it->first; })
                 ? std::next(it)
                 : muted_.erase(it);
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
        failReply(pending_->reply,
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

// events

void BrowserLeg::onEvent(HandleId handle, const HandleEvent& event) {
    if (handle == pubHandle_) {
        if (event.kind == HandleEvent::Kind::WebrtcUp)
            onPub(PubEvent::WebrtcUp);
        else if (event.kind == HandleEvent::Kind::Hangup)
            onPub(PubEvent::Hangup);
        // Every publisher of the room hears of every publisher's talking: each taken once, from
        // its own handle.
        else if (event.kind == HandleEvent::Kind::Talking && event.feed == feed_)
            talked(event);
    } else if (handle == subscriber_.handle()) {
        subscriber_.onEvent(event);
    }
}

void BrowserLeg::close() {
    leave();
    subscriber_.close();
}

bool BrowserLeg::forgetJanus() {
    const bool had = pubHandle_ != 0 || subscriber_.handle() != 0 || pending_;
    if (pending_) failReply(pending_->reply, mediaServer("media server unavailable"));
    pending_.reset();
    subscriber_.forgetJanus();
    pub_ = PubState::Detached;
    pubHandle_ = 0;
    feed_ = 0;
    pubSession_.clear();
    sections_.reset();
    tracks_.clear();
    return had;
}

std::optional<MediaError> BrowserLeg::setMuted(const std::string& msid, const std::string& kind,
                                               bool muted) {
    auto now = std::chrono::steady_clock::now();
    if (now - muteWindow_ >= std::chrono::seconds(1)) {
        muteWindow_ = now;
        muteChanges_ = 0;
    }
    if (++muteChanges_ > kMaxMuteChangesPerSecond)
        return MediaError{MediaError::Kind::Busy, "more than 10 setStreamMuted in one second"};
    std::set<FeedMid> tracks;
    for (const auto& t : tracks_)
        if (t.msid == msid && t.kind == kind) tracks.insert({feed_, t.mid});
    if (tracks.empty())
        return MediaError{MediaError::Kind::NotPermitted,
                          "endpointId is not a stream this device publishes with " + kind};
    std::pair<std::string, std::string> key{msid, kind};
    if (muted ? !muted_.insert(key).second : muted_.erase(key) == 0) return std::nullopt;
    tellReceivers(host_, tracks, {StreamNotice::Kind::Muted, msid, participantId_, kind, muted});
    return std::nullopt;
}

void BrowserLeg::talked(const HandleEvent& event) {
    for (const auto& t : tracks_)
        if (t.kind == "audio" && (event.mid.empty() || t.mid == event.mid)) {
            StreamNotice notice{StreamNotice::Kind::Speaking, t.msid, participantId_, "audio",
                                event.talking};
            auto told = tellReceivers(host_, {{feed_, t.mid}}, notice);
            if (event.talking) {
                speaking_[t.msid].insert(told.begin(), told.end());
                return;
            }
            // Stopped: also a device told it spoke that no longer receives it (unsubscribed).
            auto was = speaking_.find(t.msid);
            if (was == speaking_.end()) return;
            for (const auto& id : was->second)
                if (auto* d = host_.browser(id);
                    d && std::find(told.begin(), told.end(), id) == told.end())
                    d->sink().streamNotice(notice);
            speaking_.erase(was);
            return;
        }
}

// The devices told `speaking: true`, not those receiving now: Janus takes a gone publisher's
// stream out of its subscribers on its own, before its own handle's hangup reaches us.
void BrowserLeg::endSpeaking() {
    for (const auto& [msid, told] : std::exchange(speaking_, {}))
        for (const auto& id : told)
            if (auto* d = host_.browser(id))
                d->sink().streamNotice(
                    {StreamNotice::Kind::Speaking, msid, participantId_, "audio", false});
}

}  // namespace sb::media
