#include "server/media/PhoneLeg.hpp"

#include <memory>
#include <utility>

#include "server/base/Log.hpp"

namespace sb::media {

PhoneLeg::PhoneLeg(LegHost& host, std::string callId, std::string accountId,
                   std::string participantId, std::uint16_t forwardPort,
                   std::shared_ptr<PhoneSink> sink)
    : host_(host),
      id_(std::move(callId)),
      accountId_(std::move(accountId)),
      participantId_(std::move(participantId)),
      forwardPort_(forwardPort),
      sink_(std::move(sink)) {}

bool PhoneLeg::hears(std::uint64_t feed) const {
    for (const auto& [fm, fwd] : forwards_)
        if (fm.first == feed && feed != 0) return true;
    return false;
}

void PhoneLeg::join(PhoneAttached done) {
    auto p = host_.participant(accountId_, participantId_);
    auto refuse = [&host = host_, id = id_, &done](JoinError kind, std::string detail) {
        host.releasePhone(id);  // destroys this leg
        done(PhoneJoinFailure{kind, std::move(detail)}, {});
    };
    if (!p) return refuse(JoinError::NoParticipant, "participant no longer exists");
    if (!p->sessionId) return refuse(JoinError::NotInSession, "participant is not in a session");
    const std::string sessionId = *p->sessionId;
    host_.withRoom(
        accountId_, sessionId,
        [host = host_.self(), id = id_, sessionId, done](const std::optional<RoomRef>& room) {
            if (!host->phone(id))
                return done(PhoneJoinFailure{JoinError::CallEnded, "call ended"}, {});
            if (!room) {
                host->releasePhone(id);
                return done(
                    PhoneJoinFailure{JoinError::MediaUnavailable, "no media server available"}, {});
            }
            host->remotePublisherFor(
                sessionId, id,
                [host, id, sessionId, done](const std::optional<JanusError>& error,
                                            const RemotePublisher& remote) {
                    auto* leg = host->phone(id);
                    if (!leg) {
                        if (!error) host->releaseRemotePublisher(sessionId, id);
                        return done(PhoneJoinFailure{JoinError::CallEnded, "call ended"}, {});
                    }
                    if (error) {
                        base::log(base::LogLevel::Error,
                                  "media: add_remote_publisher failed: " + error->reason);
                        host->releasePhone(id);
                        return done(
                            PhoneJoinFailure{JoinError::MediaRefused,
                                             "media server refused the phone: " + error->reason},
                            {});
                    }
                    leg->feed_ = remote.id;
                    leg->session_ = sessionId;
                    // RTP from a remote publisher needs no ICE: live at once.
                    leg->tracks_ = {
                        PublishedTrack{"0", "audio", "phone-" + id, "phone-audio", "pcmu", 0}};
                    done(std::nullopt, PhoneEndpoint{remote.host, remote.port});
                    if (host->phone(id)) leg->on(PhoneEvent::Joined);
                });
        });
}

void PhoneLeg::refresh() {
    on(PhoneEvent::Refresh);
}

void PhoneLeg::end(const std::string& reason) {
    endReason_ = reason;
    on(PhoneEvent::End);
}

void PhoneLeg::on(PhoneEvent event) {
    auto step = next(state_, event);
    state_ = step.state;
    for (auto action : step.actions) {
        switch (action) {
            case PhoneAction::RefreshRoom:
                host_.refreshRoom(session_);
                break;
            case PhoneAction::ApplyForwards:
                applyForwards();
                break;
            case PhoneAction::Report:
                report();
                break;
            case PhoneAction::EndCall: {
                auto sink = sink_;
                auto& host = host_;
                const std::string id = id_, reason = endReason_;
                sink->endPhone(reason);
                host.releasePhone(id);  // destroys this leg: nothing below may touch it
                return;
            }
        }
    }
}

void PhoneLeg::applyForwards() {
    auto p = host_.participant(accountId_, participantId_);
    std::string sessionId = p && p->sessionId ? *p->sessionId : std::string();
    if (sessionId != session_)
        return end(sessionId.empty() ? "participant left the session"
                                     : "participant moved to another session");
    auto room = host_.existingRoom(session_);
    if (!room || !host_.controlHandle()) return on(PhoneEvent::NothingToForward);
    auto wanted = host_.wantedStreams(accountId_, participantId_, session_, true, {});
    std::set<FeedMid> current;
    for (const auto& [fm, fwd] : forwards_) current.insert(fm);
    if (current == wanted) return on(PhoneEvent::NothingToForward);

    auto& videoRoom = host_.videoRoom();
    const auto control = host_.controlHandle();
    for (const auto& fm : current) {
        if (wanted.count(fm)) continue;
        videoRoom.stopRtpForward(control, room->roomId, fm.first, forwards_[fm].streamId);
        forwards_.erase(fm);
        --host_.stats().forwarders;
    }
    // ForwardsDone once every request below is answered (the count holds one until all are sent).
    auto pending = std::make_shared<int>(1);
    auto host = host_.self();
    auto finished = [host, id = id_, pending] {
        if (--*pending > 0) return;
        if (auto* leg = host->phone(id)) leg->on(PhoneEvent::ForwardsDone);
    };
    for (const auto& fm : wanted) {
        if (current.count(fm)) continue;
        std::uint32_t ssrc = nextSsrc_++;
        ++*pending;
        videoRoom.rtpForward(
            control, room->roomId, fm, host_.config().forwardHost, forwardPort_, ssrc,
            [host, id = id_, fm, ssrc, roomId = room->roomId, finished](
                std::optional<JanusError> error, std::uint64_t streamId) {
                auto* leg = host->phone(id);
                if (!leg) {
                    // Ended meanwhile: a forward made for it is stopped at once.
                    if (!error)
                        host->videoRoom().stopRtpForward(host->controlHandle(), roomId, fm.first,
                                                         streamId);
                } else if (!error) {
                    leg->forwards_[fm] = {streamId, ssrc};
                    ++host->stats().forwarders;
                } else {
                    // (A 428 was retried by VideoRoom first.)
                    base::log(base::LogLevel::Warn,
                              "media: rtp_forward for call " + id + " failed: " + error->reason);
                }
                finished();
            });
    }
    finished();
}

void PhoneLeg::report() {
    std::vector<ForwardedStream> streams;
    for (const auto& [fm, fwd] : forwards_) {
        auto owner = host_.findTrack(fm.first, fm.second);
        if (!owner.track) continue;
        streams.push_back(
            {fwd.ssrc, owner.track->payloadType, owner.track->codec, owner.participantId});
    }
    sink_->forwardsChanged(streams);
}

void PhoneLeg::release() {
    auto room = session_.empty() ? std::nullopt : host_.existingRoom(session_);
    if (room && host_.controlHandle())
        for (const auto& [fm, fwd] : forwards_)
            host_.videoRoom().stopRtpForward(host_.controlHandle(), room->roomId, fm.first,
                                             fwd.streamId);
    host_.stats().forwarders -= forwards_.size();
    forwards_.clear();
    if (!session_.empty()) host_.releaseRemotePublisher(session_, id_);
}

}  // namespace sb::media
