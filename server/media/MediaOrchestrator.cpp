#include "server/media/MediaOrchestrator.hpp"
#include "server/media/OrchestratorState.hpp"

#include <boost/asio/post.hpp>
#include <random>

#include "server/api/ApiError.hpp"
#include "server/app/Log.hpp"
#include "server/media/JanusMessages.hpp"
#include "server/state/SubscriptionResolver.hpp"

namespace sb::media {

namespace asio = boost::asio;
using nlohmann::json;
using protocol::RpcError;
using protocol::RpcErrorCode;

namespace {
constexpr const char* kVideoRoom = "janus.plugin.videoroom";
constexpr auto kRetireGrace = std::chrono::seconds(5);

RpcError mediaError(const std::string& what) { return RpcError(RpcErrorCode::MediaServer, "Media server error: " + what); }

std::uint64_t randomRoomId() {
    static std::mt19937_64 rng{std::random_device{}()};
    // Janus room ids travel as JSON numbers: stay below 2^53 so every JSON parser keeps them exact.
    return 1 + rng() % ((std::uint64_t{1} << 52) - 1);
}
}  // namespace

MediaOrchestrator::MediaOrchestrator(asio::any_io_executor executor, MediaConfig config, api::CallControl& calls)
    : strand_(asio::make_strand(executor)), config_(std::move(config)), calls_(calls), reapTimer_(strand_) {}

MediaOrchestrator::~MediaOrchestrator() = default;

void MediaOrchestrator::start() {
    JanusClient::Listener listener;
    std::weak_ptr<MediaOrchestrator> weak = shared_from_this();
    listener.onHandleEvent = [weak](HandleId h, const json& msg) {
        if (auto self = weak.lock()) self->onHandleEvent(h, msg);
    };
    listener.onReady = [weak] {
        if (auto self = weak.lock()) self->onJanusReady();
    };
    listener.onLost = [weak] {
        if (auto self = weak.lock()) self->onJanusLost();
    };
    if (config_.janusUrl.empty()) return;  // signaling only: offers get a media-server error
    janus_ = std::make_unique<JanusClient>(strand_, config_.janusUrl, std::move(listener), config_.janusMaxMessageBytes);
    janus_->start();
}

void MediaOrchestrator::stop() {
    asio::post(strand_, [self = shared_from_this()] {
        self->reapTimer_.cancel();
        if (self->janus_) self->janus_->stop();
    });
}

MediaOrchestrator::Stats MediaOrchestrator::stats() const { return stats_; }

MediaOrchestrator::Device* MediaOrchestrator::device(const std::string& id) {
    auto it = devices_.find(id);
    return it == devices_.end() ? nullptr : it->second.get();
}

std::optional<state::Participant> MediaOrchestrator::participantOf(const Device& d) const {
    try {
        return calls_.participant(d.accountId, d.participantId);
    } catch (const api::ApiError&) {
        return std::nullopt;
    }
}

// ---- devices ----

void MediaOrchestrator::attachDevice(const std::string& deviceId, const std::string& accountId,
                                     const std::string& participantId, std::shared_ptr<DeviceSink> sink) {
    asio::post(strand_, [self = shared_from_this(), deviceId, accountId, participantId, sink] {
        auto d = std::make_unique<Device>();
        d->id = deviceId;
        d->accountId = accountId;
        d->participantId = participantId;
        d->sink = sink;
        auto* raw = d.get();
        self->devices_[deviceId] = std::move(d);
        ++self->stats_.devices;
        // Streams it is subscribed to may already be live: offer them right away.
        self->refreshDevice(*raw);
    });
}

void MediaOrchestrator::detachDevice(const std::string& deviceId) {
    asio::post(strand_, [self = shared_from_this(), deviceId] {
        auto* d = self->device(deviceId);
        if (!d) return;
        std::string subSession = d->subSession;
        self->leaveRoom(*d);
        if (d->subHandle) {
            self->handleOwner_.erase(d->subHandle);
            if (self->janus_) self->janus_->detach(d->subHandle);
            --self->stats_.subscribers;
        }
        self->devices_.erase(deviceId);
        --self->stats_.devices;
        self->reap();
        if (!subSession.empty()) self->maybeDestroyRoom(subSession);
    });
}

// ---- rooms ----

void MediaOrchestrator::withRoom(const std::string& accountId, const std::string& sessionId,
                                 std::function<void(Room*)> then) {
    auto it = rooms_.find(sessionId);
    if (it != rooms_.end()) {
        if (it->second->created) return then(it->second.get());
        it->second->waiters.push_back(std::move(then));
        return;
    }
    if (!controlHandle_) return then(nullptr);
    if (!spareRooms_.empty()) {
        auto spare = std::move(spareRooms_.back());
        spareRooms_.pop_back();
        --stats_.spareRooms;
        spare->accountId = accountId;
        spare->sessionId = sessionId;
        Room* reused = spare.get();
        rooms_[sessionId] = std::move(spare);
        return then(reused);
    }
    auto room = std::make_unique<Room>();
    room->accountId = accountId;
    room->sessionId = sessionId;
    room->roomId = randomRoomId();
    room->waiters.push_back(std::move(then));
    json body{{"request", "create"},          {"room", room->roomId},
              {"description", sessionId},     {"secret", config_.roomSecret},
              {"publishers", config_.maxPublishersPerRoom},
              {"audiocodec", "opus,pcmu"},    {"videocodec", "vp8,h264"},
              {"permanent", false},           {"is_private", true}};
    if (!config_.adminKey.empty()) body["admin_key"] = config_.adminKey;
    rooms_[sessionId] = std::move(room);
    janus_->message(controlHandle_, body, nullptr, [self = shared_from_this(), sessionId](const JanusReply& r) {
        auto it2 = self->rooms_.find(sessionId);
        if (it2 == self->rooms_.end()) return;
        auto waiters = std::move(it2->second->waiters);
        if (!r.ok) {
            app::log(app::LogLevel::Error, "media: cannot create room for session " + sessionId + ": " + r.error);
            self->rooms_.erase(it2);
            for (auto& w : waiters) w(nullptr);
            return;
        }
        it2->second->created = true;
        ++self->stats_.rooms;
        Room* created = it2->second.get();
        for (auto& w : waiters) w(created);
    });
}

void MediaOrchestrator::maybeDestroyRoom(const std::string& sessionId) {
    auto it = rooms_.find(sessionId);
    if (it == rooms_.end() || !it->second->created) return;
    for (const auto& [id, d] : devices_)
        if (d->pubSession == sessionId || d->subSession == sessionId) return;
    if (!it->second->remotes.empty()) {
        spareRooms_.push_back(std::move(it->second));
        rooms_.erase(it);
        ++stats_.spareRooms;
        return;
    }
    json body{{"request", "destroy"}, {"room", it->second->roomId}, {"secret", config_.roomSecret}};
    if (controlHandle_) janus_->message(controlHandle_, body, nullptr, [](const JanusReply&) {});
    rooms_.erase(it);
    --stats_.rooms;
}

// ---- publishing ----

void MediaOrchestrator::offer(const std::string& deviceId, std::string sdp, std::map<std::string, std::string> aliases,
                              RpcReply reply) {
    asio::post(strand_, [self = shared_from_this(), deviceId, sdp = std::move(sdp), aliases = std::move(aliases),
                         reply = std::move(reply)]() mutable {
        auto* d = self->device(deviceId);
        if (!d) return reply(RpcError(RpcErrorCode::InvalidState, "device is not connected"), nullptr);
        if (d->pubBusy)
            return reply(RpcError(RpcErrorCode::InvalidState, "the previous offer is still being negotiated"), nullptr);
        auto p = self->participantOf(*d);
        if (!p) return reply(RpcError(RpcErrorCode::NotPermitted, "participant no longer exists"), nullptr);
        if (!p->sessionId)
            return reply(RpcError(RpcErrorCode::NotPermitted, "participant is not in a session: add it first"), nullptr);
        self->publish(*d, *p->sessionId, std::move(sdp), std::move(aliases), std::move(reply));
    });
}

void MediaOrchestrator::publish(Device& d, const std::string& sessionId, std::string sdp,
                                std::map<std::string, std::string> aliases, RpcReply reply) {
    if (!d.pubSession.empty() && d.pubSession != sessionId) leaveRoom(d);
    auto p = participantOf(d);
    OfferPlan plan = planOffer(sdp, p ? p->publishPermissions : state::PublishPermissions{});
    d.pubBusy = true;
    withRoom(d.accountId, sessionId,
             [self = shared_from_this(), id = d.id, plan = std::move(plan), aliases = std::move(aliases),
              reply = std::move(reply)](Room* room) mutable {
                 auto* dev = self->device(id);
                 if (!dev) return reply(RpcError(RpcErrorCode::InvalidState, "device went away"), nullptr);
                 if (!room) {
                     dev->pubBusy = false;
                     return reply(mediaError("no media server available"), nullptr);
                 }
                 self->sendPublisherOffer(*dev, *room, plan, std::move(aliases), std::move(reply));
             });
}

void MediaOrchestrator::sendPublisherOffer(Device& d, Room& room, const OfferPlan& plan,
                                           std::map<std::string, std::string> aliases, RpcReply reply) {
    auto self = shared_from_this();
    if (!d.pubHandle || !d.pubPublished) d.pubSections.reset();  // a new Janus PeerConnection: laid out anew
    auto janusOffer = d.pubSections.toJanus(plan.sdpForJanus);
    auto onAnswer = [self, id = d.id, plan, aliases, reply, sessionId = room.sessionId,
                     layout = std::move(janusOffer.layout)](const JanusReply& r) mutable {
        auto* dev = self->device(id);
        if (!dev) return reply(RpcError(RpcErrorCode::InvalidState, "device went away"), nullptr);
        dev->pubBusy = false;
        if (!r.ok || !r.jsep.is_object())
            return reply(mediaError(r.ok ? "no answer from the media server" : r.error), nullptr);
        // parseReply checked the jsep; the publisher id ("id", a positive integer) is ours to check.
        auto feed = janus::uintAt(r.data, "id");
        if (r.data.contains("id") && (!feed || *feed == 0)) return reply(mediaError(janus::kMalformed), nullptr);
        if (feed) dev->feed = *feed;
        dev->pubSession = sessionId;
        dev->pubPublished = true;
        dev->pubSections.commit(std::move(layout));
        dev->tracks = plan.tracks;
        readNegotiatedCodecs(janus::stringAt(r.jsep, "sdp").value_or(""), dev->tracks);
        dev->aliases = aliases;
        json result{{"endpointId", dev->id},
                    {"sdpAnswer", finishAnswer(PublisherSections::toBrowser(janus::stringAt(r.jsep, "sdp").value_or(""),
                                                                            plan.sdpForJanus),
                                               plan.refusedMids)},
                    {"streamMetadata", streamMetadata(plan.tracks, dev->participantId, aliases)}};
        reply(std::nullopt, std::move(result));
        if (dev->pubUp) self->refreshRoom(sessionId);
    };
    json jsep{{"type", "offer"}, {"sdp", janusOffer.sdp}};
    if (d.pubHandle) {
        json body{{"request", d.pubPublished ? "configure" : "publish"}};
        janus_->message(d.pubHandle, body, jsep, onAnswer);
        return;
    }
    janus_->attach(kVideoRoom, [self, id = d.id, roomId = room.roomId, jsep, onAnswer, reply](
                                   bool ok, HandleId h, const std::string& error) {
        auto* dev = self->device(id);
        if (!ok || !dev) {
            if (ok) self->janus_->detach(h);
            if (dev) dev->pubBusy = false;
            return reply(mediaError(ok ? "device went away" : error), nullptr);
        }
        dev->pubHandle = h;
        self->handleOwner_[h] = id;
        ++self->stats_.publishers;
        json body{{"request", "joinandconfigure"}, {"ptype", "publisher"}, {"room", roomId}, {"display", dev->participantId}};
        self->janus_->message(h, body, jsep, onAnswer);
    });
}

void MediaOrchestrator::leaveRoom(Device& d) {
    if (!d.pubHandle) return;
    std::string session = d.pubSession;
    retired_.push_back({d.pubHandle, d.feed, std::chrono::steady_clock::now() + kRetireGrace});
    handleOwner_.erase(d.pubHandle);
    --stats_.publishers;
    d.pubHandle = 0;
    d.feed = 0;
    d.pubSession.clear();
    d.pubPublished = d.pubUp = d.pubBusy = false;
    d.pubSections.reset();
    d.tracks.clear();
    // Others unsubscribe from the feed first; the handle is detached once nobody receives it, so
    // Janus never has to renegotiate subscribers on its own.
    if (!session.empty()) refreshRoom(session);
    reap();
}

void MediaOrchestrator::reap() {
    auto now = std::chrono::steady_clock::now();
    for (auto it = retired_.begin(); it != retired_.end();) {
        bool inUse = false;
        for (const auto& [id, d] : devices_)
            for (const auto& fm : d->subscribed)
                if (fm.first == it->feed) inUse = true;
        if (!inUse || it->deadline <= now) {
            if (janus_ && controlHandle_) janus_->detach(it->handle);
            it = retired_.erase(it);
        } else {
            ++it;
        }
    }
    if (!retired_.empty()) {
        reapTimer_.expires_after(std::chrono::seconds(1));
        reapTimer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
            if (!ec) self->reap();
        });
    }
    std::set<std::string> sessions;
    for (const auto& [sid, room] : rooms_) sessions.insert(sid);
    for (const auto& sid : sessions) maybeDestroyRoom(sid);
}

// ---- subscribing ----

void MediaOrchestrator::refreshRoom(const std::string& sessionId) {
    std::vector<std::string> ids;
    for (const auto& [id, d] : devices_) {
        auto p = participantOf(*d);
        if (d->subSession == sessionId || (p && p->sessionId == sessionId)) ids.push_back(id);
    }
    for (const auto& id : ids)
        if (auto* d = device(id)) refreshDevice(*d);
}

const PublishedTrack* MediaOrchestrator::findTrack(std::uint64_t feed, const std::string& mid,
                                                   std::string* participantId) const {
    for (const auto& [id, d] : devices_) {
        if (d->feed != feed) continue;
        for (const auto& t : d->tracks)
            if (t.mid == mid) {
                if (participantId) *participantId = d->participantId;
                return &t;
            }
    }
    return nullptr;
}

std::set<FeedMid> MediaOrchestrator::wantedStreams(Device& d, const std::string& sessionId, const state::Participant& p) {
    std::set<FeedMid> wanted;
    std::vector<state::SessionMember> members;
    try {
        for (const auto& m : calls_.sessionParticipants(d.accountId, sessionId)) members.push_back({m.id});
    } catch (const api::ApiError&) {
        return wanted;
    }
    std::vector<state::PublishedStream> streams;
    for (const auto& [id, e] : devices_) {
        if (e->pubSession != sessionId || !e->pubUp) continue;
        std::set<std::string> seen;
        for (const auto& t : e->tracks) {
            if (!seen.insert(t.msid).second) continue;
            std::optional<std::string> alias;
            if (auto a = e->aliases.find(t.msid); a != e->aliases.end()) alias = a->second;
            streams.push_back({e->participantId, t.msid, alias});
        }
    }
    auto received = state::receivedStreams(d.participantId, sessionId, p.subscriptions, members, streams);
    for (const auto& [id, e] : devices_) {
        if (e->pubSession != sessionId || !e->pubUp) continue;
        for (const auto& t : e->tracks) {
            if (d.phone && t.kind != "audio") continue;  // a phone hears, it does not watch
            for (const auto& r : received)
                if (r.participantId == e->participantId && r.streamId == t.msid) wanted.insert({e->feed, t.mid});
        }
    }
    return wanted;
}

void MediaOrchestrator::refreshDevice(Device& d) {
    if (d.subBusy || d.forwardsBusy) {
        d.dirty = true;
        return;
    }
    d.dirty = false;
    auto p = participantOf(d);
    std::string sessionId = p && p->sessionId ? *p->sessionId : std::string();
    // A phone still being attached (add_remote_publisher under way) has no room session yet; the
    // attach refreshes its room when done. Refreshed now by another member's change (several phones
    // joining one conference at once), it would otherwise look moved and be ended.
    if (d.phone && !d.pubUp) return;
    if (d.phone && sessionId != d.pubSession) return endPhoneLeg(d, sessionId.empty() ? "participant left the session" : "participant moved to another session");

    if (d.subHandle && d.subSession != sessionId) {
        // Removed from the session (or moved): its subscriber leaves the old room.
        handleOwner_.erase(d.subHandle);
        janus_->detach(d.subHandle);
        --stats_.subscribers;
        std::string old = d.subSession;
        d.subHandle = 0;
        d.subSession.clear();
        d.subscribed.clear();
        reap();
        maybeDestroyRoom(old);
    }
    if (sessionId.empty()) return;
    auto roomIt = rooms_.find(sessionId);
    if (roomIt == rooms_.end() || !roomIt->second->created) return;  // nobody publishes yet

    auto wanted = wantedStreams(d, sessionId, *p);
    if (d.phone) return applyForwards(d, wanted);
    if (wanted == d.subscribed) return;
    if (app::logEnabled(app::LogLevel::Debug))
        app::log(app::LogLevel::Debug, "media: device " + d.id + " subscription " + std::to_string(d.subscribed.size()) +
                                           " -> " + std::to_string(wanted.size()) + " streams");

    auto toList = [](const std::set<FeedMid>& s) {
        json list = json::array();
        for (const auto& [feed, mid] : s) list.push_back({{"feed", feed}, {"mid", mid}});
        return list;
    };
    auto self = shared_from_this();
    auto onOffer = [self, id = d.id, wanted](const JanusReply& r) {
        auto* dev = self->device(id);
        if (!dev) return;
        if (!r.ok) {
            app::log(app::LogLevel::Warn, "media: subscription update for device " + id + " failed: " + r.error);
            dev->subBusy = false;
            if (dev->dirty) self->refreshDevice(*dev);
            return;
        }
        if (!r.jsep.is_object()) {  // nothing to renegotiate…
            dev->subscribed = wanted;
            dev->subBusy = false;
            // …unless Janus renegotiated on its own meanwhile (its offer has the current state).
            if (self->sendPendingJanusOffer(*dev)) return;
            self->reap();
            if (dev->dirty) self->refreshDevice(*dev);
            return;
        }
        dev->pendingJanusOffer = nullptr;  // our reply's offer is newer
        self->onSubscriberOffer(*dev, janus::arrayAt(r.data, "streams"), r.jsep);
    };

    d.subBusy = true;
    if (!d.subHandle) {
        if (wanted.empty()) {
            d.subBusy = false;
            return;
        }
        janus_->attach(kVideoRoom, [self, id = d.id, sessionId, roomId = roomIt->second->roomId, list = toList(wanted),
                                    onOffer](bool ok, HandleId h, const std::string& error) {
            auto* dev = self->device(id);
            if (!ok || !dev) {
                if (ok) self->janus_->detach(h);
                if (dev) dev->subBusy = false;
                if (!ok) app::log(app::LogLevel::Warn, "media: cannot attach subscriber: " + error);
                return;
            }
            dev->subHandle = h;
            dev->subSession = sessionId;
            self->handleOwner_[h] = id;
            ++self->stats_.subscribers;
            json body{{"request", "join"}, {"ptype", "subscriber"}, {"room", roomId}, {"streams", list}};
            self->janus_->message(h, body, nullptr, onOffer);
        });
        return;
    }
    std::set<FeedMid> add, remove;
    for (const auto& fm : wanted)
        if (!d.subscribed.count(fm)) add.insert(fm);
    for (const auto& fm : d.subscribed)
        if (!wanted.count(fm)) remove.insert(fm);
    json body{{"request", "update"}};
    if (!add.empty()) body["subscribe"] = toList(add);
    if (!remove.empty()) body["unsubscribe"] = toList(remove);
    janus_->message(d.subHandle, body, nullptr, onOffer);
}

void MediaOrchestrator::onSubscriberOffer(Device& d, const json& streams, const json& jsep) {
    auto sdp = SessionDescription::parse(janus::stringAt(jsep, "sdp").value_or(""));
    json metadata = json::object();
    std::set<FeedMid> active;
    for (const auto& s : streams) {
        // A stream entry of another shape is skipped, like an inactive one.
        auto feedId = janus::uintAt(s, "feed_id");
        if (!janus::boolAt(s, "active").value_or(true) || !feedId) continue;
        auto feed = *feedId;
        auto feedMid = janus::stringAt(s, "feed_mid").value_or("");
        auto mid = janus::stringAt(s, "mid").value_or("");
        std::string pid;
        const auto* track = findTrack(feed, feedMid, &pid);
        auto* section = sdp.byMid(mid);
        if (!track || !section) continue;
        active.insert({feed, feedMid});
        // Janus gives every subscriber track the msid "janus"; the SDK keys streams by msid, so
        // each track gets its publisher's msid back (reference §2.3, janus-notes §2).
        setMsid(*section, track->msid, track->trackId.empty() ? "janus" + mid : track->trackId);
        auto& entry = metadata[track->msid];
        if (entry.is_null()) {
            entry = {{"endpointId", track->msid}, {"participantId", pid}, {"mediaTypes", json::array()}};
            for (const auto& [id, e] : devices_)
                if (e->feed == feed)
                    if (auto a = e->aliases.find(track->msid); a != e->aliases.end()) entry["alias"] = a->second;
        }
        auto type = mediaTypeOf(track->kind);
        auto& types = entry["mediaTypes"];
        if (std::find(types.begin(), types.end(), type) == types.end()) types.push_back(type);
    }
    d.subscribed = active;
    if (app::logEnabled(app::LogLevel::Debug))
        app::log(app::LogLevel::Debug, "media: device " + d.id + " sdpOffer revision " + std::to_string(d.revision + 1) +
                                           " with " + std::to_string(active.size()) + " active streams");
    d.awaitingAnswer = true;
    d.subBusy = true;
    ++d.revision;
    d.sink->notify(protocol::method::kSdpOffer, json{{"endpointId", "subscriber-" + d.id},
                                                    {"sdpOffer", sdp.str()},
                                                    {"sdpRevision", d.revision},
                                                    {"streamMetadata", metadata}});
    reap();
}

void MediaOrchestrator::answer(const std::string& deviceId, std::string sdp, RpcReply reply) {
    asio::post(strand_, [self = shared_from_this(), deviceId, sdp = std::move(sdp), reply = std::move(reply)] {
        auto* d = self->device(deviceId);
        if (!d) return reply(RpcError(RpcErrorCode::InvalidState, "device is not connected"), nullptr);
        if (!d->awaitingAnswer || !d->subHandle)
            return reply(RpcError(RpcErrorCode::InvalidState, "no sdpOffer is waiting for an answer"), nullptr);
        d->awaitingAnswer = false;
        json jsep{{"type", "answer"}, {"sdp", sdp}};
        self->janus_->message(d->subHandle, json{{"request", "start"}}, jsep, [self, deviceId, reply](const JanusReply& r) {
            auto* dev = self->device(deviceId);
            if (!dev) return;
            dev->subBusy = false;
            if (!r.ok) reply(mediaError(r.error), nullptr);
            else reply(std::nullopt, json::object());
            if (self->sendPendingJanusOffer(*dev)) return;
            if (dev->dirty) self->refreshDevice(*dev);
        });
    });
}

// ---- Janus events ----

void MediaOrchestrator::onHandleEvent(HandleId handle, const json& msg) {
    auto owner = handleOwner_.find(handle);
    if (owner == handleOwner_.end()) return;
    auto* d = device(owner->second);
    if (!d) return;
    std::string kind = janus::stringAt(msg, "janus").value_or("");
    bool isPub = handle == d->pubHandle;
    if (kind == "webrtcup" && isPub) {
        d->pubUp = true;
        refreshRoom(d->pubSession);
    } else if (kind == "hangup") {
        if (isPub) {
            d->pubUp = d->pubPublished = false;
            refreshRoom(d->pubSession);
        } else {
            // The subscriber PeerConnection is gone: start over with a new one.
            handleOwner_.erase(d->subHandle);
            janus_->detach(d->subHandle);
            --stats_.subscribers;
            d->subHandle = 0;
            d->subSession.clear();
            d->subscribed.clear();
            d->subBusy = d->awaitingAnswer = false;
            refreshDevice(*d);
        }
    } else if (kind == "event" && !isPub && msg.contains("jsep")) {
        // Janus renegotiates on its own (e.g. a publisher vanished): forward like our own offers,
        // after the negotiation in progress if there is one.
        d->pendingJanusOffer = msg;
        if (!d->subBusy) sendPendingJanusOffer(*d);
    }
}

bool MediaOrchestrator::sendPendingJanusOffer(Device& d) {
    if (d.pendingJanusOffer.is_null()) return false;
    json msg = std::move(d.pendingJanusOffer);
    d.pendingJanusOffer = nullptr;
    // JanusClient checked the jsep of this event; plugindata may still be of any shape.
    const auto plugindata = msg.contains("plugindata") ? msg["plugindata"] : json::object();
    const auto data = plugindata.is_object() && plugindata.contains("data") ? plugindata["data"] : json::object();
    d.subBusy = true;
    onSubscriberOffer(d, janus::arrayAt(data, "streams"), msg["jsep"]);
    return true;
}

void MediaOrchestrator::onJanusReady() {
    janus_->attach(kVideoRoom, [self = shared_from_this()](bool ok, HandleId h, const std::string& error) {
        if (!ok) {
            app::log(app::LogLevel::Error, "media: cannot attach to the VideoRoom plugin: " + error);
            return;
        }
        self->controlHandle_ = h;
        for (auto& [id, d] : self->devices_) self->refreshDevice(*d);
    });
}

void MediaOrchestrator::onJanusLost() {
    // Every handle and room of the old Janus session is gone; devices re-offer (ICE restart after
    // their PeerConnection fails) and get new subscriber offers once Janus is back.
    controlHandle_ = 0;
    handleOwner_.clear();
    retired_.clear();
    rooms_.clear();
    spareRooms_.clear();
    std::vector<std::string> phones;
    for (auto& [id, d] : devices_)
        if (d->phone) phones.push_back(id);
    for (const auto& id : phones) endPhoneLeg(*devices_[id], "media server restarted");
    for (auto& [id, d] : devices_) {
        d->pubHandle = d->subHandle = 0;
        d->feed = 0;
        d->pubSession.clear();
        d->subSession.clear();
        d->pubPublished = d->pubUp = d->pubBusy = false;
        d->subBusy = d->awaitingAnswer = d->dirty = false;
        d->tracks.clear();
        d->subscribed.clear();
        d->forwards.clear();
        d->forwardsBusy = false;
    }
    stats_.rooms = stats_.publishers = stats_.subscribers = stats_.forwarders = stats_.remotePublishers = 0;
    stats_.spareRooms = 0;
}

// ---- call-control changes ----

void MediaOrchestrator::membershipChanged(const std::string& accountId, const std::string& participantId) {
    asio::post(strand_, [self = shared_from_this(), accountId, participantId] {
        std::set<std::string> sessions;
        for (auto& [id, d] : self->devices_) {
            if (d->accountId != accountId) continue;
            if (d->participantId == participantId) {
                auto p = self->participantOf(*d);
                if (!d->pubSession.empty() && (!p || p->sessionId != d->pubSession)) self->leaveRoom(*d);
                if (p && p->sessionId) sessions.insert(*p->sessionId);
            }
            if (!d->subSession.empty()) sessions.insert(d->subSession);
        }
        for (const auto& s : sessions) self->refreshRoom(s);
        for (auto& [id, d] : self->devices_)
            if (d->participantId == participantId) self->refreshDevice(*d);
    });
}

void MediaOrchestrator::participantDeleted(const std::string& accountId, const std::string& participantId) {
    asio::post(strand_, [self = shared_from_this(), accountId, participantId] {
        std::vector<std::string> ids;
        for (auto& [id, d] : self->devices_)
            if (d->accountId == accountId && d->participantId == participantId) ids.push_back(id);
        for (const auto& id : ids) {
            auto& d = *self->devices_[id];
            if (d.phone) {
                self->endPhoneLeg(d, "participant deleted");
                continue;
            }
            d.sink->closeDevice(4404, "participant deleted");
            self->detachDevice(id);
        }
    });
}

void MediaOrchestrator::sessionDeleted(const std::string& accountId, const std::string& sessionId,
                                       const std::vector<std::string>& members) {
    asio::post(strand_, [self = shared_from_this(), accountId, sessionId, members] {
        std::vector<std::string> ids;
        for (auto& [id, d] : self->devices_) {
            bool member = std::find(members.begin(), members.end(), d->participantId) != members.end();
            if (d->accountId == accountId && (member || d->pubSession == sessionId || d->subSession == sessionId))
                ids.push_back(id);
        }
        for (const auto& id : ids) {
            auto& d = *self->devices_[id];
            if (d.phone) {
                self->endPhoneLeg(d, "session deleted");
                continue;
            }
            d.sink->closeDevice(4410, "session deleted");
            self->detachDevice(id);
        }
    });
}

}  // namespace sb::media
