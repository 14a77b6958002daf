#include "server/state/MemorySessionStore.hpp"

namespace sb::state {

void MemorySessionStore::createSession(const Session& session) {
    std::lock_guard lock(mutex_);
    sessions_[session.id] = session;
}

std::optional<Session> MemorySessionStore::session(const std::string& accountId,
                                                   const std::string& sessionId) const {
    std::shared_lock lock(mutex_);
    auto it = sessions_.find(sessionId);
    if (it == sessions_.end() || it->second.accountId != accountId) return std::nullopt;
    return it->second;
}

void MemorySessionStore::detach(Participant& p) {
    if (p.sessionId) {
        auto m = members_.find(*p.sessionId);
        if (m != members_.end()) {
            m->second.erase(p.id);
            if (m->second.empty()) members_.erase(m);
        }
    }
    p.sessionId.reset();
    p.subscriptions.reset();
}

std::vector<std::string> MemorySessionStore::deleteSession(const std::string& accountId,
                                                           const std::string& sessionId) {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(sessionId);
    if (it == sessions_.end() || it->second.accountId != accountId) return {};
    std::vector<std::string> removed;
    auto m = members_.find(sessionId);
    if (m != members_.end()) {
        removed.assign(m->second.begin(), m->second.end());
        for (const auto& pid : removed) {
            auto p = participants_.find(pid);
            if (p != participants_.end()) {
                p->second.sessionId.reset();
                p->second.subscriptions.reset();
            }
        }
        members_.erase(m);
    }
    sessions_.erase(it);
    return removed;
}

std::vector<Session> MemorySessionStore::expiredSessions(EpochSeconds now) const {
    std::shared_lock lock(mutex_);
    std::vector<Session> out;
    for (const auto& [id, s] : sessions_)
        if (s.expiresAt <= now) out.push_back(s);
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
    auto it = participants_.find(participantId);
    if (it == participants_.end() || it->second.accountId != accountId) return std::nullopt;
    return it->second;
}

bool MemorySessionStore::deleteParticipant(const std::string& accountId,
                                           const std::string& participantId) {
    std::lock_guard lock(mutex_);
    auto it = participants_.find(participantId);
    if (it == participants_.end() || it->second.accountId != accountId) return false;
    detach(it->second);
    participants_.erase(it);
    return true;
}

void MemorySessionStore::setMembership(const std::string& accountId,
                                       const std::string& participantId,
                                       const std::optional<std::string>& sessionId,
                                       const std::optional<Subscriptions>& subscriptions) {
    std::lock_guard lock(mutex_);
    auto it = participants_.find(participantId);
    if (it == participants_.end() || it->second.accountId != accountId) return;
    detach(it->second);
    if (!sessionId) return;
    it->second.sessionId = sessionId;
    it->second.subscriptions = subscriptions;
    members_[*sessionId].insert(participantId);
}

std::vector<Participant> MemorySessionStore::sessionParticipants(
    const std::string& accountId, const std::string& sessionId) const {
    std::shared_lock lock(mutex_);
    std::vector<Participant> out;
    auto m = members_.find(sessionId);
    if (m == members_.end()) return out;
    for (const auto& pid : m->second) {
        auto p = participants_.find(pid);
        if (p != participants_.end() && p->second.accountId == accountId) out.push_back(p->second);
    }
    return out;
}

std::size_t MemorySessionStore::sessionParticipantCount(const std::string& accountId,
                                                        const std::string& sessionId) const {
    std::shared_lock lock(mutex_);
    auto m = members_.find(sessionId);
    if (m == members_.end()) return 0;
    std::size_t n = 0;
    for (const auto& pid : m->second) {
        auto p = participants_.find(pid);
        if (p != participants_.end() && p->second.accountId == accountId) ++n;
    }
    return n;
}

StoreCounts MemorySessionStore::counts() const {
    std::shared_lock lock(mutex_);
    return {sessions_.size(), participants_.size()};
}

}  // namespace sb::state
