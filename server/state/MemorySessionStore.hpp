#pragma once
// In-memory SessionStore for unit tests and ephemeral runs ("store": "memory"), and the read model
// of JournaledSessionStore. Readers share a lock, so lookups run in parallel.

#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>

#include "server/state/SessionStore.hpp"
#include "server/state/ShardedMap.hpp"

namespace sb::state {

class MemorySessionStore final : public SessionStore {
  public:
    void createSession(const Session& session) override;
    std::optional<Session> session(const std::string& accountId,
                                   const std::string& sessionId) const override;
    std::vector<std::string> deleteSession(const std::string& accountId,
                                           const std::string& sessionId) override;
    std::vector<Session> expiredSessions(EpochSeconds now) const override;

    void createParticipant(const Participant& participant) override;
    std::optional<Participant> participant(const std::string& accountId,
                                           const std::string& participantId) const override;
    bool deleteParticipant(const std::string& accountId, const std::string& participantId) override;
    std::vector<Participant> participantsCreatedBefore(EpochSeconds cutoff) const override;

    void setMembership(const std::string& accountId, const std::string& participantId,
                       const std::optional<std::string>& sessionId,
                       const std::optional<Subscriptions>& subscriptions) override;
    std::vector<Participant> sessionParticipants(const std::string& accountId,
                                                 const std::string& sessionId) const override;
    std::size_t sessionParticipantCount(const std::string& accountId,
                                        const std::string& sessionId) const override;
    StoreCounts counts() const override;
    std::map<std::string, StoreCounts> countsByAccount() const override;

  private:
    void detach(Participant& p);

    mutable std::shared_mutex mutex_;
    ShardedMap<Session> sessions_;
    ShardedMap<Participant> participants_;
    // Members of each session in insertion-independent (sorted) order, for stable listings.
    ShardedMap<std::set<std::string>> members_;
};

}  // namespace sb::state
