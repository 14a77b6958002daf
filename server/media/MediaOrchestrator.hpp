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

struct MediaConfig {
    std::string janusUrl;
    std::string roomSecret;     // rooms are created with this secret
    std::string adminKey;       // VideoRoom admin_key, required to create rooms
    int maxPublishersPerRoom = 20;
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

    // Call-control changes, applied at once to connected devices.
    void membershipChanged(const std::string& accountId, const std::string& participantId) override;
    void participantDeleted(const std::string& accountId, const std::string& participantId) override;
    void sessionDeleted(const std::string& accountId, const std::string& sessionId,
                        const std::vector<std::string>& members) override;

    struct Stats {
        std::size_t devices = 0, rooms = 0, publishers = 0, subscribers = 0;
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
    void onSubscriberOffer(Device& d, const nlohmann::json& streams, const nlohmann::json& jsep);
    void onHandleEvent(HandleId handle, const nlohmann::json& msg);
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
