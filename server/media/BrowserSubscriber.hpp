#pragma once
// What a browser device receives: its VideoRoom multistream subscriber handle, the (feed, mid)s it
// is subscribed to, and the sdpOffers that follow every change (one revision each), negotiated
// by the SubState machine of LegStates.hpp. Part of a BrowserLeg, which forwards the device's
// answers and its handle's events here. Runs on the media strand only.

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "server/media/LegHost.hpp"
#include "server/media/LegStates.hpp"

namespace sb::media {

class BrowserSubscriber {
  public:
    // `loopback`: it also receives the device's own streams (docs/protocol.md "Loopback
    // (preflight)").
    BrowserSubscriber(LegHost& host, std::string deviceId, std::string accountId,
                      std::string participantId, std::shared_ptr<DeviceSink> sink,
                      bool loopback = false);

    // The device's answer to the last StreamsOffer.
    void answer(std::string sdp, MediaReply<bool> reply);
    // What it should receive may have changed.
    void refresh();
    // An event of its subscriber handle (`handle` is not checked: the leg routes by handle).
    void onEvent(const HandleEvent& event);
    // The device asked for new ICE credentials (docs/protocol.md `restartIce`): the next request
    // to Janus is a restart of the same streams, whose offer follows as an sdpOffer. Refused,
    // nothing asked, when there is no subscriber PeerConnection to restart, or when the last
    // restart was taken less than kMinRestartInterval ago (each makes Janus renegotiate; a
    // device restarts every few seconds at most).
    std::optional<MediaError> restartIce();
    static constexpr std::chrono::milliseconds kMinRestartInterval{1000};
    // Detaches the handle (the device is going away); an answer in flight is refused.
    void close();
    // Janus's session is gone, and the handle with it; an answer in flight gets an error.
    void forgetJanus();

    HandleId handle() const { return handle_; }
    const std::string& session() const { return session_; }
    bool receives(std::uint64_t feed) const {
        return std::any_of(subscribed_.begin(), subscribed_.end(),
                           [feed](const FeedMid& fm) { return fm.first == feed; });
    }
    bool receives(const FeedMid& track) const { return subscribed_.count(track) > 0; }
    SubState state() const { return state_; }

  private:
    void on(SubEvent event);
    void request();
    VideoRoom::Done<std::optional<SubscriberOffer>> onReplyFor(HandleId handle);
    void onReply(std::optional<JanusError> error, std::optional<SubscriberOffer> offer);
    void sendOffer(const SubscriberOffer& offer);
    void start();
    void drop();

    LegHost& host_;
    std::string id_, accountId_, participantId_;
    std::shared_ptr<DeviceSink> sink_;
    bool loopback_ = false;

    SubState state_;
    HandleId handle_ = 0;
    std::string session_;
    std::set<FeedMid> subscribed_;
    std::set<FeedMid> asked_;                    // what the request in flight asks for
    std::optional<SubscriberOffer> replyOffer_;  // the offer of the request just answered
    std::optional<SubscriberOffer> janusOffer_;  // Janus's own offer, sent or queued
    std::optional<std::string> answerSdp_;
    MediaReply<bool> answerReply_;
    int revision_ = 0;
    bool restartWanted_ = false;  // asked by the device, not yet sent to Janus
    bool restartAsked_ = false;   // the request in flight is the restart
    std::chrono::steady_clock::time_point lastRestart_{};
    // The streams of the last offer sent: an ICE restart keeps its m-lines (JSEP §5.2.1), and
    // Janus's restart reply need not list them again.
    std::vector<SubscriberOffer::Stream> lastActive_;
};

}  // namespace sb::media
