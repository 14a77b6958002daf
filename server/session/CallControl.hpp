#pragma once
// The rules of call control (reference §4): ids, limits, one session per participant, expiry,
// tokens. REST handlers, the demo app and the SIP bridge change state only through this class.
// Refusals are SessionErrors; the REST layer turns them into replies.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "server/auth/TokenService.hpp"
#include "server/session/CallControlObserver.hpp"
#include "server/session/Requests.hpp"
#include "server/session/SessionError.hpp"
#include "server/state/SessionStore.hpp"

namespace sb::session {

// How much one account may keep stored at once, so that state cannot grow without bound.
struct AccountCaps {
    std::size_t maxSessions = 1000;
    std::size_t maxParticipants = 10000;
};

struct CallControlLimits {
    std::size_t maxParticipantsPerSession = 20;
    state::EpochSeconds sessionLifetimeSeconds = state::EpochSeconds{9} * 3600;
    state::EpochSeconds participantLifetimeSeconds = state::EpochSeconds{9} * 3600;
    std::map<std::string, AccountCaps> accountCaps = {};  // accounts not listed: defaultCaps
    AccountCaps defaultCaps = {};
};

// What one expiry sweep deleted.
struct PurgeResult {
    std::size_t sessions = 0;
    std::size_t participants = 0;
};

struct CreatedParticipant {
    state::Participant participant;
    std::string token;
};

class CallControl {
  public:
    using Clock = std::function<state::EpochSeconds()>;

    // `observer` (optional) hears of every committed membership change and deletion.
    CallControl(state::SessionStore& store, const auth::TokenService& tokens,
                CallControlLimits limits, Clock clock,
                std::shared_ptr<CallControlObserver> observer = nullptr);

    CreatedParticipant createParticipant(const std::string& accountId,
                                         const CreateParticipantRequest& req);
    state::Participant participant(const std::string& accountId,
                                   const std::string& participantId) const;
    // The same lookup without the not-found error, for callers to whom "gone" is a normal answer.
    std::optional<state::Participant> findParticipant(const std::string& accountId,
                                                      const std::string& participantId) const;
    void deleteParticipant(const std::string& accountId, const std::string& participantId);
    // A fresh device token for an existing participant (token refresh, an addition to
    // Bandwidth's API): the same claims, its lifetime counted from now.
    std::string mintToken(const std::string& accountId, const std::string& participantId) const;

    state::Session createSession(const std::string& accountId, const CreateSessionRequest& req);
    state::Session session(const std::string& accountId, const std::string& sessionId) const;
    void deleteSession(const std::string& accountId, const std::string& sessionId);
    std::vector<state::Participant> sessionParticipants(const std::string& accountId,
                                                        const std::string& sessionId) const;

    // Idempotent: adding a member again replaces its subscriptions (reference §4.2).
    void addParticipantToSession(const std::string& accountId, const std::string& sessionId,
                                 const std::string& participantId,
                                 const std::optional<state::Subscriptions>& subscriptions);
    void removeParticipantFromSession(const std::string& accountId, const std::string& sessionId,
                                      const std::string& participantId);
    state::Subscriptions subscriptions(const std::string& accountId, const std::string& sessionId,
                                       const std::string& participantId) const;
    void updateSubscriptions(const std::string& accountId, const std::string& sessionId,
                             const std::string& participantId,
                             const std::optional<state::Subscriptions>& subscriptions);

    // Deletes sessions and participants whose lifetime is over (participants as DELETE does:
    // removed from their session, devices told, tokens refused from then on).
    PurgeResult purgeExpired();
    // Whether the participant exists and its lifetime is not over (device token check).
    bool participantActive(const std::string& accountId, const std::string& participantId) const;

    state::StoreCounts counts() const { return store_.counts(); }
    state::EpochSeconds now() const { return clock_(); }

  private:
    state::Participant memberOf(const std::string& accountId, const std::string& sessionId,
                                const std::string& participantId) const;
    bool expired(const state::Participant& p) const;
    // Per-account caps: reserve() takes a slot or throws the 409; release() gives one back.
    enum class Kind { Session, Participant };
    void reserve(const std::string& accountId, Kind kind);
    void release(const std::string& accountId, Kind kind, std::size_t n = 1);

    state::SessionStore& store_;
    const auth::TokenService& tokens_;
    CallControlLimits limits_;
    Clock clock_;
    const std::shared_ptr<CallControlObserver> observer_;
    // Serialises check-then-write sequences (participant limit, one session per participant).
    mutable std::mutex writeMutex_;
    // What each account has stored, counted here (loaded from the store at start) so that a
    // create checks its cap without a store query; held only around the count, not the write.
    std::mutex capMutex_;
    std::map<std::string, state::StoreCounts> used_;
};

}  // namespace sb::session
