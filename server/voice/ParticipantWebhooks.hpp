#pragma once
// Participant webhooks (reference §4.5, docs/rest-api.md "Participant webhooks"): what happens to a
// participant's devices is POSTed to the participant's `callbackUrl` as
// `{event, timestamp, participantId, deviceId, tag?}`, `event` being onConnect, onLeave,
// onDisconnect or onResume. Delivered through a CallbackClient (its own retries with backoff, its
// outbound address policy and pending bounds), one request at a time per participant so the
// application sees them in the order they happened; never blocks the caller (signaling's network
// threads).

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

    // Events dropped so far because a participant's queue was full.
    std::uint64_t dropped() const;

  private:
    struct Pending {
        CallbackScope scope;
        std::string url;
        nlohmann::json body;
    };
    struct Queue {
        std::deque<Pending> events;  // the front one is under way
    };
    void sendFront(const std::string& key);
    void delivered(const std::string& key, const CallbackResult& result);

    std::shared_ptr<CallbackClient> client_;
    Lookup lookup_;
    std::function<std::int64_t()> clockMs_;
    WebhookLimits limits_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, WebhookTarget> devices_;  // by device id, while connected
    std::unordered_map<std::string, Queue> queues_;  // by account/participant, while non-empty
    std::uint64_t dropped_ = 0;
};

// "onConnect", "onLeave", "onDisconnect".
const char* webhookEventName(session::DeviceEvent event);

}  // namespace sb::voice
