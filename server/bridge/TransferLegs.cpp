#include "server/bridge/TransferLegs.hpp"

#include "server/base/Log.hpp"
#include "server/bridge/Diversion.hpp"

namespace sb::bridge {

void TransferLegs::transferOut(BridgeCall& aLeg, const voice::TransferRequest& request,
                               std::function<void(std::size_t)> answered,
                               std::function<void(voice::TransferOutcome)> done) {
    auto t = std::make_shared<Transfer>();
    t->aLegId = aLeg.id;
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
        if (aLeg.attached || aLeg.transfer) {
            refuseLeg(i, voice::cause::kError, "the call is already connected elsewhere");
            continue;
        }
        const auto& target = request.targets[i];
        Dial dial;
        try {
            // The same toll-fraud rules as POST /calls (DESIGN "Voice API"), then the trunk.
            const std::string& to = voice::bxml::destinationOf(target);
            if (auto* voice = calls_->voice())
                voice->admitTransferLeg(aLeg.accountId, to, request.from);
            dial.toUri = trunk_->uriFor(to);
        } catch (const std::exception& e) {
            refuseLeg(i, voice::cause::kRejected, e.what());
            continue;
        }
        if (const auto* sip = std::get_if<voice::bxml::SipUriTarget>(&target))
            dial.userToUser = sip->uui.value_or("");
        if (dial.userToUser.empty()) dial.userToUser = request.userToUser;  // info: <Forward uui>
        // info: <Forward diversionTreatment> (Diversion.hpp); the stacked entry names us as the
        // host the inbound call's Request-URI reached.
        const std::string host =
            calls_->config().sip.advertisedHost() + ":" + std::to_string(calls_->sipPort());
        dial.diversion = forwardedDiversion({request.diversionTreatment, request.diversionReason,
                                             request.divertingNumber, host, &aLeg.diversion});
        dial.from = request.from;
        dial.timeoutSeconds = request.callTimeout;
        dial.displayName = request.displayName;
        const std::string uri = dial.toUri;
        std::string error;
        auto leg = trunk_->dial("pending-leg-" + request.legCallIds.at(i), std::move(dial), error);
        if (!leg) {
            refuseLeg(i, voice::cause::kError, error);
            continue;
        }
        leg->accountId = aLeg.accountId;
        leg->legOf = t;
        leg->legIndex = i;
        t->legIds[i] = leg->id;
        ++t->open;
        base::log(base::LogLevel::Info,
                  "sip: call " + aLeg.id + ": transfer leg " + leg->id + " dialing " + uri);
    }
    if (t->open == 0) return std::exchange(t->done, nullptr)(t->outcome);
    aLeg.transfer = t;
}

void TransferLegs::onLegAnswered(const std::shared_ptr<BridgeCall>& leg,
                                 const sip::RemoteMedia& remote) {
    auto t = leg->legOf;
    auto aLeg = calls_->find(t->aLegId);
    if (t->bridged || !aLeg) {
        // Another target was faster (its CANCEL crossed this 200 OK), or the caller is gone.
        t->settled[leg->legIndex] = true;
        t->outcome.legs[leg->legIndex].cause = voice::cause::kCancel;
        return calls_->end(leg->id, "transfer: answered too late", true);
    }
    auto index = leg->legIndex;
    t->bridged = index;
    t->outcome.answeredIndex = index;
    t->outcome.legs[index].answered = true;
    calls_->setRemote(*leg, remote);
    leg->pipeline->start();
    calls_->connectAudio(*aLeg, *leg);
    for (std::size_t i = 0; i < t->legIds.size(); ++i) {
        if (i == index || t->legIds[i].empty() || !calls_->find(t->legIds[i])) continue;
        t->settled[i] = true;
        t->outcome.legs[i].cause = voice::cause::kCancel;
        calls_->end(t->legIds[i], "transfer: another target answered", true);
    }
    base::log(base::LogLevel::Info,
              "sip: call " + t->aLegId + " bridged to transfer leg " + leg->id);
    t->answered(index);
}

void TransferLegs::legEnded(BridgeCall& leg, const std::string& cause,
                            const std::string& errorMessage) {
    auto t = std::exchange(leg.legOf, nullptr);
    if (!t) return;
    auto i = leg.legIndex;
    if (!t->settled[i]) {
        t->settled[i] = true;
        t->outcome.legs[i].cause = cause;
        t->outcome.legs[i].errorMessage = errorMessage;
    }
    if (t->legEnded) t->legEnded(i, t->outcome.legs[i]);
    auto aLeg = calls_->find(t->aLegId);
    // The A-leg stays up (CallMedia::transfer): it is back on its own, BXML continues.
    if (t->bridged == i && aLeg) BridgeCalls::disconnectAudio(*aLeg);
    if (--t->open > 0) return;
    if (aLeg && aLeg->transfer == t) aLeg->transfer.reset();
    if (t->done) std::exchange(t->done, nullptr)(t->outcome);
}

void TransferLegs::stop(BridgeCall& aLeg, const std::string& reason) {
    if (aLeg.transfer) hangUpLegs(aLeg.transfer, voice::cause::kCancel, reason);
}

void TransferLegs::released(BridgeCall& call) {
    if (call.legOf) legEnded(call, voice::cause::kHangup, "");
    stop(call, "transfer: the caller is gone");
}

void TransferLegs::hangUpLegs(const std::shared_ptr<Transfer>& t, const std::string& cause,
                              const std::string& reason) {
    auto ids = t->legIds;  // end() changes the transfer
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (ids[i].empty() || !calls_->find(ids[i])) continue;
        if (!t->settled[i] && !(t->bridged == i)) {
            t->settled[i] = true;
            t->outcome.legs[i].cause = cause;
        }
        calls_->end(ids[i], reason, true);
    }
}

}  // namespace sb::bridge
