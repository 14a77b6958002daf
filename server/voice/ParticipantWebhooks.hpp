#pragma once
// Participant webhooks (reference §4.5, docs/participant-webhooks.md): what happens to a
// participant's devices is POSTed to the participant's `callbackUrl` as
// `{event, timestamp, participantId, deviceId, tag?}`, `event` being onConnect, onLeave,
// onDisconnect, onResume, or onReconnect (with `previousDeviceId`: a new device of a participant
// whose device was lost shortly before). Delivered through a CallbackClient (its own retries with
// backoff, its outbound address policy and pending bounds), one request at a time per participant
// so the application sees them in the order they happened; never blocks the caller (signaling's
// network threads).

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <unordered_map>

#include "server/session/DeviceEvents.hpp"
#include "server/voice/CallbackClient.hpp"

namespace sb::voice {

// Where a participant's events go, read once when a device connects (a participant's callbackUrl
// and tag never change).
struct WebhookTarget {
    std::string url;
    std::optional<std::string> tag;
};

struct WebhookLimits {
    // Events waiting behind the one under way, per participant; past it new events are dropped
    // (and logged): an application that does not answer cannot make the server hold more.
    std::size_t maxQueuedPerParticipant = 32;
};

class ParticipantWebhooks : public session::DeviceEventSink,
                            public std::enable_shared_from_this<ParticipantWebhooks> {
  public:
    // nullopt: the participant has no callbackUrl (or is gone): its devices' events are not sent.
    using Lookup = std::function<std::optional<WebhookTarget>(const std::string& accountId,
                                                              const std::string& participantId)>;
    ParticipantWebhooks(std::shared_ptr<CallbackClient> client, Lookup lookup,
                        std::function<std::int64_t()> clockMs, WebhookLimits limits = {});

    void deviceEvent(const session::DeviceRef& device, session::DeviceEvent event) override;
    void deviceGone(const session::DeviceRef& device) override;
    // Registered again without an onConnect (the application had it from the previous process);
    // a device that was connected when the process died is told onDisconnect now.
    void deviceRestored(const session::DeviceRef& device, bool wasConnected) override;

    // Events dropped so far because a participant's queue was full.
    std::uint64_t dropped() const;

    // How long after a lost connection a new device of the same participant is its reconnect;
    // how many lost participants are remembered at once.
    static constexpr std::int64_t kReconnectWindowMs = std::int64_t{5} * 60 * 1000;
    static constexpr std::size_t kMaxLost = 10000;

  private:
    struct Device {
        WebhookTarget target;
        bool left = false;  // `leave` or a server removal came before the disconnect
    };
    struct Lost {
        std::string deviceId;
        std::int64_t atMs = 0;
    };
    struct Pending {
        CallbackScope scope;
        std::string url;
        nlohmann::json body;
    };
    struct Queue {
        std::deque<Pending> events;  // the front one is under way
    };
    // Under mutex_. enqueue: true if the participant's queue was empty (start sending).
    bool enqueue(const std::string& key, const session::DeviceRef& device,
                 const WebhookTarget& target, const char* event, std::int64_t now,
                 const std::string* previousDeviceId);
    void noteLoss(const std::string& key, const std::string& deviceId, session::DeviceEvent event,
                  Device& state, std::int64_t now);
    std::optional<std::string> takeLost(const std::string& key, std::int64_t now);
    void sendFront(const std::string& key);
    void delivered(const std::string& key, const CallbackResult& result);

    std::shared_ptr<CallbackClient> client_;
    Lookup lookup_;
    std::function<std::int64_t()> clockMs_;
    WebhookLimits limits_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Device> devices_;  // by device id, while connected
    std::unordered_map<std::string, Lost> lost_;       // by account/participant
    std::unordered_map<std::string, Queue> queues_;    // by account/participant, while non-empty
    std::uint64_t dropped_ = 0;
};

// "onConnect", "onLeave", "onDisconnect".
const char* webhookEventName(session::DeviceEvent event);

}  // namespace sb::voice
