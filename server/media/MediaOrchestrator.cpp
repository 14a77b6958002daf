#include "server/media/MediaOrchestrator.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "server/media/MediaRooms.hpp"

namespace sb::media {

namespace asio = boost::asio;

// Without a janusUrl devices still connect (signaling only): no room is ever created, so nothing
// reaches Janus; should anything try, it fails like an unreachable Janus.
class MediaOrchestrator::OfflineJanus : public JanusPort {
  public:
    void attach(const std::string&,
                std::function<void(bool, HandleId, const std::string&)> cb) override {
        cb(false, 0, "no media server is configured");
    }
    void message(HandleId, nlohmann::json, nlohmann::json, JanusCallback cb) override {
        JanusReply r;
        r.error = "no media server is configured";
        cb(r);
    }
    void detach(HandleId) override {}
};

MediaOrchestrator::MediaOrchestrator(const asio::any_io_executor& executor, MediaConfig config,
                                     const Membership& membership)
    : strand_(asio::make_strand(executor)), config_(std::move(config)), membership_(membership) {}

MediaOrchestrator::~MediaOrchestrator() = default;

template <class F>
void MediaOrchestrator::onStrand(F f) {
    asio::post(strand_, [self = shared_from_this(), f = std::move(f)]() mutable {
        if (self->rooms_) f(*self->rooms_);
    });
}

void MediaOrchestrator::start() {
    std::weak_ptr<MediaOrchestrator> weak = shared_from_this();
    auto scheduler = [strand = strand_](std::chrono::milliseconds delay, std::function<void()> fn) {
        auto timer = std::make_shared<asio::steady_timer>(strand, delay);
        timer->async_wait([timer, fn = std::move(fn)](boost::system::error_code ec) {
            if (!ec) fn();
        });
    };
    if (config_.janusUrl.empty()) {
        janus_ = std::make_shared<OfflineJanus>();
    } else {
        JanusClient::Listener listener;
        listener.onHandleEvent = [weak](HandleId h, const nlohmann::json& msg) {
            if (auto self = weak.lock(); self && self->rooms_) self->rooms_->onHandleEvent(h, msg);
        };
        listener.onReady = [weak] {
            if (auto self = weak.lock(); self && self->rooms_) self->rooms_->janusReady();
        };
        listener.onLost = [weak] {
            if (auto self = weak.lock(); self && self->rooms_) self->rooms_->janusLost();
        };
        auto client = std::make_shared<JanusClient>(strand_, config_.janusUrl, std::move(listener),
                                                    config_.janusMaxMessageBytes);
        client_ = client.get();
        janus_ = client;
    }
    rooms_ = std::make_shared<MediaRooms>(janus_, membership_, config_, scheduler);
    if (client_) client_->start();
}

void MediaOrchestrator::stop() {
    asio::post(strand_, [self = shared_from_this()] {
        if (self->client_) self->client_->stop();
    });
}

MediaOrchestrator::Stats MediaOrchestrator::stats() const {
    return rooms_ ? rooms_->stats() : Stats{};
}

void MediaOrchestrator::attachDevice(const std::string& deviceId, const std::string& accountId,
                                     const std::string& participantId,
                                     const std::shared_ptr<DeviceSink>& sink, bool loopback) {
    onStrand([deviceId, accountId, participantId, sink, loopback](MediaRooms& rooms) {
        rooms.addBrowser(deviceId, accountId, participantId, sink, loopback);
    });
}

void MediaOrchestrator::mediaLost(const std::string& deviceId, const std::string& reason) {
    onStrand([deviceId, reason](MediaRooms& rooms) { rooms.mediaLost(deviceId, reason); });
}

void MediaOrchestrator::detachDevice(const std::string& deviceId) {
    onStrand([deviceId](MediaRooms& rooms) { rooms.removeBrowser(deviceId); });
}

void MediaOrchestrator::offer(const std::string& deviceId, std::string sdp,
                              std::map<std::string, std::string> aliases,
                              MediaReply<PublishAnswer> reply) {
    onStrand([deviceId, sdp = std::move(sdp), aliases = std::move(aliases),
              reply = std::move(reply)](MediaRooms& rooms) mutable {
        auto* d = rooms.browser(deviceId);
        if (!d)
            return reply(MediaError{MediaError::Kind::NotConnected, "device is not connected"}, {});
        d->offer(sdp, std::move(aliases), std::move(reply));
    });
}

void MediaOrchestrator::answer(const std::string& deviceId, std::string sdp,
                               MediaReply<bool> reply) {
    onStrand([deviceId, sdp = std::move(sdp), reply = std::move(reply)](MediaRooms& rooms) mutable {
        auto* d = rooms.browser(deviceId);
        if (!d)
            return reply(MediaError{MediaError::Kind::NotConnected, "device is not connected"},
                         false);
        d->answer(std::move(sdp), std::move(reply));
    });
}

void MediaOrchestrator::restartIce(const std::string& deviceId, MediaReply<bool> reply) {
    onStrand([deviceId, reply = std::move(reply)](MediaRooms& rooms) {
        auto* d = rooms.browser(deviceId);
        if (!d)
            return reply(MediaError{MediaError::Kind::NotConnected, "device is not connected"},
                         false);
        auto refused = d->subscriber().restartIce();
        reply(refused, !refused);
    });
}

void MediaOrchestrator::setStreamMuted(const std::string& deviceId, const std::string& msid,
                                       const std::string& kind, bool muted,
                                       const MediaReply<bool>& reply) {
    onStrand([deviceId, msid, kind, muted, reply](MediaRooms& rooms) {
        auto* d = rooms.browser(deviceId);
        if (!d)
            return reply(MediaError{MediaError::Kind::NotConnected, "device is not connected"},
                         false);
        auto refused = d->setMuted(msid, kind, muted);
        reply(refused, !refused);
    });
}

void MediaOrchestrator::attachPhone(const std::string& callId, const std::string& accountId,
                                    const std::string& participantId, std::uint16_t forwardPort,
                                    const std::shared_ptr<PhoneSink>& sink,
                                    const PhoneAttached& done) {
    onStrand([=](MediaRooms& rooms) {
        rooms.addPhone(callId, accountId, participantId, forwardPort, sink, done);
    });
}

void MediaOrchestrator::detachPhone(const std::string& callId) {
    onStrand([callId](MediaRooms& rooms) { rooms.releasePhone(callId); });
}

void MediaOrchestrator::deviceDtmf(const std::string& deviceId, const std::string& tones,
                                   const MediaReply<int>& reply) {
    onStrand([deviceId, tones, reply](MediaRooms& rooms) {
        if (!rooms.browser(deviceId))
            return reply(MediaError{MediaError::Kind::NotConnected, "device is not connected"}, 0);
        reply(std::nullopt, rooms.deviceDtmf(deviceId, tones));
    });
}

void MediaOrchestrator::phoneDigit(const std::string& callId, char digit) {
    onStrand([callId, digit](MediaRooms& rooms) { rooms.phoneDigit(callId, digit); });
}

void MediaOrchestrator::membershipChanged(const std::string& accountId,
                                          const std::string& participantId) {
    onStrand([accountId, participantId](MediaRooms& rooms) {
        rooms.membershipChanged(accountId, participantId);
    });
}

void MediaOrchestrator::participantDeleted(const std::string& accountId,
                                           const std::string& participantId) {
    onStrand([accountId, participantId](MediaRooms& rooms) {
        rooms.participantDeleted(accountId, participantId);
    });
}

void MediaOrchestrator::sessionDeleted(const std::string& accountId, const std::string& sessionId,
                                       const std::vector<std::string>& members) {
    onStrand([accountId, sessionId, members](MediaRooms& rooms) {
        rooms.sessionDeleted(accountId, sessionId, members);
    });
}

}  // namespace sb::media
