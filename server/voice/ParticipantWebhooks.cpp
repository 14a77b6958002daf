#include "server/voice/ParticipantWebhooks.hpp"

#include "server/base/Log.hpp"

namespace sb::voice {

const char* webhookEventName(session::DeviceEvent event) {
    switch (event) {
        case session::DeviceEvent::Connect:
            return "onConnect";
        case session::DeviceEvent::Leave:
            return "onLeave";
        case session::DeviceEvent::Disconnect:
            return "onDisconnect";
        case session::DeviceEvent::Resume:
            return "onResume";
    }
    return "onDisconnect";
}

ParticipantWebhooks::ParticipantWebhooks(std::shared_ptr<CallbackClient> client, Lookup lookup,
                                         std::function<std::int64_t()> clockMs,
                                         WebhookLimits limits)
    : client_(std::move(client)),
      lookup_(std::move(lookup)),
      clockMs_(std::move(clockMs)),
      limits_(limits) {}

void ParticipantWebhooks::deviceEvent(const session::DeviceRef& device,
                                      session::DeviceEvent event) {
    // The target is read when the device connects: a participant deleted since (onLeave) is no
    // longer in the store, and its events still go where it asked.
    std::optional<WebhookTarget> target;
    if (event == session::DeviceEvent::Connect)
        target = lookup_(device.accountId, device.participantId);
    // Reference §4.5: the timestamp is epoch milliseconds as a string.
    nlohmann::json body{{"event", webhookEventName(event)},
                        {"timestamp", std::to_string(clockMs_())},
                        {"participantId", device.participantId},
                        {"deviceId", device.deviceId}};
    std::string key = device.accountId + "/" + device.participantId;
    bool start = false;
    {
        std::lock_guard lock(mutex_);
        if (event == session::DeviceEvent::Connect) {
            if (!target) return;
            devices_[device.deviceId] = *target;
        } else {
            auto it = devices_.find(device.deviceId);
            if (it == devices_.end()) return;
            target = it->second;
        }
        if (target->tag) body["tag"] = *target->tag;
        auto& queue = queues_[key];
        if (queue.events.size() > limits_.maxQueuedPerParticipant) {
            ++dropped_;
            base::log(base::LogLevel::Warn, "participant " + device.participantId + ": webhook " +
                                                webhookEventName(event) + " dropped, " +
                                                std::to_string(limits_.maxQueuedPerParticipant) +
                                                " events already wait for " + target->url);
            return;
        }
        // The participant stands in for the call in the client's per-call pending bound.
        queue.events.push_back(
            Pending{CallbackScope{device.accountId, "participant:" + device.participantId},
                    target->url, std::move(body)});
        start = queue.events.size() == 1;
    }
    if (start) sendFront(key);
}

void ParticipantWebhooks::deviceGone(const session::DeviceRef& device) {
    std::lock_guard lock(mutex_);
    devices_.erase(device.deviceId);
}

void ParticipantWebhooks::sendFront(const std::string& key) {
    Pending front;
    {
        std::lock_guard lock(mutex_);
        auto it = queues_.find(key);
        if (it == queues_.end() || it->second.events.empty()) return;
        front = it->second.events.front();
    }
    std::weak_ptr<ParticipantWebhooks> weak = weak_from_this();
    client_->post(front.scope, front.url, "POST", std::move(front.body),
                  [weak, key](const CallbackResult& result) {
                      if (auto self = weak.lock()) self->delivered(key, result);
                  });
}

// After the client's own retries: a failure is logged and the next event goes anyway (holding
// the queue for an application that is down would only delay what it can still take).
void ParticipantWebhooks::delivered(const std::string& key, const CallbackResult& result) {
    bool more = false;
    std::string url;
    {
        std::lock_guard lock(mutex_);
        auto it = queues_.find(key);
        if (it == queues_.end() || it->second.events.empty()) return;
        url = it->second.events.front().url;
        it->second.events.pop_front();
        more = !it->second.events.empty();
        if (!more) queues_.erase(it);
    }
    if (!result.ok())
        base::log(base::LogLevel::Warn, "participant webhook of " + key +
                                            " not delivered: " + describeFailure(result, url));
    if (more) sendFront(key);
}

std::uint64_t ParticipantWebhooks::dropped() const {
    std::lock_guard lock(mutex_);
    return dropped_;
}

}  // namespace sb::voice
