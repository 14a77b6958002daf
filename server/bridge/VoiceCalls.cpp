#include "server/bridge/VoiceCalls.hpp"

#include <boost/asio/post.hpp>

namespace sb::bridge {

namespace {

// The voice API's cause for a final SIP failure status (RFC 3261 §21).
std::string causeForStatus(int status) {
    if (status == 486 || status == 600) return voice::cause::kBusy;
    if (status == 408 || status == 480) return voice::cause::kTimeout;
    if (status == 487) return voice::cause::kCancel;
    if (status == 403 || status == 404 || status == 603) return voice::cause::kRejected;
    return voice::cause::kError;
}

}  // namespace

void VoiceCalls::place(const voice::Call& vc) {
    Dial dial;
    dial.toUri = trunk_->uriFor(vc.to);  // throws: the REST request fails, nothing is placed
    dial.from = vc.from;
    dial.userToUser = vc.uui.value_or("");
    dial.timeoutSeconds = vc.callTimeout;
    dial.displayName = vc.displayName.value_or("");
    asio::post(calls_->strand(), [self = shared_from_this(), vc, dial] {
        std::string error;
        auto call = self->trunk_->dial("pending-" + vc.callId, dial, error);
        auto* voice = self->calls_->voice();
        if (!call) {
            if (voice) voice->callFailed(vc.callId, voice::cause::kError, error);
            return;
        }
        call->voiceCallId = vc.callId;
        call->accountId = vc.accountId;
        self->voiceToSip_[vc.callId] = call->id;
    });
}

void VoiceCalls::cancel(const std::string& voiceCallId) {
    asio::post(calls_->strand(), [self = shared_from_this(), voiceCallId] {
        auto it = self->voiceToSip_.find(voiceCallId);
        if (it == self->voiceToSip_.end()) return;
        self->calls_->end(it->second, "voice hangup", true);
    });
}

void VoiceCalls::onRinging(const std::string& sipId) {
    auto call = calls_->find(sipId);
    if (call && calls_->voice() && !call->voiceCallId.empty())
        calls_->voice()->callRinging(call->voiceCallId);
}

void VoiceCalls::onAnswered(const std::string& sipId, const sip::RemoteMedia& remote) {
    auto call = calls_->find(sipId);
    if (!call) return;
    if (call->legOf) return transfers_->onLegAnswered(call, remote);
    calls_->setRemote(*call, remote);
    call->pipeline->start();
    call->media = makeMedia_(sipId);
    if (auto* voice = calls_->voice()) voice->callAnswered(call->voiceCallId, call->media);
}

void VoiceCalls::onFailed(const std::string& sipId, int status, const std::string& reason) {
    auto call = calls_->find(sipId);
    if (!call) return;
    calls_->remove(sipId);
    call->pipeline->stop();
    const std::string message = std::to_string(status) + " " + reason;
    if (call->legOf) return transfers_->legEnded(*call, causeForStatus(status), message);
    voiceToSip_.erase(call->voiceCallId);
    if (auto* voice = calls_->voice())
        voice->callFailed(call->voiceCallId, causeForStatus(status), message);
}

// An INVITE from the trunk to one of the configured numbers: the number's application decides
// (Bandwidth's "initiate" event), and its BXML runs on the call.
bool VoiceCalls::onTrunkInvite(const sip::InboundInvite& invite) {
    auto* voice = calls_->voice();
    if (!voice) return false;
    // The user part as sofia's URI parser found it; numbers are short, anything long is not one.
    const std::string& number = invite.requestUser;
    if (number.empty() || number.size() > 32) return false;
    const InboundNumber* target = nullptr;
    for (const auto& n : calls_->config().numbers)
        if (n.number == number) target = &n;
    if (!target) return false;
    // Only the trunk delivers calls to the numbers (toll fraud and spam otherwise: anyone who
    // reaches the SIP port could start the number's application).
    if (!trunk_->isTrunkAddress(invite.sourceAddress)) {
        ++calls_->stats().untrustedTrunkInvites;
        calls_->refuse(
            invite.callId, 403,
            "INVITE for " + number + " from " + invite.sourceAddress + ", not a trunk address");
        return true;
    }
    std::string error;
    auto call = calls_->create(invite.callId, &invite.remote, error);
    if (!call) {
        calls_->refuse(invite.callId, 503, error);
        return true;
    }
    call->inbound = true;
    call->accountId = target->accountId;
    call->diversion = invite.diversion;  // info: <Forward diversionTreatment="propagate|stack">
    call->media = makeMedia_(invite.callId);
    voice::InboundCall inbound;
    inbound.accountId = target->accountId;
    inbound.applicationId = target->applicationId;
    // The caller's number (From's user part), bounded like any number we keep.
    inbound.from = invite.fromUser.size() <= 64 ? invite.fromUser : invite.fromUser.substr(0, 64);
    inbound.to = number;
    inbound.initiateUrl = target->initiateUrl;
    inbound.disconnectUrl = target->disconnectUrl;
    try {
        auto vc = voice->acceptInbound(inbound, call->media);
        call->voiceCallId = vc.callId;
        voiceToSip_[vc.callId] = invite.callId;
    } catch (const std::exception& e) {
        calls_->remove(invite.callId);
        call->pipeline->stop();
        calls_->refuse(invite.callId, 486, e.what());
    }
    return true;
}

void VoiceCalls::released(BridgeCall& call, const std::string& reason, bool hangupSip) {
    if (call.voiceCallId.empty()) return;
    voiceToSip_.erase(call.voiceCallId);
    // The far end hung up (or the server ended the call): the voice API sends its callback. So
    // does a hangup sent to the phone, unless the voice API asked for it.
    if (auto* voice = calls_->voice(); voice && (!hangupSip || reason != "voice hangup"))
        voice->callHungUp(call.voiceCallId);
}

}  // namespace sb::bridge
