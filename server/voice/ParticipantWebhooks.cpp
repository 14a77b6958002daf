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
    std::int64_t now = clockMs_();
    std::string key = device.accountId + "/" + device.participantId;
    bool start = false;
    {
        std::lock_guard lock(mutex_);
        std::optional<std::string> replaced;  // the lost device a new connection stands in for
        if (event == session::DeviceEvent::Connect) {
            if (!target) return;
            devices_[device.deviceId] = Device{*target, false};
            replaced = takeLost(key, now);
        } else {
            auto it = devices_.find(device.deviceId);
            if (it == devices_.end()) return;
            target = it->second.target;
            noteLoss(key, device.deviceId, event, it->second, now);
        }
        start = enqueue(key, device, *target, webhookEventName(event), now, nullptr);
        if (replaced)
            start = enqueue(key, device, *target, "onReconnect", now, &*replaced) || start;
    }
    if (start) sendFront(key);
}

// A connection lost without a `leave` (onDisconnect alone) makes the participant's next new
// device within kReconnectWindowMs a reconnect; a kept device that resumes is not lost.
void ParticipantWebhooks::noteLoss(const std::string& key, const std::string& deviceId,
                                   session::DeviceEvent event, Device& state, std::int64_t now) {
    if (event == session::DeviceEvent::Leave) {
        state.left = true;
    } else if (event == session::DeviceEvent::Disconnect && !state.left) {
        if (lost_.size() >= kMaxLost) {
            for (auto it = lost_.begin(); it != lost_.end();)
                it = now - it->second.atMs > kReconnectWindowMs ? lost_.erase(it) : std::next(it);
            if (lost_.size() >= kMaxLost) return;  // bounded: the event is merely not derived
        }
        lost_[key] = Lost{deviceId, now};
    } else if (event == session::DeviceEvent::Resume) {
        auto it = lost_.find(key);
        if (it != lost_.end() && it->second.deviceId == deviceId) lost_.erase(it);
    }
    // A kept device released at the end of its grace period (Leave after Disconnect) stays lost.
}

std::optional<std::string> ParticipantWebhooks::takeLost(const std::string& key, std::int64_t now) {
    auto it = lost_.find(key);
    if (it == lost_.end()) return std::nullopt;
    std::optional<std::string> previous;
    if (now - it->second.atMs <= kReconnectWindowMs) previous = it->second.deviceId;
    lost_.erase(it);
    return previous;
}

bool ParticipantWebhooks::enqueue(const std::string& key, const session::DeviceRef& device,
                                  const WebhookTarget& target, const char* event, std::int64_t now,
                                  const std::string* previousDeviceId) {
    // Reference §4.5: the timestamp is epoch milliseconds as a string.
    nlohmann::json body{{"event", event},
                        {"timestamp", std::to_string(now)},
                        {"participantId", device.participantId},
                        {"deviceId", device.deviceId}};
    if (target.tag) body["tag"] = *target.tag;
    if (previousDeviceId) body["previousDeviceId"] = *previousDeviceId;
    auto& queue = queues_[key];
    if (queue.events.size() > limits_.maxQueuedPerParticipant) {
        ++dropped_;
        base::log(base::LogLevel::Warn, "participant " + device.participantId + ": webhook " +
                                            event + " dropped, " +
                                            std::to_string(limits_.maxQueuedPerParticipant) +
                                            " events already wait for " + target.url);
        return false;
    }
    // The participant stands in for the call in the client's per-call pending bound.
    queue.events.push_back(
        Pending{CallbackScope{device.accountId, "participant:" + device.participantId}, target.url,
                std::move(body)});
    return queue.events.size() == 1;
}

void ParticipantWebhooks::deviceRestored(const session::DeviceRef& device, bool wasConnected) {
    auto target = lookup_(device.accountId, device.participantId);
    if (!target) return;
    {
        std::lock_guard lock(mutex_);
        devices_[device.deviceId] = Device{*target, false};
    }
    if (wasConnected) deviceEvent(device, session::DeviceEvent::Disconnect);
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
