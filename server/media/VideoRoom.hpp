#pragma once
// A typed client of the Janus VideoRoom plugin over a Janus session: the only code in switchboard
// that writes VideoRoom requests or reads their replies and events. Callers get typed results and
// typed errors; a reply of the wrong shape is an error (janus::kMalformed), never an exception.
// Requests follow the VideoRoom API of Janus 1.1 (plugins/janus_videoroom.c, "multistream").

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "server/media/JanusClient.hpp"

namespace sb::media {

struct JanusError {
    int code = 0;  // Janus's or the plugin's error code; 0 for transport and shape errors
    std::string reason;
    bool noSuchFeed() const;  // 428: a feed not (yet) in its room
};

// One stream of a publisher, as subscribers and forwarders name it: (feed id, publisher's mid).
using FeedMid = std::pair<std::uint64_t, std::string>;

// An offer Janus makes a subscriber (after join/update, or on its own when a publisher leaves).
struct SubscriberOffer {
    struct Stream {
        std::uint64_t feed = 0;
        std::string feedMid;  // the publisher's mid
        std::string mid;      // the subscriber m-line's mid
    };
    std::vector<Stream> active;  // inactive or unreadable entries are left out
    std::string sdp;
};

struct PublisherAnswer {
    std::optional<std::uint64_t> feed;  // present on the first publish of a handle
    std::string sdp;
};

// A phone's way into a room: Janus listens on host:port for its RTP (VideoRoom "remote publisher").
struct RemotePublisher {
    std::uint64_t id = 0;
    std::string host;
    std::uint16_t port = 0;
};

// An event Janus sends on a handle outside any request.
struct HandleEvent {
    enum class Kind { WebrtcUp, Hangup, Offer, Talking, Other };
    Kind kind = Kind::Other;
    SubscriberOffer offer;  // for Kind::Offer
    // For Kind::Talking ("talking" / "stopped-talking", sent to every publisher of the room): the
    // publisher's feed, its audio stream's mid ("" from a Janus that does not say), and which.
    std::uint64_t feed = 0;
    std::string mid;
    bool talking = false;
};

struct RoomOptions {
    std::string secret;    // every room is created with it; destroy and forwards need it
    std::string adminKey;  // VideoRoom admin_key, when Janus requires one
    int maxPublishers = 20;
    // Janus's talk detection (VideoRoom `audiolevel_event`): a publisher's audio stream talks
    // when the RFC 6464 levels of `audioActivePackets` packets (20 ms each) average below
    // `audioLevelAverage` -dBov (127 is silence), and stops when they average above it.
    int audioActivePackets = 50;
    int audioLevelAverage = 60;
};

// Runs a function after a delay: a timer on the media strand in the server, a queue the test runs
// in unit tests.
using Scheduler = std::function<void(std::chrono::milliseconds, std::function<void()>)>;

// Janus answers 428 (no such feed) to a subscription or rtp_forward naming a publisher it does not
// list yet: we learn of a publisher's "webrtcup" on its handle, and VideoRoom may not have made
// the feed subscribable by then. Such a request is sent again after `delay`, at most `retries`
// times (2 s in all by default); then its caller gets the 428.
struct NoSuchFeedRetry {
    int retries = 20;
    std::chrono::milliseconds delay{100};
};

// A new multistream subscriber: its handle, and the offer of its join.
struct Subscribed {
    HandleId handle = 0;
    std::optional<SubscriberOffer> offer;
};

class VideoRoom {
  public:
    template <class T>
    using Done = std::function<void(std::optional<JanusError>, T)>;
    using Ack = std::function<void(std::optional<JanusError>)>;
    enum class PublishMode { JoinAndConfigure, Publish, Configure };

    // Keeps `janus` alive while a retry is scheduled.
    VideoRoom(std::shared_ptr<JanusPort> janus, RoomOptions options, Scheduler scheduler,
              NoSuchFeedRetry retry = {});

    void attach(Done<HandleId> done);
    void detach(HandleId handle);

    void createRoom(HandleId control, std::uint64_t room, const std::string& description, Ack done);
    void destroyRoom(HandleId control, std::uint64_t room);
    // The rooms Janus holds (VideoRoom `list` with the admin_key, which lists private rooms too):
    // id and description, at most kMaxListedRooms of them.
    void listRooms(HandleId control, Done<std::vector<std::pair<std::uint64_t, std::string>>> done);
    static constexpr std::size_t kMaxListedRooms = 100000;

    // A publisher offer: joinandconfigure on a new handle, publish on a handle whose
    // PeerConnection ended, configure to renegotiate a live one.
    void publish(HandleId handle, PublishMode mode, std::uint64_t room, const std::string& display,
                 const std::string& offerSdp, Done<PublisherAnswer> done);
    // A subscriber handle attached and joined to `room` for `streams`. On a 428 that handle is
    // detached and the retry attaches a fresh one (a failed join leaves its handle unjoined).
    void subscribe(std::uint64_t room, const std::set<FeedMid>& streams, Done<Subscribed> done);
    // Changes what a joined subscriber receives; the reply carries an offer unless nothing needs
    // renegotiating. A 428 is retried on the same handle.
    void update(HandleId handle, const std::set<FeedMid>& add, const std::set<FeedMid>& remove,
                Done<std::optional<SubscriberOffer>> done);
    void start(HandleId handle, const std::string& answerSdp, Ack done);
    // A new offer of a joined subscriber with new ICE credentials (VideoRoom subscriber
    // "configure" with "restart": true; JSEP §4.1.8.1), for the same streams.
    void restartSubscriber(HandleId handle, Done<std::optional<SubscriberOffer>> done);

    void addRemotePublisher(HandleId control, std::uint64_t room, const std::string& iface,
                            Done<RemotePublisher> done);
    // Forwards one stream of `feed` as RTP to host:port with `ssrc`; gives Janus's stream id.
    // A 428 is retried.
    void rtpForward(HandleId control, std::uint64_t room, const FeedMid& stream,
                    const std::string& host, std::uint16_t port, std::uint32_t ssrc,
                    Done<std::uint64_t> done);
    void stopRtpForward(HandleId control, std::uint64_t room, std::uint64_t feed,
                        std::uint64_t streamId);

    static HandleEvent readEvent(const nlohmann::json& msg);

  private:
    // Sends one attempt of a request; reports its reply.
    using Attempt = std::function<void(JanusCallback)>;

    nlohmann::json authorized(nlohmann::json body, bool admin) const;
    // Runs `attempt` until Janus answers anything but 428, or the retries run out.
    void withRetry(const Attempt& attempt, const JanusCallback& done) const;

    std::shared_ptr<JanusPort> janus_;
    RoomOptions options_;
    Scheduler scheduler_;
    NoSuchFeedRetry retry_;
};

}  // namespace sb::media
