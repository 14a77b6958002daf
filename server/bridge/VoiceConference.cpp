#include "server/bridge/VoiceConference.hpp"

#include <boost/asio/post.hpp>

#include "server/base/Log.hpp"
#include "server/session/SessionError.hpp"

namespace sb::bridge {

namespace {

class CallControlRooms : public voice::ConferenceRooms {
  public:
    explicit CallControlRooms(session::CallControl& calls) : calls_(calls) {}
    std::string createRoom(const std::string& accountId,
                           const std::string& conferenceName) override {
        session::CreateSessionRequest req;
        req.tag = "conference " + conferenceName;
        return calls_.createSession(accountId, req).id;
    }
    void deleteRoom(const std::string& accountId, const std::string& sessionId) override {
        try {
            calls_.deleteSession(accountId, sessionId);
        } catch (const session::SessionError&) {
            // Already gone (deleted over the WebRTC API, or expired): nothing left to free.
        }
    }

  private:
    session::CallControl& calls_;
};

void deleteParticipant(session::CallControl& control, const ConferenceLink& link) {
    try {
        control.deleteParticipant(link.accountId, link.participantId);
    } catch (const std::exception&) {
        // Deleted already (with its session, or over the WebRTC API).
    }
}

}  // namespace

std::shared_ptr<voice::ConferenceRooms> VoiceConference::rooms() {
    return std::make_shared<CallControlRooms>(calls_->control());
}

void VoiceConference::join(BridgeCall& call, const std::string& accountId,
                           const std::string& sessionId, bool mute, bool hold,
                           voice::CallMedia::Done joined, std::function<void(std::string)> left) {
    if (call.attached) return joined(false, "the call is in a WebRTC session");
    if (call.transfer) return joined(false, "the call is running a <Transfer> or <Forward>");
    if (call.bridged) return joined(false, "the call is bridged");
    if (call.conference) return joined(false, "the call is already in a conference");
    auto link = std::make_shared<ConferenceLink>();
    link->accountId = accountId;
    link->sessionId = sessionId;
    link->mute = mute;
    link->hold = hold;
    auto& control = calls_->control();
    try {
        session::CreateParticipantRequest req;
        req.publishPermissions = state::PublishPermissions{true, false};
        req.tag = "conference member " + call.voiceCallId;
        link->participantId = control.createParticipant(accountId, req).participant.id;
        state::Subscriptions everyone;
        everyone.sessionId =
            sessionId;  // hears the whole session, as browsers added with {sessionId}
        control.addParticipantToSession(accountId, sessionId, link->participantId, everyone);
    } catch (const std::exception& e) {
        if (!link->participantId.empty()) deleteParticipant(control, *link);
        return joined(
            false,
            std::string("no participant for the call in the conference's session: ") + e.what());
    }
    link->joinedDone = std::move(joined);
    link->left = std::move(left);
    call.conference = link;
    call.participantId = link->participantId;
    call.pipeline->stopPlayback();
    const std::string callId = call.id;
    calls_->media().attachPhone(
        callId, accountId, link->participantId, call.pipeline->roomPort(), call.sink,
        [self = shared_from_this(), callId, link](
            const std::optional<media::PhoneJoinFailure>& error,
            const media::PhoneEndpoint& janus) {
            asio::post(self->calls_->strand(), [self, callId, link, error, janus] {
                self->attached(callId, link, error, janus);
            });
        });
}

void VoiceConference::attached(const std::string& callId,
                               const std::shared_ptr<ConferenceLink>& link,
                               const std::optional<media::PhoneJoinFailure>& error,
                               const media::PhoneEndpoint& janus) {
    auto call = calls_->find(callId);
    if (!call || call->conference != link) {
        // The call left (stop, hangup) while this was under way: leave() already reported; only
        // the room's side is undone here.
        if (!error) calls_->media().detachPhone(callId);
        return;
    }
    auto& c = *call;
    if (error) {
        c.conference.reset();
        deleteParticipant(calls_->control(), *link);
        if (link->joinedDone) std::exchange(link->joinedDone, nullptr)(false, error->detail);
        return;
    }
    boost::system::error_code ec;
    link->room = CallAudioPipeline::Endpoint(asio::ip::make_address(janus.host, ec), janus.port);
    link->joined = true;
    c.attached = true;
    calls_->digitsToSession(c);
    setAudio(c, link->mute, link->hold);
    base::log(base::LogLevel::Info, "sip: call " + callId + " joined conference session " +
                                        link->sessionId + (link->mute ? " (muted)" : "") +
                                        (link->hold ? " (on hold)" : ""));
    if (link->joinedDone) std::exchange(link->joinedDone, nullptr)(true, "");
}

void VoiceConference::setAudio(BridgeCall& call, bool mute, bool hold) {
    auto& link = call.conference;
    if (!link) return;
    link->mute = mute;
    link->hold = hold;
    if (!link->joined) return;  // applied when the attach completes
    // Bandwidth: muted members still hear; members on hold neither hear nor are heard.
    call.pipeline->setJanusRemote(mute || hold ? std::nullopt : link->room);
    call.pipeline->setRoomStreams(hold ? std::vector<CallAudioPipeline::RoomStreamSpec>{}
                                       : link->streams);
}

void VoiceConference::leave(BridgeCall& call, const std::string& why) {
    auto link = std::exchange(call.conference, nullptr);
    if (!link) return;
    if (call.attached) {
        calls_->media().detachPhone(call.id);
        call.attached = false;
    }
    BridgeCalls::disconnectAudio(call);
    call.participantId.clear();
    deleteParticipant(calls_->control(), *link);
    base::log(base::LogLevel::Info, "sip: call " + call.id + " left conference session " +
                                        link->sessionId +
                                        (why.empty() ? std::string() : ": " + why));
    // Not joined yet: the join ends here instead (no error: it was stopped, not failed).
    if (link->joinedDone) return std::exchange(link->joinedDone, nullptr)(false, why);
    if (link->left) std::exchange(link->left, nullptr)(why);
}

}  // namespace sb::bridge
