// The phone side of MediaOrchestrator (issue 4): a SIP call is an audio-only device that publishes
// through a Janus remote publisher and receives through rtp_forward. Same class and strand as
// MediaOrchestrator.cpp; split by concern.

#include <boost/asio/post.hpp>

#include "server/app/Log.hpp"
#include "server/media/JanusMessages.hpp"
#include "server/media/MediaOrchestrator.hpp"
#include "server/media/OrchestratorState.hpp"

namespace sb::media {

namespace asio = boost::asio;
using nlohmann::json;

void MediaOrchestrator::attachPhone(const std::string& callId, const std::string& accountId,
                                    const std::string& participantId, std::uint16_t forwardPort,
                                    std::shared_ptr<PhoneSink> sink, PhoneAttached done) {
    asio::post(strand_, [self = shared_from_this(), callId, accountId, participantId, forwardPort, sink, done] {
        if (self->devices_.count(callId)) return done(std::string("call is already attached"), {});
        auto d = std::make_unique<Device>();
        d->id = callId;
        d->accountId = accountId;
        d->participantId = participantId;
        d->phone = true;
        d->phoneSink = sink;
        d->forwardPort = forwardPort;
        auto p = self->participantOf(*d);
        if (!p) return done(std::string("participant no longer exists"), {});
        if (!p->sessionId) return done(std::string("participant is not in a session"), {});
        std::string sessionId = *p->sessionId;
        self->devices_[callId] = std::move(d);
        ++self->stats_.devices;
        ++self->stats_.phones;
        self->withRoom(accountId, sessionId, [self, callId, sessionId, done](Room* room) {
            auto* dev = self->device(callId);
            if (!dev) return done(std::string("call ended"), {});
            if (!room) {
                self->detachPhone(callId);
                return done(std::string("no media server available"), {});
            }
            auto publishOn = [self, callId, sessionId, done](std::uint64_t feed, const std::string& host, std::uint16_t port) {
                auto* dv = self->device(callId);
                if (!dv) return done(std::string("call ended"), {});
                dv->feed = feed;
                dv->pubSession = sessionId;
                dv->pubUp = true;  // RTP from a remote publisher needs no ICE: live at once
                dv->tracks = {PublishedTrack{"0", "audio", "phone-" + callId, "phone-audio", "pcmu", 0}};
                done(std::nullopt, PhoneEndpoint{host, port});
                self->refreshRoom(sessionId);
            };
            for (auto& remote : room->remotes) {
                if (!remote.callId.empty()) continue;
                remote.callId = callId;  // reuse an idle remote publisher (its ports never leak)
                return publishOn(remote.id, remote.host, remote.port);
            }
            // Janus demultiplexes a remote publisher's streams by SSRC 1000 + 10·mindex
            // (janus-notes §5); the bridge rewrites the phone's SSRC to 1000.
            json body{{"request", "add_remote_publisher"},
                      {"room", room->roomId},
                      {"secret", self->config_.roomSecret},
                      {"display", "phone"},
                      {"iface", self->config_.remotePublisherIface},
                      {"port", 0},
                      {"streams", json::array({{{"type", "audio"}, {"mindex", 0}, {"mid", "0"}, {"codec", "pcmu"}}})}};
            if (!self->config_.adminKey.empty()) body["admin_key"] = self->config_.adminKey;
            self->janus_->message(self->controlHandle_, body, nullptr,
                                  [self, callId, sessionId, publishOn, done](const JanusReply& r) {
                auto it = self->rooms_.find(sessionId);
                if (!r.ok || it == self->rooms_.end()) {
                    app::log(app::LogLevel::Error, "media: add_remote_publisher failed: " + r.error);
                    self->detachPhone(callId);
                    return done("media server refused the phone: " + r.error, {});
                }
                Room::Remote remote;
                auto id = janus::uintAt(r.data, "id");
                auto port = janus::uintAt(r.data, "port");
                if (!id || !port || *port == 0 || *port > 65535) {
                    app::log(app::LogLevel::Error, std::string("media: add_remote_publisher: ") + janus::kMalformed);
                    self->detachPhone(callId);
                    return done(std::string("media server refused the phone: ") + janus::kMalformed, {});
                }
                remote.id = *id;
                remote.host = janus::stringAt(r.data, "ip").value_or(self->config_.remotePublisherIface);
                remote.port = static_cast<std::uint16_t>(*port);
                remote.callId = callId;
                it->second->remotes.push_back(remote);
                ++self->stats_.remotePublishers;
                publishOn(remote.id, remote.host, remote.port);
            });
        });
    });
}

void MediaOrchestrator::detachPhone(const std::string& callId) {
    asio::post(strand_, [self = shared_from_this(), callId] {
        auto* d = self->device(callId);
        if (!d || !d->phone) return;
        std::string session = d->pubSession;
        auto roomIt = self->rooms_.find(session);
        for (const auto& [fm, fwd] : d->forwards) {
            if (roomIt == self->rooms_.end() || !self->controlHandle_) break;
            json body{{"request", "stop_rtp_forward"}, {"room", roomIt->second->roomId}, {"secret", self->config_.roomSecret},
                      {"publisher_id", fm.first}, {"stream_id", fwd.streamId}};
            if (!self->config_.adminKey.empty()) body["admin_key"] = self->config_.adminKey;
            self->janus_->message(self->controlHandle_, body, nullptr, [](const JanusReply&) {});
        }
        self->stats_.forwarders -= d->forwards.size();
        if (roomIt != self->rooms_.end())
            for (auto& remote : roomIt->second->remotes)
                if (remote.callId == callId) remote.callId.clear();  // idle, kept for the next call
        self->devices_.erase(callId);
        --self->stats_.devices;
        --self->stats_.phones;
        if (!session.empty()) {
            self->refreshRoom(session);
            self->maybeDestroyRoom(session);
        }
    });
}

void MediaOrchestrator::deviceDtmf(const std::string& deviceId, const std::string& tones, RpcReply reply) {
    asio::post(strand_, [self = shared_from_this(), deviceId, tones, reply] {
        auto* d = self->device(deviceId);
        if (!d) return reply(protocol::RpcError(protocol::RpcErrorCode::InvalidState, "device is not connected"), nullptr);
        int delivered = 0;
        for (auto& [id, phone] : self->devices_) {
            if (!phone->phone || !phone->phoneSink) continue;
            for (const auto& [fm, fwd] : phone->forwards)
                if (fm.first == d->feed && d->feed != 0) {
                    phone->phoneSink->sendDtmf(tones);
                    ++delivered;
                    break;
                }
        }
        reply(std::nullopt, json{{"delivered", delivered}});
    });
}

void MediaOrchestrator::phoneDigit(const std::string& callId, char digit) {
    asio::post(strand_, [self = shared_from_this(), callId, digit] {
        auto* phone = self->device(callId);
        if (!phone || !phone->phone) return;
        for (auto& [id, d] : self->devices_) {
            if (d->phone || !d->sink) continue;
            bool hears = false;
            for (const auto& fm : d->subscribed) hears = hears || fm.first == phone->feed;
            if (hears)
                d->sink->notify("dtmf", json{{"participantId", phone->participantId}, {"tone", std::string(1, digit)},
                                             {"endpointId", "phone-" + callId}});
        }
    });
}

void MediaOrchestrator::endPhoneLeg(Device& d, const std::string& reason) {
    if (d.phoneSink) d.phoneSink->endPhone(reason);
    detachPhone(d.id);
}

namespace {
constexpr int kMaxForwardRetries = 20;                    // per call, ...
constexpr auto kForwardRetryDelay = std::chrono::milliseconds(100);  // ... 2 s in all
}  // namespace

void MediaOrchestrator::retryForwardsSoon(const std::string& callId) {
    auto timer = std::make_shared<asio::steady_timer>(strand_, kForwardRetryDelay);
    timer->async_wait([self = shared_from_this(), timer, callId](boost::system::error_code ec) {
        if (ec) return;
        if (auto* d = self->device(callId)) self->refreshDevice(*d);
    });
}

void MediaOrchestrator::applyForwards(Device& d, const std::set<FeedMid>& wanted) {
    auto roomIt = rooms_.find(d.pubSession);
    if (roomIt == rooms_.end() || !controlHandle_) return;
    std::set<FeedMid> current;
    for (const auto& [fm, fwd] : d.forwards) current.insert(fm);
    if (current == wanted) return;
    auto base = [&](const char* request, std::uint64_t feed) {
        json body{{"request", request}, {"room", roomIt->second->roomId}, {"secret", config_.roomSecret}, {"publisher_id", feed}};
        if (!config_.adminKey.empty()) body["admin_key"] = config_.adminKey;
        return body;
    };
    for (const auto& fm : current) {
        if (wanted.count(fm)) continue;
        auto body = base("stop_rtp_forward", fm.first);
        body["stream_id"] = d.forwards[fm].streamId;
        janus_->message(controlHandle_, body, nullptr, [](const JanusReply&) {});
        d.forwards.erase(fm);
        --stats_.forwarders;
    }
    auto pending = std::make_shared<int>(0);
    auto self = shared_from_this();
    auto finished = [self, id = d.id, pending] {
        if (--*pending > 0) return;
        auto* dev = self->device(id);
        if (!dev) return;
        dev->forwardsBusy = false;
        std::vector<ForwardedStream> streams;
        for (const auto& [fm, fwd] : dev->forwards) {
            std::string pid;
            const auto* track = self->findTrack(fm.first, fm.second, &pid);
            if (!track) continue;
            streams.push_back({fwd.ssrc, track->payloadType, track->codec, pid});
        }
        if (dev->phoneSink) dev->phoneSink->forwardsChanged(streams);
        if (dev->dirty) self->refreshDevice(*dev);
    };
    d.forwardsBusy = true;
    ++*pending;  // held until every request below is sent
    for (const auto& fm : wanted) {
        if (current.count(fm)) continue;
        std::uint32_t ssrc = d.nextSsrc++;
        auto body = base("rtp_forward", fm.first);
        body["host"] = config_.forwardHost;
        body["host_family"] = "ipv4";
        body["streams"] = json::array({{{"mid", fm.second}, {"port", d.forwardPort}, {"ssrc", ssrc}}});
        ++*pending;
        janus_->message(controlHandle_, body, nullptr, [self, id = d.id, fm, ssrc, finished](const JanusReply& r) {
            auto* dev = self->device(id);
            if (dev && r.ok) {
                const auto& fw = janus::arrayAt(r.data, "forwarders");
                auto streamId = fw.empty() ? std::nullopt : janus::uintAt(fw[0], "stream_id");
                if (streamId) {
                    dev->forwards[fm] = {*streamId, ssrc};
                    dev->forwardRetries = 0;
                    ++self->stats_.forwarders;
                } else {
                    app::log(app::LogLevel::Warn, "media: rtp_forward for call " + id + ": " + janus::kMalformed);
                }
            } else if (dev && janus::isNoSuchFeed(r) && dev->forwardRetries < kMaxForwardRetries) {
                // A remote publisher answered but not yet in its room (janus::isNoSuchFeed):
                // the next refresh asks again, as the forward is still wanted and not made.
                ++dev->forwardRetries;
                self->retryForwardsSoon(id);
            } else if (!r.ok) {
                app::log(app::LogLevel::Warn, "media: rtp_forward for call " + id + " failed: " + r.error);
            }
            finished();
        });
    }
    finished();
}

}  // namespace sb::media
