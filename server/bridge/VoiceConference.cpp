// conf (issue 9): the SIP side of BXML <Conference>. A member call becomes an audio participant,
// made for it, of the conference's WebRTC session, and its pipeline is attached the way a
// <Transfer> into a session attaches a phone (MediaOrchestrator::attachPhone: the room's remote
// publisher gets the phone's audio, rtp_forward brings it the session's streams). Phones of the
// conference then hear each other and the browsers of that session, and browsers hear them.
// The participant is deleted when the call leaves the room.

#include "server/bridge/BridgeCall.hpp"
#include "server/bridge/SipBridge.hpp"
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

}  // namespace

std::shared_ptr<voice::ConferenceRooms> SipBridge::conferenceRooms() {
    return std::make_shared<CallControlRooms>(calls_);
}

void SipBridge::joinConference(Call& call, const std::string& accountId,
                               const std::string& sessionId, bool mute, bool hold,
                               voice::CallMedia::Done joined,
                               std::function<void(std::string)> left) {
    if (call.attached) return joined(false, "the call is in a WebRTC session");
    if (call.transfer) return joined(false, "the call is running a <Transfer> or <Forward>");
    if (call.bridged) return joined(false, "the call is bridged");
    if (call.conference) return joined(false, "the call is already in a conference");
    auto link = std::make_shared<ConferenceLink>();
    link->accountId = accountId;
    link->sessionId = sessionId;
    link->mute = mute;
    link->hold = hold;
    try {
        session::CreateParticipantRequest req;
        req.publishPermissions = state::PublishPermissions{true, false};
        req.tag = "conference member " + call.voiceCallId;
        link->participantId = calls_.createParticipant(accountId, req).participant.id;
        state::Subscriptions everyone;
        everyone.sessionId =
            sessionId;  // hears the whole session, as browsers added with {sessionId}
        calls_.addParticipantToSession(accountId, sessionId, link->participantId, everyone);
    } catch (const std::exception& e) {
        if (!link->participantId.empty()) {
            try {
                calls_.deleteParticipant(accountId, link->participantId);
            } catch (const std::exception&) {
            }
        }
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
    media_->attachPhone(
        callId, accountId, link->participantId, call.pipeline->roomPort(), call.sink,
        [self = shared_from_this(), callId, link](
            const std::optional<media::PhoneJoinFailure>& error,
            const media::PhoneEndpoint& janus) {
            asio::post(self->strand_, [self, callId, link, error, janus] {
                auto it = self->active_.find(callId);
                bool current = it != self->active_.end() && it->second->conference == link;
                if (!current) {
                    // The call left (stop, hangup) while this was under way: leaveConference
                    // already reported; only the room's side is undone here.
                    if (!error) self->media_->detachPhone(callId);
                    return;
                }
                auto& c = *it->second;
                if (error) {
                    c.conference.reset();
                    try {
                        self->calls_.deleteParticipant(link->accountId, link->participantId);
                    } catch (const std::exception&) {
                    }
                    if (link->joinedDone)
                        std::exchange(link->joinedDone, nullptr)(false, error->detail);
                    return;
                }
                boost::system::error_code ec;
                link->room =
                    CallAudioPipeline::Endpoint(asio::ip::make_address(janus.host, ec), janus.port);
                link->joined = true;
                c.attached = true;
                std::weak_ptr<media::MediaOrchestrator> media = self->media_;
                c.pipeline->onDigit([media, callId](char digit) {
                    if (auto m = media.lock()) m->phoneDigit(callId, digit);
                });
                self->setConferenceAudio(c, link->mute, link->hold);
                base::log(base::LogLevel::Info,
                          "sip: call " + callId + " joined conference session " + link->sessionId +
                              (link->mute ? " (muted)" : "") + (link->hold ? " (on hold)" : ""));
                if (link->joinedDone) std::exchange(link->joinedDone, nullptr)(true, "");
            });
        });
}

void SipBridge::setConferenceAudio(Call& call, bool mute, bool hold) {
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

void SipBridge::leaveConference(Call& call, const std::string& why) {
    auto link = std::exchange(call.conference, nullptr);
    if (!link) return;
    if (call.attached) {
        media_->detachPhone(call.id);
        call.attached = false;
    }
    call.pipeline->setJanusRemote(std::nullopt);
    call.pipeline->setRoomStreams({});
    call.pipeline->onDigit(nullptr);
    call.participantId.clear();
    try {
        calls_.deleteParticipant(link->accountId, link->participantId);
    } catch (const std::exception&) {
        // Deleted already (with its session, or over the WebRTC API).
    }
    base::log(base::LogLevel::Info, "sip: call " + call.id + " left conference session " +
                                        link->sessionId +
                                        (why.empty() ? std::string() : ": " + why));
    // Not joined yet: the join ends here instead (no error: it was stopped, not failed).
    if (link->joinedDone) return std::exchange(link->joinedDone, nullptr)(false, why);
    if (link->left) std::exchange(link->left, nullptr)(why);
}

}  // namespace sb::bridge
