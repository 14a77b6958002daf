#include "server/api/CallControl.hpp"

#include "server/api/ApiError.hpp"
#include "server/auth/SecretFile.hpp"

namespace sb::api {

CallControl::CallControl(state::SessionStore& store, const auth::TokenService& tokens,
                         CallControlLimits limits, Clock clock)
    : store_(store), tokens_(tokens), limits_(limits), clock_(std::move(clock)) {}

CreatedParticipant CallControl::createParticipant(const std::string& accountId,
                                                  const CreateParticipantRequest& req) {
    state::Participant p;
    p.id = auth::randomUuid();
    p.accountId = accountId;
    p.callbackUrl = req.callbackUrl;
    p.publishPermissions = req.publishPermissions;
    p.tag = req.tag;
    p.deviceApiVersion = req.deviceApiVersion;
    p.createdAt = clock_();
    store_.createParticipant(p);
    return {p, tokens_.issue(accountId, p.id, p.createdAt)};
}

state::Participant CallControl::participant(const std::string& accountId,
                                            const std::string& participantId) const {
    auto p = store_.participant(accountId, participantId);
    if (!p) throw errors::participantNotFound(participantId);
    // A membership of a session that has expired but not yet been swept is already gone.
    if (p->sessionId) {
        auto s = store_.session(accountId, *p->sessionId);
        if (!s || s->expiresAt <= clock_()) {
            p->sessionId.reset();
            p->subscriptions.reset();
        }
    }
    return *p;
}

void CallControl::deleteParticipant(const std::string& accountId, const std::string& participantId) {
    std::lock_guard lock(writeMutex_);
    if (!store_.deleteParticipant(accountId, participantId))
        throw errors::participantNotFound(participantId);
    if (observer_) observer_->participantDeleted(accountId, participantId);
}

state::Session CallControl::createSession(const std::string& accountId, const CreateSessionRequest& req) {
    state::Session s;
    s.id = auth::randomUuid();
    s.accountId = accountId;
    s.tag = req.tag;
    s.createdAt = clock_();
    s.expiresAt = s.createdAt + limits_.sessionLifetimeSeconds;
    store_.createSession(s);
    return s;
}

state::Session CallControl::session(const std::string& accountId, const std::string& sessionId) const {
    auto s = store_.session(accountId, sessionId);
    if (!s || s->expiresAt <= clock_()) throw errors::sessionNotFound(sessionId);
    return *s;
}

void CallControl::deleteSession(const std::string& accountId, const std::string& sessionId) {
    std::lock_guard lock(writeMutex_);
    session(accountId, sessionId);
    auto members = store_.deleteSession(accountId, sessionId);
    if (observer_) observer_->sessionDeleted(accountId, sessionId, members);
}

std::vector<state::Participant> CallControl::sessionParticipants(const std::string& accountId,
                                                                 const std::string& sessionId) const {
    session(accountId, sessionId);
    return store_.sessionParticipants(accountId, sessionId);
}

void CallControl::addParticipantToSession(const std::string& accountId, const std::string& sessionId,
                                          const std::string& participantId,
                                          const std::optional<state::Subscriptions>& subscriptions) {
    std::lock_guard lock(writeMutex_);
    session(accountId, sessionId);
    auto p = participant(accountId, participantId);
    if (p.sessionId && *p.sessionId != sessionId) throw errors::participantInOtherSession(participantId);
    if (!p.sessionId && store_.sessionParticipantCount(accountId, sessionId) >= limits_.maxParticipantsPerSession)
        throw errors::sessionFull(sessionId, limits_.maxParticipantsPerSession);
    store_.setMembership(accountId, participantId, sessionId, subscriptions);
    if (observer_) observer_->membershipChanged(accountId, participantId);
}

state::Participant CallControl::memberOf(const std::string& accountId, const std::string& sessionId,
                                         const std::string& participantId) const {
    session(accountId, sessionId);
    auto p = participant(accountId, participantId);
    if (!p.sessionId || *p.sessionId != sessionId)
        throw errors::participantNotInSession(participantId, sessionId);
    return p;
}

void CallControl::removeParticipantFromSession(const std::string& accountId, const std::string& sessionId,
                                               const std::string& participantId) {
    std::lock_guard lock(writeMutex_);
    memberOf(accountId, sessionId, participantId);
    store_.setMembership(accountId, participantId, std::nullopt, std::nullopt);
    if (observer_) observer_->membershipChanged(accountId, participantId);
}

state::Subscriptions CallControl::subscriptions(const std::string& accountId, const std::string& sessionId,
                                                const std::string& participantId) const {
    auto p = memberOf(accountId, sessionId, participantId);
    return p.subscriptions.value_or(state::Subscriptions{});
}

void CallControl::updateSubscriptions(const std::string& accountId, const std::string& sessionId,
                                      const std::string& participantId,
                                      const std::optional<state::Subscriptions>& subscriptions) {
    std::lock_guard lock(writeMutex_);
    memberOf(accountId, sessionId, participantId);
    store_.setMembership(accountId, participantId, sessionId, subscriptions);
    if (observer_) observer_->membershipChanged(accountId, participantId);
}

std::size_t CallControl::purgeExpired() {
    std::lock_guard lock(writeMutex_);
    auto expired = store_.expiredSessions(clock_());
    for (const auto& s : expired) {
        auto members = store_.deleteSession(s.accountId, s.id);
        if (observer_) observer_->sessionDeleted(s.accountId, s.id, members);
    }
    return expired.size();
}

}  // namespace sb::api
