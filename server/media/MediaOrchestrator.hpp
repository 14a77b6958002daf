#pragma once
// Media orchestration (DESIGN "server/"): one Janus VideoRoom per session, a publisher handle and
// a multistream subscriber handle per connected device, and the subscriber renegotiations that
// make each device receive exactly the streams state::receivedStreams gives it.
//
// Thread model: every public method may be called from any thread; the work runs on one strand,
// shared with the JanusClient, so the state below needs no locks.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "protocol/JsonRpc.hpp"
#include "server/api/CallControl.hpp"
#include "server/media/JanusClient.hpp"
#include "server/media/Tracks.hpp"

namespace sb::media {

// How the orchestration talks back to a connected device (implemented by signaling).
class DeviceSink {
public:
    virtual ~DeviceSink() = default;
    virtual void notify(const std::string& method, const nlohmann::json& params) = 0;
    virtual void closeDevice(std::uint16_t code, const std::string& reason) = 0;
};

// A room stream forwarded to a phone leg (Janus rtp_forward): all of a call's forwarders send to
// one UDP port, told apart by SSRC.
struct ForwardedStream {
    std::uint32_t ssrc = 0;
    int payloadType = 0;
    std::string codec;  // "opus", "pcmu", "pcma"
    std::string participantId;
};

// How the orchestration talks back to a phone leg (implemented by the SIP bridge).
class PhoneSink {
public:
    virtual ~PhoneSink() = default;
    virtual void forwardsChanged(const std::vector<ForwardedStream>& streams) = 0;
    // The phone must leave (participant removed or deleted, session deleted, media server gone).
    virtual void endPhone(const std::string& reason) = 0;
    // A participant the phone hears sent DTMF (RFC 4733 towards the phone).
    virtual void sendDtmf(const std::string& tones) = 0;
};

// Where a phone leg sends its RTP: the room's Janus remote publisher (PCMU, SSRC 1000).
struct PhoneEndpoint {
    std::string host;
    std::uint16_t port = 0;
};
using PhoneAttached = std::function<void(std::optional<std::string> error, PhoneEndpoint endpoint)>;

struct MediaConfig {
    std::string janusUrl;
    std::string roomSecret;     // rooms are created with this secret
    std::string adminKey;       // VideoRoom admin_key, required to create rooms
    int maxPublishersPerRoom = 20;
    std::string forwardHost = "127.0.0.1";     // where rtp_forward sends room audio for phones
    std::string remotePublisherIface = "127.0.0.1";  // where Janus listens for phone RTP
    std::size_t janusMaxMessageBytes = 1024 * 1024;  // a bigger Janus message drops the connection
};

using RpcReply = std::function<void(std::optional<protocol::RpcError>, nlohmann::json result)>;

class MediaOrchestrator : public api::CallControlObserver,
                          public std::enable_shared_from_this<MediaOrchestrator> {
public:
    MediaOrchestrator(boost::asio::any_io_executor executor, MediaConfig config, api::CallControl& calls);
    ~MediaOrchestrator() override;

    void start();
    void stop();

    void attachDevice(const std::string& deviceId, const std::string& accountId, const std::string& participantId,
                      std::shared_ptr<DeviceSink> sink);
    void detachDevice(const std::string& deviceId);
    // offerSdp of the publishing peer connection; `aliases` maps msid → alias.
    void offer(const std::string& deviceId, std::string sdp, std::map<std::string, std::string> aliases, RpcReply reply);
    // answerSdp for the last sdpOffer sent to the device.
    void answer(const std::string& deviceId, std::string sdp, RpcReply reply);

    // A phone call joins its participant's session: audio-only, as a Janus remote publisher, and
    // receiving what the participant is subscribed to through rtp_forward to `forwardPort`.
    void attachPhone(const std::string& callId, const std::string& accountId, const std::string& participantId,
                     std::uint16_t forwardPort, std::shared_ptr<PhoneSink> sink, PhoneAttached done);
    void detachPhone(const std::string& callId);
    // DTMF crosses between browsers and phones of a session as events: a device's `sendDtmf`
    // reaches the phone legs that hear that participant; a phone's digits reach, as a `dtmf`
    // notification, the devices that hear the phone (browsers cannot receive RFC 4733 events).
    void deviceDtmf(const std::string& deviceId, const std::string& tones, RpcReply reply);
    void phoneDigit(const std::string& callId, char digit);

    // Call-control changes, applied at once to connected devices.
    void membershipChanged(const std::string& accountId, const std::string& participantId) override;
    void participantDeleted(const std::string& accountId, const std::string& participantId) override;
    void sessionDeleted(const std::string& accountId, const std::string& sessionId,
                        const std::vector<std::string>& members) override;

    struct Stats {
        std::size_t devices = 0, rooms = 0, publishers = 0, subscribers = 0, phones = 0, forwarders = 0,
                    remotePublishers = 0, spareRooms = 0;
    };
    Stats stats() const;  // approximate when called off the strand (for metrics)

private:
    struct Device;
    struct Room;
    struct Negotiation;

    Device* device(const std::string& id);
    std::optional<state::Participant> participantOf(const Device& d) const;
    void withRoom(const std::string& accountId, const std::string& sessionId, std::function<void(Room*)> then);
    void publish(Device& d, const std::string& sessionId, std::string sdp, std::map<std::string, std::string> aliases,
                 RpcReply reply);
    void sendPublisherOffer(Device& d, Room& room, const OfferPlan& plan, std::map<std::string, std::string> aliases,
                            RpcReply reply);
    void leaveRoom(Device& d);
    void refreshRoom(const std::string& sessionId);
    void refreshDevice(Device& d);
    std::set<std::pair<std::uint64_t, std::string>> wantedStreams(Device& d, const std::string& sessionId,
                                                                  const state::Participant& p);
    void applyForwards(Device& d, const std::set<std::pair<std::uint64_t, std::string>>& wanted);
    void retryForwardsSoon(const std::string& callId);  // refreshDevice in a moment (PhoneLegs.cpp)
    void endPhoneLeg(Device& d, const std::string& reason);
    void onSubscriberOffer(Device& d, const nlohmann::json& streams, const nlohmann::json& jsep);
    void onHandleEvent(HandleId handle, const nlohmann::json& msg);
    bool sendPendingJanusOffer(Device& d);
    void onJanusReady();
    void onJanusLost();
    void reap();
    void maybeDestroyRoom(const std::string& sessionId);
    const PublishedTrack* findTrack(std::uint64_t feed, const std::string& mid, std::string* participantId) const;

    boost::asio::strand<boost::asio::any_io_executor> strand_;
    MediaConfig config_;
    api::CallControl& calls_;
    std::unique_ptr<JanusClient> janus_;
    HandleId controlHandle_ = 0;
    std::map<std::string, std::unique_ptr<Device>> devices_;
    std::map<std::string, std::unique_ptr<Room>> rooms_;  // by session id
    // Rooms of ended sessions that still hold idle remote publishers: reused for new sessions,
    // because Janus 1.1.2 leaks a remote publisher's ports once RTP has flowed (janus-notes §5).
    std::vector<std::unique_ptr<Room>> spareRooms_;
    std::map<HandleId, std::string> handleOwner_;         // handle → device id
    struct Retired {
        HandleId handle;
        std::uint64_t feed;
        std::chrono::steady_clock::time_point deadline;
    };
    std::vector<Retired> retired_;  // publisher handles waiting until nobody receives their feed
    boost::asio::steady_timer reapTimer_;
    Stats stats_;
};

}  // namespace sb::media
