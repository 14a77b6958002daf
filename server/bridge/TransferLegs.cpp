// BXML <Transfer> to destinations outside this server (a PhoneNumber, or a SipUri of another
// host): B-legs dialed through the trunk, and the A-leg's audio bridged to the one that answers.
//
// The two calls' pipelines are wired to each other the way each would be wired to Janus: the
// A-leg's phone → room relay sends to the B-leg's room port, where it arrives as one PCMU room
// stream (SSRC 1000, the relay's), is jitter-buffered, decoded and re-encoded in the B-leg's
// codec on the B-leg's 20 ms clock — and the same the other way. So each phone gets correct RTP
// timing and sequence numbers of its own leg, whatever the other phone does (RFC 3550 §5.1).
// Digits (RFC 4733) from one phone are regenerated towards the other.

#include <boost/asio/post.hpp>

#include "server/bridge/BridgeCall.hpp"
#include "server/bridge/Diversion.hpp"
#include "server/bridge/SipBridge.hpp"

namespace sb::bridge {

namespace {

constexpr std::uint32_t kRelaySsrc = 1000;  // what PhoneRelay writes (CallAudioPipeline::Config)

}  // namespace

void SipBridge::transferOut(const std::shared_ptr<Call>& aLeg,
                            const voice::TransferRequest& request,
                            std::function<void(std::size_t)> answered,
                            std::function<void(voice::TransferOutcome)> done) {
    auto t = std::make_shared<Transfer>();
    t->aLegId = aLeg->id;
    t->outcome.legs.resize(request.targets.size());
    t->legIds.resize(request.targets.size());
    t->settled.assign(request.targets.size(), false);
    t->answered = std::move(answered);
    t->legEnded = request.legEnded;
    t->done = std::move(done);
    auto refuseLeg = [&](std::size_t i, const std::string& cause, const std::string& message) {
        t->outcome.legs[i].cause = cause;
        t->outcome.legs[i].errorMessage = message;
        t->settled[i] = true;
        if (t->legEnded) t->legEnded(i, t->outcome.legs[i]);
    };
    for (std::size_t i = 0; i < request.targets.size(); ++i) {
        if (aLeg->attached || aLeg->transfer) {
            refuseLeg(i, voice::cause::kError, "the call is already connected elsewhere");
            continue;
        }
        const auto& target = request.targets[i];
        const std::string& to = voice::bxml::destinationOf(target);
        std::string uri;
        try {
            // The same toll-fraud rules as POST /calls (DESIGN "Voice API"), then the trunk.
            if (voice_) voice_->admitTransferLeg(aLeg->accountId, to, request.from);
            uri = trunkUriFor(to);
        } catch (const std::exception& e) {
            refuseLeg(i, voice::cause::kRejected, e.what());
            continue;
        }
        std::string error;
        std::string uui;
        if (const auto* sip = std::get_if<voice::bxml::SipUriTarget>(&target))
            uui = sip->uui.value_or("");
        if (uui.empty()) uui = request.userToUser;  // info: <Forward uui>
        // info: <Forward diversionTreatment> (Diversion.hpp); the stacked entry names us as the
        // host the inbound call's Request-URI reached.
        const std::string host = config_.sip.bindAddress + ":" + std::to_string(sipPort());
        auto diversion = forwardedDiversion({request.diversionTreatment, request.diversionReason,
                                             request.divertingNumber, host, &aLeg->diversion});
        auto leg = dialOut("pending-leg-" + request.legCallIds.at(i), uri, request.from, uui,
                           request.callTimeout, error, request.displayName, std::move(diversion));
        if (!leg) {
            refuseLeg(i, voice::cause::kError, error);
            continue;
        }
        leg->accountId = aLeg->accountId;
        leg->legOf = t;
        leg->legIndex = i;
        t->legIds[i] = leg->id;
        ++t->open;
        base::log(base::LogLevel::Info,
                  "sip: call " + aLeg->id + ": transfer leg " + leg->id + " dialing " + uri);
    }
    if (t->open == 0) return std::exchange(t->done, nullptr)(t->outcome);
    aLeg->transfer = t;
}

void SipBridge::onLegAnswered(const std::shared_ptr<Call>& leg, const sip::RemoteMedia& remote) {
    auto t = leg->legOf;
    auto aIt = active_.find(t->aLegId);
    if (t->bridged || aIt == active_.end()) {
        // Another target was faster (its CANCEL crossed this 200 OK), or the caller is gone.
        t->settled[leg->legIndex] = true;
        t->outcome.legs[leg->legIndex].cause = voice::cause::kCancel;
        return end(leg->id, "transfer: answered too late", true);
    }
    auto index = leg->legIndex;
    t->bridged = index;
    t->outcome.answeredIndex = index;
    t->outcome.legs[index].answered = true;
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(remote.address, ec);
    if (!ec) leg->pipeline->setPhoneRemote(CallAudioPipeline::Endpoint(addr, remote.port));
    leg->pipeline->setPhoneDirection(remote.sends, remote.receives);
    leg->pipeline->start();
    connectAudio(*aIt->second, *leg);
    for (std::size_t i = 0; i < t->legIds.size(); ++i) {
        if (i == index || t->legIds[i].empty() || !active_.count(t->legIds[i])) continue;
        t->settled[i] = true;
        t->outcome.legs[i].cause = voice::cause::kCancel;
        end(t->legIds[i], "transfer: another target answered", true);
    }
    base::log(base::LogLevel::Info,
              "sip: call " + t->aLegId + " bridged to transfer leg " + leg->id);
    t->answered(index);
}

void SipBridge::connectAudio(Call& a, Call& b) {
    boost::system::error_code ec;
    auto address = asio::ip::make_address(config_.rtpAddress, ec);
    const CallAudioPipeline::RoomStreamSpec relayed{kRelaySsrc, sip::media::Codec::Pcmu,
                                                    sip::media::kPayloadTypePcmu};
    std::weak_ptr<SipBridge> weak = weak_from_this();
    auto wire = [&](Call& from, Call& to) {
        from.pipeline->setJanusRemote(
            CallAudioPipeline::Endpoint(address, to.pipeline->roomPort()));
        to.pipeline->setRoomStreams({relayed});
        // The relay passes telephone-events on, but the room side decodes audio only: digits are
        // sent again as the other leg's own events (RFC 4733 §2.5, one event per digit).
        from.pipeline->onDigit([weak, toId = to.id](char digit) {
            auto self = weak.lock();
            if (!self) return;
            asio::post(self->strand_, [self, toId, digit] {
                auto it = self->active_.find(toId);
                if (it == self->active_.end()) return;
                try {
                    it->second->pipeline->sendDtmf(std::string(1, digit));
                } catch (const std::exception& e) {
                    base::log(base::LogLevel::Warn,
                              "sip: call " + toId + ": cannot pass DTMF on: " + e.what());
                }
            });
        });
    };
    wire(a, b);
    wire(b, a);
}

void SipBridge::legEnded(Call& leg, const std::string& cause, const std::string& errorMessage) {
    auto t = std::exchange(leg.legOf, nullptr);
    if (!t) return;
    auto i = leg.legIndex;
    if (!t->settled[i]) {
        t->settled[i] = true;
        t->outcome.legs[i].cause = cause;
        t->outcome.legs[i].errorMessage = errorMessage;
    }
    if (t->legEnded) t->legEnded(i, t->outcome.legs[i]);
    auto aIt = active_.find(t->aLegId);
    if (t->bridged == i && aIt != active_.end()) {
        // The A-leg stays up (CallMedia::transfer): it is back on its own, BXML continues.
        auto& a = *aIt->second->pipeline;
        a.setJanusRemote(std::nullopt);
        a.setRoomStreams({});
        a.onDigit(nullptr);
    }
    if (--t->open > 0) return;
    if (aIt != active_.end() && aIt->second->transfer == t) aIt->second->transfer.reset();
    if (t->done) std::exchange(t->done, nullptr)(t->outcome);
}

void SipBridge::hangUpLegs(const std::shared_ptr<Transfer>& t, const std::string& cause,
                           const std::string& reason) {
    auto ids = t->legIds;  // end() changes the transfer
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (ids[i].empty() || !active_.count(ids[i])) continue;
        if (!t->settled[i] && !(t->bridged == i)) {
            t->settled[i] = true;
            t->outcome.legs[i].cause = cause;
        }
        end(ids[i], reason, true);
    }
}

}  // namespace sb::bridge
