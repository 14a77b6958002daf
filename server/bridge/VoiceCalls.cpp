// The voice API's calls over the SIP bridge (issue 4): outbound calls through the configured
// trunk, inbound calls from the trunk to configured numbers. What BXML does to such a call is
// SipBridge::Media (SipBridgeMedia.cpp).

#include <boost/asio/post.hpp>

#include "server/bridge/BridgeCall.hpp"
#include "server/bridge/SipBridge.hpp"
#include "server/bridge/SipBridgeMedia.hpp"
#include "server/net/HttpError.hpp"

namespace sb::bridge {

namespace {

std::string causeForStatus(int status) {
    if (status == 486 || status == 600) return voice::cause::kBusy;
    if (status == 408 || status == 480) return voice::cause::kTimeout;
    if (status == 487) return voice::cause::kCancel;
    if (status == 403 || status == 404 || status == 603) return voice::cause::kRejected;
    return voice::cause::kError;
}

// "sip:user@host:port;params" → "host:port" (port 5060 when absent).
std::string hostPortOf(const std::string& uri) {
    std::string rest = uri.rfind("sip:", 0) == 0 ? uri.substr(4) : uri;
    auto at = rest.find('@');
    if (at != std::string::npos) rest = rest.substr(at + 1);
    rest = rest.substr(0, rest.find_first_of(";?>"));
    if (rest.find(':') == std::string::npos) rest += ":5060";
    return rest;
}

}  // namespace

bool SipBridge::isOwnUri(const std::string& uri) const {
    auto hp = hostPortOf(uri);
    auto own = config_.sip.bindAddress + ":" + std::to_string(sipPort());
    return hp == own || hp == "sipx.webrtc.bandwidth.com:5060" ||
           hp == "localhost:" + std::to_string(sipPort());
}

// Toll fraud is the first attack on any SIP platform (DESIGN): calls leave only through the
// configured trunk; a sip: destination must be the trunk itself.
std::string SipBridge::trunkUriFor(const std::string& to) const {
    if (config_.trunk.empty())
        throw net::HttpError(net::ErrorCode::Internal,
                             "no SIP trunk is configured for outbound calls");
    auto trunkHost = hostPortOf(config_.trunk);
    if (to.rfind("sip:", 0) == 0) {
        if (hostPortOf(to) != trunkHost)
            throw net::HttpError(net::ErrorCode::Forbidden,
                                 "sip: destinations must go through the configured trunk", "to");
        return to;
    }
    return "sip:" + to + "@" + trunkHost;
}

void SipBridge::place(const voice::Call& vc) {
    std::string toUri = trunkUriFor(vc.to);  // throws: the REST request fails, nothing is placed
    auto self = shared_from_this();
    asio::post(strand_, [self, vc, toUri] {
        std::string error;
        auto call = self->dialOut("pending-" + vc.callId, toUri, vc.from, vc.uui.value_or(""),
                                  vc.callTimeout, error, vc.displayName.value_or(""));
        if (!call) {
            if (self->voice_) self->voice_->callFailed(vc.callId, voice::cause::kError, error);
            return;
        }
        call->voiceCallId = vc.callId;
        call->accountId = vc.accountId;
        self->voiceToSip_[vc.callId] = call->id;
    });
}

std::shared_ptr<SipBridge::Call> SipBridge::dialOut(
    const std::string& pendingId, const std::string& toUri, const std::string& from,
    const std::string& userToUser, double timeoutSeconds, std::string& error,
    const std::string& displayName, std::vector<std::string> diversion) {
    auto call = newCall(pendingId, nullptr, error);  // its ports are in our offer
    if (!call) return nullptr;
    sip::OutboundCall oc;
    oc.toUri = toUri;
    oc.fromUri = from.rfind("sip:", 0) == 0 ? from : "sip:" + from + "@" + config_.sip.bindAddress;
    if (!displayName.empty()) {
        // createCall's displayName: the From display name as a quoted-string, '"' and '\' escaped
        // as quoted-pairs (RFC 3261 §25.1); VoiceApi has refused control characters.
        std::string quoted;
        for (char c : displayName) {
            if (c == '"' || c == '\\') quoted += '\\';
            quoted += c;
        }
        oc.fromUri = "\"" + quoted + "\" <" + oc.fromUri + ">";
    }
    oc.userToUser = userToUser;
    oc.diversion = std::move(diversion);
    oc.local.address = config_.rtpAddress;
    oc.local.port = call->pipeline->phonePort();
    oc.timeout = std::chrono::seconds(static_cast<long>(timeoutSeconds > 0 ? timeoutSeconds : 30));
    std::string sipId = endpoint_->dial(oc);
    active_.erase(pendingId);
    call->id = sipId;
    call->inbound = false;
    call->sink = std::make_shared<Sink>(weak_from_this(), sipId);
    active_[sipId] = call;
    stats_.activeCalls = active_.size();
    return call;
}

void SipBridge::cancel(const std::string& voiceCallId) {
    asio::post(strand_, [self = shared_from_this(), voiceCallId] {
        auto it = self->voiceToSip_.find(voiceCallId);
        if (it == self->voiceToSip_.end()) return;
        self->end(it->second, "voice hangup", true);
    });
}

void SipBridge::onOutboundAnswered(const std::string& sipId, const sip::RemoteMedia& remote) {
    auto it = active_.find(sipId);
    if (it == active_.end()) return;
    auto call = it->second;
    if (call->legOf) return onLegAnswered(call, remote);
    boost::system::error_code ec;
    auto addr = asio::ip::make_address(remote.address, ec);
    if (!ec) call->pipeline->setPhoneRemote(CallAudioPipeline::Endpoint(addr, remote.port));
    call->pipeline->setPhoneDirection(remote.sends, remote.receives);
    call->pipeline->start();
    call->media = std::make_shared<Media>(weak_from_this(), sipId);
    if (voice_) voice_->callAnswered(call->voiceCallId, call->media);
}

void SipBridge::onOutboundFailed(const std::string& sipId, int status, const std::string& reason) {
    auto it = active_.find(sipId);
    if (it == active_.end()) return;
    auto call = it->second;
    active_.erase(it);
    stats_.activeCalls = active_.size();
    call->pipeline->stop();
    if (call->legOf)
        return legEnded(*call, causeForStatus(status), std::to_string(status) + " " + reason);
    voiceToSip_.erase(call->voiceCallId);
    if (voice_)
        voice_->callFailed(call->voiceCallId, causeForStatus(status),
                           std::to_string(status) + " " + reason);
}

// An INVITE from the trunk to one of the configured numbers: the number's application decides
// (Bandwidth's "initiate" event), and its BXML runs on the call.
bool SipBridge::onTrunkInvite(const sip::InboundInvite& invite) {
    if (!voice_) return false;
    // The user part as sofia's URI parser found it; numbers are short, anything long is not one.
    const std::string& number = invite.requestUser;
    if (number.empty() || number.size() > 32) return false;
    const InboundNumber* target = nullptr;
    for (const auto& n : config_.numbers)
        if (n.number == number) target = &n;
    if (!target) return false;
    // Only the trunk delivers calls to the numbers (toll fraud and spam otherwise: anyone who
    // reaches the SIP port could start the number's application).
    if (!trunkAddresses_.contains(invite.sourceAddress)) {
        ++stats_.untrustedTrunkInvites;
        refuse(invite.callId, 403,
               "INVITE for " + number + " from " + invite.sourceAddress + ", not a trunk address");
        return true;
    }
    std::string error;
    auto call = newCall(invite.callId, &invite.remote, error);
    if (!call) {
        refuse(invite.callId, 503, error);
        return true;
    }
    call->inbound = true;
    call->accountId = target->accountId;
    call->diversion = invite.diversion;  // info: <Forward diversionTreatment="propagate|stack">
    call->media = std::make_shared<Media>(weak_from_this(), invite.callId);
    voice::InboundCall inbound;
    inbound.accountId = target->accountId;
    inbound.applicationId = target->applicationId;
    // The caller's number (From's user part), bounded like any number we keep.
    inbound.from = invite.fromUser.size() <= 64 ? invite.fromUser : invite.fromUser.substr(0, 64);
    inbound.to = number;
    inbound.initiateUrl = target->initiateUrl;
    inbound.disconnectUrl = target->disconnectUrl;
    try {
        auto vc = voice_->acceptInbound(inbound, call->media);
        call->voiceCallId = vc.callId;
        voiceToSip_[vc.callId] = invite.callId;
    } catch (const std::exception& e) {
        active_.erase(invite.callId);
        stats_.activeCalls = active_.size();
        call->pipeline->stop();
        refuse(invite.callId, 486, e.what());
    }
    return true;
}

}  // namespace sb::bridge
