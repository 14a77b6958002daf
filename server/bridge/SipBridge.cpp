#include "server/bridge/SipBridge.hpp"

#include <boost/asio/post.hpp>

#include "server/api/ApiError.hpp"
#include "server/app/Log.hpp"
#include "server/voice/Uui.hpp"

namespace sb::bridge {

namespace asio = boost::asio;
using sip::media::CallAudioPipeline;

struct SipBridge::Call {
    std::string id;
    std::string accountId, participantId;
    bool inbound = true;
    std::shared_ptr<CallAudioPipeline> pipeline;
    std::shared_ptr<Sink> sink;
    bool attached = false;
};

// Receives the orchestration's decisions for one call; hops onto the bridge's strand.
class SipBridge::Sink : public media::PhoneSink {
public:
    Sink(std::weak_ptr<SipBridge> bridge, std::string callId) : bridge_(std::move(bridge)), callId_(std::move(callId)) {}
    void forwardsChanged(const std::vector<media::ForwardedStream>& streams) override {
        auto bridge = bridge_.lock();
        if (!bridge) return;
        std::vector<CallAudioPipeline::RoomStreamSpec> specs;
        for (const auto& s : streams) {
            auto codec = sip::media::codecFromName(s.codec);
            if (!codec) continue;  // not audio we can decode (never happens for audio tracks)
            specs.push_back({s.ssrc, *codec, static_cast<std::uint8_t>(s.payloadType)});
        }
        asio::post(bridge->strand_, [bridge, id = callId_, specs = std::move(specs)]() mutable {
            auto it = bridge->active_.find(id);
            if (it != bridge->active_.end()) it->second->pipeline->setRoomStreams(std::move(specs));
        });
    }
    void sendDtmf(const std::string& tones) override {
        auto bridge = bridge_.lock();
        if (!bridge) return;
        asio::post(bridge->strand_, [bridge, id = callId_, tones] {
            auto it = bridge->active_.find(id);
            if (it == bridge->active_.end()) return;
            try {
                it->second->pipeline->sendDtmf(tones);
            } catch (const std::exception& e) {
                app::log(app::LogLevel::Warn, "sip: call " + id + ": cannot send DTMF: " + e.what());
            }
        });
    }
    void endPhone(const std::string& reason) override {
        auto bridge = bridge_.lock();
        if (!bridge) return;
        asio::post(bridge->strand_, [bridge, id = callId_, reason] { bridge->end(id, reason, true); });
    }

private:
    std::weak_ptr<SipBridge> bridge_;
    std::string callId_;
};

SipBridge::SipBridge(asio::any_io_executor executor, BridgeConfig config, const auth::TokenService& tokens,
                     api::CallControl& calls, std::shared_ptr<media::MediaOrchestrator> media)
    : strand_(asio::make_strand(executor)),
      config_(std::move(config)),
      tokens_(tokens),
      calls_(calls),
      media_(std::move(media)),
      ports_(std::make_shared<sip::media::PortAllocator>(config_.rtpPortMin, config_.rtpPortMax)) {}

SipBridge::~SipBridge() = default;

void SipBridge::start() {
    std::weak_ptr<SipBridge> weak = shared_from_this();
    sip::SipEndpoint::Events events;
    events.onInvite = [weak](const sip::InboundInvite& invite) {
        if (auto self = weak.lock()) asio::post(self->strand_, [self, invite] { self->onInvite(invite); });
    };
    events.onEnded = [weak](const std::string& callId, const std::string& reason) {
        if (auto self = weak.lock()) asio::post(self->strand_, [self, callId, reason] { self->end(callId, reason, false); });
    };
    endpoint_ = std::make_unique<sip::SipEndpoint>(strand_, config_.sip, std::move(events));
    endpoint_->start();
    app::log(app::LogLevel::Info, "sip: listening on " + config_.sip.bindAddress + ":" + std::to_string(endpoint_->port()));
}

void SipBridge::stop() {
    if (endpoint_) endpoint_->stop();
    for (auto& [id, call] : active_) {
        call->pipeline->stop();
        media_->detachPhone(id);
    }
    active_.clear();
}

std::uint16_t SipBridge::sipPort() const { return endpoint_ ? endpoint_->port() : 0; }

void SipBridge::refuse(const std::string& callId, int status, const std::string& reason) {
    ++stats_.callsRefused;
    app::log(app::LogLevel::Info, "sip: refused call " + callId + ": " + std::to_string(status) + " " + reason);
    endpoint_->reject(callId, status, reason);
}

void SipBridge::onInvite(const sip::InboundInvite& invite) {
    if (!invite.codecMatch) return refuse(invite.callId, 488, "Not Acceptable Here: PCMU or PCMA required");
    if (invite.userToUser.empty()) {
        if (unclaimed_ && unclaimed_(invite)) return;
        return refuse(invite.callId, 403, "Forbidden: no participant token in User-To-User");
    }
    voice::UuiToken uui;
    try {
        uui = voice::extractUuiToken(invite.userToUser);
    } catch (const std::exception& e) {
        return refuse(invite.callId, 403, std::string("Forbidden: ") + e.what());
    }
    // The same check as the WebSocket (auth::TokenService::verify, DESIGN "Device token").
    auto check = tokens_.verify(uui.token, calls_.now());
    if (!check) return refuse(invite.callId, 403, std::string("Forbidden: ") + auth::tokenErrorMessage(*check.error));
    join(invite.callId, invite.remote, check.claims.accountId, check.claims.participantId, true,
         [self = shared_from_this(), callId = invite.callId](const std::string& error) {
             if (!error.empty()) {
                 int status = error.find("not in a session") != std::string::npos ? 404 : 503;
                 self->refuse(callId, status, (status == 404 ? "Not Found: " : "Service Unavailable: ") + error);
             }
         });
}

void SipBridge::join(const std::string& callId, const sip::RemoteMedia& remote, const std::string& accountId,
                     const std::string& participantId, bool inbound, std::function<void(std::string)> done) {
    try {
        auto p = calls_.participant(accountId, participantId);
        if (!p.sessionId) return done("participant is not in a session");
    } catch (const api::ApiError&) {
        return done("participant no longer exists");
    }
    CallAudioPipeline::Config pc;
    boost::system::error_code ec;
    pc.phoneAddress = asio::ip::make_address(config_.rtpAddress, ec);
    pc.roomAddress = pc.phoneAddress;
    pc.phoneLaw = remote.codec == sip::G711::Pcma ? sip::media::G711Law::A : sip::media::G711Law::Mu;
    if (remote.telephoneEventPt >= 0) pc.phoneEventPayloadType = static_cast<std::uint8_t>(remote.telephoneEventPt);
    auto phoneAddr = asio::ip::make_address(remote.address, ec);
    if (!ec) pc.phoneRemote = CallAudioPipeline::Endpoint(phoneAddr, remote.port);
    auto call = std::make_shared<Call>();
    call->id = callId;
    call->accountId = accountId;
    call->participantId = participantId;
    call->inbound = inbound;
    try {
        call->pipeline = CallAudioPipeline::create(strand_.get_inner_executor(), pc, ports_);
    } catch (const std::exception& e) {
        return done(std::string("no RTP port free: ") + e.what());
    }
    call->sink = std::make_shared<Sink>(weak_from_this(), callId);
    active_[callId] = call;
    stats_.activeCalls = active_.size();
    media_->attachPhone(callId, accountId, participantId, call->pipeline->roomPort(), call->sink,
                        [self = shared_from_this(), callId, remote, inbound, done](std::optional<std::string> error,
                                                                                  media::PhoneEndpoint janus) {
        asio::post(self->strand_, [self, callId, remote, inbound, done, error, janus] {
            auto it = self->active_.find(callId);
            if (it == self->active_.end()) return done("call ended");
            auto joined = it->second;
            if (error) {
                joined->pipeline->stop();
                self->active_.erase(it);
                self->stats_.activeCalls = self->active_.size();
                return done(*error);
            }
            boost::system::error_code ec2;
            joined->pipeline->setJanusRemote(CallAudioPipeline::Endpoint(asio::ip::make_address(janus.host, ec2), janus.port));
            joined->attached = true;
            std::weak_ptr<media::MediaOrchestrator> media = self->media_;
            joined->pipeline->onDigit([media, callId](char digit) {
                if (auto m = media.lock()) m->phoneDigit(callId, digit);
            });
            joined->pipeline->start();
            if (inbound) {
                sip::LocalMedia local;
                local.address = self->config_.rtpAddress;
                local.port = joined->pipeline->phonePort();
                local.codec = remote.codec;
                local.telephoneEventPt = remote.telephoneEventPt;
                self->endpoint_->answer(callId, local);
            }
            ++self->stats_.callsAnswered;
            app::log(app::LogLevel::Info, "sip: call " + callId + " joined session as participant " + joined->participantId);
            done("");
        });
    });
}

void SipBridge::transferIntoSession(const std::string& callId, const std::string& uui,
                                    std::function<void(std::string)> done) {
    (void)callId;
    (void)uui;
    done("transfer into a session is not available for this call");
}

void SipBridge::end(const std::string& callId, const std::string& reason, bool hangupSip) {
    auto it = active_.find(callId);
    if (it == active_.end()) return;
    auto call = it->second;
    active_.erase(it);
    stats_.activeCalls = active_.size();
    ++stats_.callsEnded;
    if (hangupSip) endpoint_->hangup(callId);
    call->pipeline->stop();
    media_->detachPhone(callId);
    app::log(app::LogLevel::Info, "sip: call " + callId + " ended: " + reason);
}

}  // namespace sb::bridge
