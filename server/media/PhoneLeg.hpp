#pragma once
// A SIP call in media: an audio-only leg that publishes through a Janus remote publisher (the
// bridge sends the phone's RTP to it) and hears the room through rtp_forwards to one UDP port of
// the bridge, told apart by SSRC. Its state machine is PhoneState (LegStates.hpp). Runs on the
// media strand only.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "server/media/LegHost.hpp"
#include "server/media/LegStates.hpp"

namespace sb::media {

class PhoneLeg {
  public:
    PhoneLeg(LegHost& host, std::string callId, std::string accountId, std::string participantId,
             std::uint16_t forwardPort, std::shared_ptr<PhoneSink> sink);

    const std::string& id() const { return id_; }
    const std::string& participantId() const { return participantId_; }
    PhoneSink& sink() { return *sink_; }

    // Joins its participant's session; `done` says where to send the phone's RTP, or why not.
    void join(PhoneAttached done);
    void refresh();
    // Tells the call to end and releases the leg (the leg is destroyed before this returns).
    void end(const std::string& reason);
    // Stops its forwards and frees its remote publisher for the next call (before destruction).
    void release();

    std::uint64_t feed() const { return feed_; }
    bool publishesLive(const std::string& sessionId) const {
        return session_ == sessionId && feed_ != 0;
    }
    const std::string& session() const { return session_; }
    const std::vector<PublishedTrack>& tracks() const { return tracks_; }
    bool hears(std::uint64_t feed) const;
    PhoneState state() const { return state_; }

  private:
    struct Forward {
        std::uint64_t streamId = 0;
        std::uint32_t ssrc = 0;
    };

    void on(PhoneEvent event);
    void applyForwards();
    void report();

    LegHost& host_;
    std::string id_, accountId_, participantId_;
    std::uint16_t forwardPort_ = 0;
    std::shared_ptr<PhoneSink> sink_;
    PhoneState state_ = PhoneState::Joining;
    std::uint64_t feed_ = 0;
    std::string session_;
    std::vector<PublishedTrack> tracks_;
    std::map<FeedMid, Forward> forwards_;
    std::uint32_t nextSsrc_ = 0x5b000000;
    std::string endReason_;
};

}  // namespace sb::media
