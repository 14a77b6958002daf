#pragma once
// Storage of sessions and participants. Implementations: MemorySessionStore (tests) and
// SqliteSessionStore (the embedded default). Every method is safe to call from several threads.
// Rules (limits, conflicts, permissions) live in session::CallControl, not here.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "server/state/Model.hpp"

namespace sb::state {

struct StoreCounts {
    std::size_t sessions = 0;
    std::size_t participants = 0;
};

class SessionStore {
  public:
    virtual ~SessionStore() = default;

    virtual void createSession(const Session& session) = 0;
    virtual std::optional<Session> session(const std::string& accountId,
                                           const std::string& sessionId) const = 0;
    // Removes the session and detaches its members (their subscriptions go with the membership).
    // Returns the ids of the participants that were members.
    virtual std::vector<std::string> deleteSession(const std::string& accountId,
                                                   const std::string& sessionId) = 0;
    // Sessions whose expiresAt is at or before `now`, across all accounts.
    virtual std::vector<Session> expiredSessions(EpochSeconds now) const = 0;

    virtual void createParticipant(const Participant& participant) = 0;
    virtual std::optional<Participant> participant(const std::string& accountId,
                                                   const std::string& participantId) const = 0;
    virtual bool deleteParticipant(const std::string& accountId,
                                   const std::string& participantId) = 0;
    // Participants whose createdAt is at or before `cutoff`, across all accounts (for expiry).
    virtual std::vector<Participant> participantsCreatedBefore(EpochSeconds cutoff) const = 0;

    // Sets (or clears, with nullopt) the session a participant belongs to and its subscriptions.
    virtual void setMembership(const std::string& accountId, const std::string& participantId,
                               const std::optional<std::string>& sessionId,
                               const std::optional<Subscriptions>& subscriptions) = 0;
    virtual std::vector<Participant> sessionParticipants(const std::string& accountId,
                                                         const std::string& sessionId) const = 0;
    virtual std::size_t sessionParticipantCount(const std::string& accountId,
                                                const std::string& sessionId) const = 0;

    virtual StoreCounts counts() const = 0;
    // counts() per account id (accounts with nothing stored are absent).
    virtual std::map<std::string, StoreCounts> countsByAccount() const = 0;
};

}  // namespace sb::state
