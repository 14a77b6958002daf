#include "server/voice/Conferences.hpp"

#include <mutex>

#include "server/voice/CallIds.hpp"
#include "server/voice/ConferenceControl.hpp"
#include "server/voice/ConferenceEvents.hpp"
#include "server/voice/ConferenceMembers.hpp"
#include "server/voice/ConferenceRegistry.hpp"

namespace sb::voice {

bool isConferenceId(std::string_view id) {
    return id.size() > 5 && id.substr(0, 5) == "conf-" &&
           isCallId("c-" + std::string(id.substr(5)));
}

ConferenceService::ConferenceService(std::shared_ptr<ConferenceRooms> rooms,
                                     CallbackClient& callbacks, VoiceExecutor& executor,
                                     ConferenceLimits limits, std::string publicBaseUrl,
                                     Clock clock)
    : publicBaseUrl_(std::move(publicBaseUrl)),
      registry_(std::make_shared<ConferenceRegistry>(limits.keepCompleted)),
      events_(std::make_shared<ConferenceEvents>(registry_, callbacks, executor, clock)),
      members_(std::make_unique<ConferenceMembers>(*registry_, *events_, std::move(rooms), limits,
                                                   clock)),
      control_(std::make_unique<ConferenceControl>(*registry_, *events_, std::move(clock))) {}

ConferenceService::~ConferenceService() = default;

ConferenceService::Joining ConferenceService::join(const Call& call, const bxml::Conference& verb,
                                                   MemberHooks hooks) {
    return members_->join(call, verb, std::move(hooks));
}

bool ConferenceService::joined(const std::string& conferenceId, const std::string& callId) {
    return members_->joined(conferenceId, callId);
}

void ConferenceService::leave(const std::string& conferenceId, const std::string& callId) {
    members_->leave(conferenceId, callId);
}

std::vector<ConferenceInfo> ConferenceService::list(const std::string& accountId,
                                                    const ConferenceFilter& filter) const {
    std::lock_guard lock(registry_->mutex());
    return registry_->list(accountId, filter);
}

ConferenceInfo ConferenceService::get(const std::string& accountId,
                                      const std::string& conferenceId) const {
    std::lock_guard lock(registry_->mutex());
    return registry_->find(accountId, conferenceId)->info;
}

ConferenceMember ConferenceService::member(const std::string& accountId,
                                           const std::string& conferenceId,
                                           const std::string& memberId) const {
    return members_->member(accountId, conferenceId, memberId);
}

void ConferenceService::updateMember(const std::string& accountId, const std::string& conferenceId,
                                     const std::string& memberId, const MemberUpdate& update) {
    members_->updateMember(accountId, conferenceId, memberId, update);
}

void ConferenceService::update(const std::string& accountId, const std::string& conferenceId,
                               const ConferenceUpdate& update) {
    control_->update(accountId, conferenceId, update);
}

void ConferenceService::replaceBxml(const std::string& accountId, const std::string& conferenceId,
                                    const std::string& document) {
    control_->replaceBxml(accountId, conferenceId, document);
}

std::string ConferenceService::memberUrl(const std::string& accountId,
                                         const std::string& conferenceId,
                                         const std::string& callId) const {
    return publicBaseUrl_ + "/api/v2/accounts/" + accountId + "/conferences/" + conferenceId +
           "/members/" + callId;
}

std::size_t ConferenceService::active() const {
    std::lock_guard lock(registry_->mutex());
    return registry_->active();
}

}  // namespace sb::voice
