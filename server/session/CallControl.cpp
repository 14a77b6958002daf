#include "server/session/CallControl.hpp"

#include <algorithm>

#include "server/auth/RandomId.hpp"

namespace sb::session {

CallControl::CallControl(state::SessionStore& store, const auth::TokenService& tokens,
                         CallControlLimits limits, Clock clock,
                         std::shared_ptr<CallControlObserver> observer)
    : store_(store),
      tokens_(tokens),
      limits_(std::move(limits)),
      clock_(std::move(clock)),
      observer_(std::move(observer)),
      used_(store_.countsByAccount()) {}

void CallControl::reserve(const std::string& accountId, Kind kind) {
    auto it = limits_.accountCaps.find(accountId);
    const AccountCaps& caps = it == limits_.accountCaps.end() ? limits_.defaultCaps : it->second;
    std::lock_guard lock(capMutex_);
    auto& used = used_[accountId];
    if (kind == Kind::Session) {
        if (used.sessions >= caps.maxSessions) throw errors::tooManySessions(caps.maxSessions);
        ++used.sessions;
    } else {
        if (used.participants >= caps.maxParticipants)
            throw errors::tooManyParticipants(caps.maxParticipants);
        ++used.participants;
    }
}

void CallControl::release(const std::string& accountId, Kind kind, std::size_t n) {
    std::lock_guard lock(capMutex_);
    auto& used = used_[accountId];
    auto& count = kind == Kind::Session ? used.sessions : used.participants;
    count -= std::min(count, n);
}

bool CallControl::expired(const state::Participant& p) const {
    return p.createdAt + limits_.participantLifetimeSeconds <= clock_();
}

bool CallControl::participantActive(const std::string& accountId,
                                    const std::string& participantId) const {
    auto p = store_.participant(accountId, participantId);
    return p && !expired(*p);
}

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
    reserve(accountId, Kind::Participant);
    try {
        store_.createParticipant(p);
    } catch (...) {
        release(accountId, Kind::Participant);
        throw;
    }
    return {p, tokens_.issue(accountId, p.id, p.createdAt)};
}

state::Participant CallControl::participant(const std::string& accountId,
                                            const std::string& participantId) const {
    auto p = findParticipant(accountId, participantId);
    if (!p) throw errors::participantNotFound(participantId);
    return *p;
}

std::optional<state::Participant> CallControl::findParticipant(
    const std::string& accountId, const std::string& participantId) const {
    auto p = store_.participant(accountId, participantId);
    // One whose lifetime is over but that the sweep has not deleted yet is already gone.
    if (!p || expired(*p)) return std::nullopt;
    // A membership of a session that has expired but not yet been swept is already gone.
    if (p->sessionId) {
        auto s = store_.session(accountId, *p->sessionId);
        if (!s || s->expiresAt <= clock_()) {
            p->sessionId.reset();
            p->subscriptions.reset();
        }
    }
    return p;
}

std::string CallControl::mintToken(const std::string& accountId,
                                   const std::string& participantId) const {
    participant(accountId, participantId);  // 404 for one that is gone
    return tokens_.issue(accountId, participantId, clock_());
}

void CallControl::deleteParticipant(const std::string& accountId,
                                    const std::string& participantId) {
    std::lock_guard lock(writeMutex_);
    if (!store_.deleteParticipant(accountId, participantId))
        throw errors::participantNotFound(participantId);
    release(accountId, Kind::Participant);
    if (observer_) observer_->participantDeleted(accountId, participantId);
}

state::Session CallControl::createSession(const std::string& accountId,
                                          const CreateSessionRequest& req) {
    state::Session s;
    s.id = auth::randomUuid();
    s.accountId = accountId;
    s.tag = req.tag;
    s.createdAt = clock_();
    s.expiresAt = s.createdAt + limits_.sessionLifetimeSeconds;
    reserve(accountId, Kind::Session);
    try {
        store_.createSession(s);
    } catch (...) {
        release(accountId, Kind::Session);
        throw;
    }
    return s;
}

state::Session CallControl::session(const std::string& accountId,
                                    const std::string& sessionId) const {
    auto s = store_.session(accountId, sessionId);
    if (!s || s->expiresAt <= clock_()) throw errors::sessionNotFound(sessionId);
    return *s;
}

void CallControl::deleteSession(const std::string& accountId, const std::string& sessionId) {
    std::lock_guard lock(writeMutex_);
    session(accountId, sessionId);
    auto members = store_.deleteSession(accountId, sessionId);
    release(accountId, Kind::Session);
    if (observer_) observer_->sessionDeleted(accountId, sessionId, members);
}

std::vector<state::Participant> CallControl::sessionParticipants(
    const std::string& accountId, const std::string& sessionId) const {
    session(accountId, sessionId);
    return store_.sessionParticipants(accountId, sessionId);
}

void CallControl::addParticipantToSession(
    const std::string& accountId, const std::string& sessionId, const std::string& participantId,
    const std::optional<state::Subscriptions>& subscriptions) {
    std::lock_guard lock(writeMutex_);
    session(accountId, sessionId);
    auto p = participant(accountId, participantId);
    if (p.sessionId && *p.sessionId != sessionId)
        throw errors::participantInOtherSession(participantId);
    if (!p.sessionId &&
        store_.sessionParticipantCount(accountId, sessionId) >= limits_.maxParticipantsPerSession)
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

void CallControl::removeParticipantFromSession(const std::string& accountId,
                                               const std::string& sessionId,
                                               const std::string& participantId) {
    std::lock_guard lock(writeMutex_);
    memberOf(accountId, sessionId, participantId);
    store_.setMembership(accountId, participantId, std::nullopt, std::nullopt);
    if (observer_) observer_->membershipChanged(accountId, participantId);
}

state::Subscriptions CallControl::subscriptions(const std::string& accountId,
                                                const std::string& sessionId,
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

PurgeResult CallControl::purgeExpired() {
    std::lock_guard lock(writeMutex_);
    PurgeResult done;
    auto now = clock_();
    for (const auto& s : store_.expiredSessions(now)) {
        auto members = store_.deleteSession(s.accountId, s.id);
        release(s.accountId, Kind::Session);
        ++done.sessions;
        if (observer_) observer_->sessionDeleted(s.accountId, s.id, members);
    }
    // As DELETE does: the store drops it from its session; the observer disconnects its devices.
    for (const auto& p :
         store_.participantsCreatedBefore(now - limits_.participantLifetimeSeconds)) {
        if (!store_.deleteParticipant(p.accountId, p.id)) continue;
        release(p.accountId, Kind::Participant);
        ++done.participants;
        if (observer_) observer_->participantDeleted(p.accountId, p.id);
    }
    return done;
}

}  // namespace sb::session
