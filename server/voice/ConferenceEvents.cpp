#include "server/voice/ConferenceEvents.hpp"

#include <mutex>

#include "server/base/Log.hpp"
#include "server/voice/ConferenceRegistry.hpp"

namespace sb::voice {

using nlohmann::json;

ConferenceEvents::ConferenceEvents(std::shared_ptr<ConferenceRegistry> registry,
                                   CallbackClient& callbacks, VoiceExecutor& executor, Clock clock)
    : registry_(std::move(registry)),
      callbacks_(callbacks),
      executor_(executor),
      clock_(std::move(clock)) {}

json ConferenceEvents::event(const ConferenceInfo& c, const char* type) const {
    json j{{"eventType", type},
           {"eventTime", isoTime(clock_())},
           {"conferenceId", c.id},
           {"name", c.name}};
    if (c.tag) j["tag"] = *c.tag;
    return j;
}

json ConferenceEvents::memberEvent(const ConferenceInfo& c, const char* type,
                                   const ConferenceMember& m) const {
    auto j = event(c, type);
    j["from"] = m.from;
    j["to"] = m.to;
    j["callId"] = m.callId;
    return j;
}

CallbackScope ConferenceEvents::scopeOf(const ConferenceRecord& c) {
    CallbackScope scope;
    scope.accountId = c.info.accountId;
    scope.timeout = std::chrono::milliseconds(static_cast<long>(c.delivery.callbackTimeout * 1000));
    return scope;
}

void ConferenceEvents::queue(ConferenceRecord& c, json event) {
    if (!c.delivery.target) return;
    constexpr std::size_t kMaxQueued = 256;  // 20 members joining and leaving cannot get near it
    if (c.delivery.outbox.size() >= kMaxQueued) {
        base::log(base::LogLevel::Warn, "voice: conference " + c.info.id + ": event dropped, " +
                                            std::to_string(kMaxQueued) +
                                            " still waiting for the application");
        return;
    }
    c.delivery.outbox.push_back(std::move(event));
}

// One event at a time per conference, so the application sees them in the order they happened.
// The replies' BXML is not executed (docs/voice.md): only the delivery result matters.
void ConferenceEvents::send(const std::string& conferenceId) {
    std::shared_ptr<ConferenceRecord> c;
    json body;
    CallbackTarget target;
    CallbackScope scope;
    {
        std::lock_guard lock(registry_->mutex());
        c = registry_->byId(conferenceId);
        if (!c) return;
        auto& d = c->delivery;
        if (d.sending || d.outbox.empty() || !d.target) return;
        d.sending = true;
        body = std::move(d.outbox.front());
        d.outbox.pop_front();
        target = *d.target;
        scope = scopeOf(*c);
    }
    std::weak_ptr<ConferenceEvents> weak = weak_from_this();
    auto type = body.value("eventType", "");
    sendCallback(callbacks_, scope, target, std::move(body),
                 [weak, c, conferenceId, type, ex = &executor_](const CallbackResult& r,
                                                                const std::string& url) {
                     if (!r.ok())
                         base::log(base::LogLevel::Warn,
                                   "voice: conference " + conferenceId + " " + type +
                                       " not delivered: " + describeFailure(r, url));
                     ex->post([weak, c, conferenceId] {
                         auto self = weak.lock();
                         if (!self) return;
                         {
                             std::lock_guard lock(self->registry_->mutex());
                             c->delivery.sending = false;
                         }
                         self->send(conferenceId);
                     });
                 });
}

void ConferenceEvents::redirect(const std::string& conferenceId, const CallbackTarget& target,
                                const CallbackScope& scope, json body) {
    // The reply's BXML would play into the conference; that is not supported yet, so it is only
    // checked for delivery (docs/voice.md).
    sendCallback(callbacks_, scope, target, std::move(body),
                 [conferenceId](const CallbackResult& r, const std::string& url) {
                     if (!r.ok())
                         base::log(base::LogLevel::Warn, "voice: conference " + conferenceId +
                                                             " conferenceRedirect not delivered: " +
                                                             describeFailure(r, url));
                     else if (r.body.find_first_not_of(" \t\r\n") != std::string::npos)
                         base::log(base::LogLevel::Warn,
                                   "voice: conference " + conferenceId +
                                       ": the conferenceRedirect reply's BXML is not executed");
                 });
}

}  // namespace sb::voice
