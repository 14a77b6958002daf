#pragma once
// conf (issue 9): a conference's events to its conferenceEventUrl — the bodies with Bandwidth's
// field names (conferenceCreated, conferenceMemberJoin, conferenceMemberExit,
// conferenceCompleted, conferenceRedirect) and their delivery: one at a time per conference, in
// the order they happened. The replies' BXML is not executed (docs/voice.md): only the delivery
// result matters.

#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/voice/CallbackClient.hpp"
#include "server/voice/CallbackTarget.hpp"
#include "server/voice/Conferences.hpp"
#include "server/voice/VoiceExecutor.hpp"

namespace sb::voice {

class ConferenceRegistry;
struct ConferenceRecord;

// Where a conference's events go and those not sent yet (a part of its ConferenceRecord, under
// the registry's lock).
struct ConferenceDelivery {
    std::optional<CallbackTarget> target;  // none without conferenceEventUrl: nothing is sent
    double callbackTimeout = 15;           // seconds per attempt (the verb's callbackTimeout)
    std::deque<nlohmann::json> outbox;     // events not sent yet, in order
    bool sending = false;
};

class ConferenceEvents : public std::enable_shared_from_this<ConferenceEvents> {
  public:
    ConferenceEvents(std::shared_ptr<ConferenceRegistry> registry, CallbackClient& callbacks,
                     VoiceExecutor& executor, Clock clock);

    // eventType, eventTime, conferenceId, name and tag (when set).
    nlohmann::json event(const ConferenceInfo& c, const char* type) const;
    // + from, to, callId of the member.
    nlohmann::json memberEvent(const ConferenceInfo& c, const char* type,
                               const ConferenceMember& m) const;
    // Queues `event` (under the registry's lock); send() after unlocking.
    void queue(ConferenceRecord& c, nlohmann::json event);
    // Sends the conference's next event unless one is on its way (its reply sends the next).
    void send(const std::string& conferenceId);

    // The request scope of the conference's callbacks: its account and callbackTimeout.
    static CallbackScope scopeOf(const ConferenceRecord& c);
    // conferenceRedirect (REST updateConference) to the application's redirect target rather
    // than the conference's event URL, so not queued; `body` and `scope` were taken under the
    // lock, this is called after unlocking.
    void redirect(const std::string& conferenceId, const CallbackTarget& target,
                  const CallbackScope& scope, nlohmann::json body);

  private:
    std::shared_ptr<ConferenceRegistry> registry_;  // shared: a late reply may outlive the service
    CallbackClient& callbacks_;
    VoiceExecutor& executor_;
    Clock clock_;
};

}  // namespace sb::voice
