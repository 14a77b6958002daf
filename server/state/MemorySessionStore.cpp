#include "server/state/MemorySessionStore.hpp"

namespace sb::state {

void MemorySessionStore::createSession(const Session& session) {
    std::lock_guard lock(mutex_);
    sessions_[session.id] = session;
}

std::optional<Session> MemorySessionStore::session(const std::string& accountId,
                                                   const std::string& sessionId) const {
    std::shared_lock lock(mutex_);
    const Session* s = sessions_.find(sessionId);
    if (!s || s->accountId != accountId) return std::nullopt;
    return *s;
}

void MemorySessionStore::detach(Participant& p) {
    if (p.sessionId) {
        if (auto* m = members_.find(*p.sessionId)) {
            m->erase(p.id);
            if (m->empty()) members_.erase(*p.sessionId);
        }
    }
    p.sessionId.reset();
    p.subscriptions.reset();
}

std::vector<std::string> MemorySessionStore::deleteSession(const std::string& accountId,
                                                           const std::string& sessionId) {
    std::lock_guard lock(mutex_);
    const Session* s = sessions_.find(sessionId);
    if (!s || s->accountId != accountId) return {};
    std::vector<std::string> removed;
    if (auto* m = members_.find(sessionId)) {
        removed.assign(m->begin(), m->end());
        for (const auto& pid : removed) {
            if (auto* p = participants_.find(pid)) {
                p->sessionId.reset();
                p->subscriptions.reset();
            }
        }
        members_.erase(sessionId);
    }
    sessions_.erase(sessionId);
    return removed;
}

std::vector<Session> MemorySessionStore::expiredSessions(EpochSeconds now) const {
    std::shared_lock lock(mutex_);
    std::vector<Session> out;
    sessions_.forEach([&](const std::string&, const Session& s) {
        if (s.expiresAt <= now) out.push_back(s);
    });
    return out;
}

void MemorySessionStore::createParticipant(const Participant& participant) {
    std::lock_guard lock(mutex_);
    auto& stored = participants_[participant.id];
    detach(stored);  // a replaced participant leaves its old session
    stored = participant;
    if (stored.sessionId) members_[*stored.sessionId].insert(stored.id);
}

std::optional<Participant> MemorySessionStore::participant(const std::string& accountId,
                                                           const std::string& participantId) const {
    std::shared_lock lock(mutex_);
    const Participant* p = participants_.find(participantId);
    if (!p || p->accountId != accountId) return std::nullopt;
    return *p;
}

bool MemorySessionStore::deleteParticipant(const std::string& accountId,
                                           const std::string& participantId) {
    std::lock_guard lock(mutex_);
    Participant* p = participants_.find(participantId);
    if (!p || p->accountId != accountId) return false;
    detach(*p);
    participants_.erase(participantId);
    return true;
}

void MemorySessionStore::setMembership(const std::string& accountId,
                                       const std::string& participantId,
                                       const std::optional<std::string>& sessionId,
                                       const std::optional<Subscriptions>& subscriptions) {
    std::lock_guard lock(mutex_);
    Participant* p = participants_.find(participantId);
    if (!p || p->accountId != accountId) return;
    detach(*p);
    if (!sessionId) return;
    p->sessionId = sessionId;
    p->subscriptions = subscriptions;
    members_[*sessionId].insert(participantId);
}

std::vector<Participant> MemorySessionStore::sessionParticipants(
    const std::string& accountId, const std::string& sessionId) const {
    std::shared_lock lock(mutex_);
    std::vector<Participant> out;
    const auto* m = members_.find(sessionId);
    if (!m) return out;
    for (const auto& pid : *m) {
        const Participant* p = participants_.find(pid);
        if (p && p->accountId == accountId) out.push_back(*p);
    }
    return out;
}

std::size_t MemorySessionStore::sessionParticipantCount(const std::string& accountId,
                                                        const std::string& sessionId) const {
    std::shared_lock lock(mutex_);
    const auto* m = members_.find(sessionId);
    if (!m) return 0;
    std::size_t n = 0;
    for (const auto& pid : *m) {
        const Participant* p = participants_.find(pid);
        n += p && p->accountId == accountId;
    }
    return n;
}

std::vector<Participant> MemorySessionStore::participantsCreatedBefore(EpochSeconds cutoff) const {
    std::shared_lock lock(mutex_);
    std::vector<Participant> out;
    participants_.forEach([&](const std::string&, const Participant& p) {
        if (p.createdAt <= cutoff) out.push_back(p);
    });
    return out;
}

std::map<std::string, StoreCounts> MemorySessionStore::countsByAccount() const {
    std::shared_lock lock(mutex_);
    std::map<std::string, StoreCounts> out;
    sessions_.forEach([&](const std::string&, const Session& s) { ++out[s.accountId].sessions; });
    participants_.forEach(
        [&](const std::string&, const Participant& p) { ++out[p.accountId].participants; });
    return out;
}

StoreCounts MemorySessionStore::counts() const {
    std::shared_lock lock(mutex_);
    return {sessions_.size(), participants_.size()};
}

}  // namespace sb::state
