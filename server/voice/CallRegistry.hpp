#pragma once
// All voice calls of this server, with the per-account policy that protects the SIP trunks
// against toll fraud (DESIGN.md "Voice API"): allowed destination patterns, allowed caller ids,
// concurrent calls and calls per minute. Admission checks and the insertion are one atomic step.
// Thread-safe.

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/voice/Call.hpp"

namespace sb::voice {

struct CallPolicy {
    std::size_t maxConcurrentCalls = 5;  // inbound and outbound calls not yet ended
    std::size_t maxCallsPerMinute = 10;  // outbound calls started in any 60 s window
    // ECMAScript regular expressions; `to` must match one of them entirely. Empty: the account
    // may not place outbound calls at all (deny by default).
    std::vector<std::string> allowedDestinations;
    // Same for `from`; empty: any caller id.
    std::vector<std::string> allowedCallerIds;
};

// Bandwidth's listCalls query (bandwidth.yml `listCalls`); unset members match any call.
struct CallFilter {
    std::optional<std::string> to;
    std::optional<std::string> from;
    std::optional<TimePoint> minStartTime;  // inclusive
    std::optional<TimePoint> maxStartTime;  // inclusive
    std::optional<std::string> disconnectCause;
    std::size_t pageSize = 1000;  // Bandwidth: 1..10000, default 1000
    std::optional<std::string>
        pageToken;  // continue after this call id (the last of the previous page)
};

struct CallTransition {
    CallState from;
    Call call;  // after the change
};

class CallRegistry {
  public:
    using SteadyClock = std::chrono::steady_clock;
    using SteadyNow = std::function<SteadyClock::time_point()>;

    // `defaultPolicy` applies to accounts without their own; `maxEndedCalls` bounds how many
    // ended calls stay queryable (oldest dropped first).
    explicit CallRegistry(const CallPolicy& defaultPolicy = {}, std::size_t maxEndedCalls = 10000,
                          SteadyNow now = SteadyClock::now);

    // Throws std::invalid_argument naming the pattern that is not a valid regular expression.
    void setPolicy(const std::string& accountId, const CallPolicy& policy);

    // Checks the account's policy for an outbound call and records it. Throws HttpError:
    // 403 destination or caller id not allowed, 429 too many concurrent calls or calls per minute.
    void admitOutbound(const Call& call);
    // A B-leg of a BXML <Transfer> leaves through the trunk like an outbound call, so it passes
    // the same destination, caller id and calls-per-minute rules (403/429). It is not a call of
    // its own here: its A-leg already holds a concurrency slot.
    void admitTransferLeg(const std::string& accountId, const std::string& to,
                          const std::string& from);
    // Inbound calls count toward the concurrent-call limit only (429 when full).
    void admitInbound(const Call& call);

    std::optional<Call> find(const std::string& callId) const;
    // The call if it belongs to `accountId`; otherwise 404 (another account's calls do not exist).
    Call get(const std::string& accountId, const std::string& callId) const;

    // Applies `event` at `now` through nextState. Sets answerTime on answer; on a terminal state
    // sets endTime, disconnectCause and errorMessage (when non-empty) and frees the concurrency
    // slot. Returns nullopt (and changes nothing) if the call is unknown or the edge not allowed.
    std::optional<CallTransition> apply(const std::string& callId, CallEvent event, TimePoint now,
                                        const std::string& cause = {},
                                        const std::string& errorMessage = {});
    // Changes a call that has not ended (e.g. its tag); false if unknown or ended.
    bool update(const std::string& callId, const std::function<void(Call&)>& change);

    // The account's calls matching `filter`, oldest start first (ties by id), at most
    // filter.pageSize of them, after filter.pageToken's call (404 if that call is unknown).
    std::vector<Call> list(const std::string& accountId, const CallFilter& filter) const;

    std::size_t activeCalls(const std::string& accountId) const;
    std::size_t size() const;
    // Forgets ended calls whose endTime is before `cutoff`; returns how many.
    std::size_t purgeEnded(TimePoint cutoff);

  private:
    struct CompiledPolicy {
        CallPolicy policy;
        std::vector<std::regex> destinations;
        std::vector<std::regex> callerIds;
    };
    struct AccountState {
        std::size_t active = 0;
        std::deque<SteadyClock::time_point> recentStarts;
    };
    static CompiledPolicy compile(const CallPolicy& policy);
    const CompiledPolicy& policyFor(const std::string& accountId) const;
    void insertLocked(const Call& call, AccountState& account);
    // Destination, caller id and rate checks shared by outbound calls and transfer legs.
    void checkOutboundLocked(const CompiledPolicy& p, const std::string& accountId,
                             const std::string& to, const std::string& from);
    void countStartLocked(const CompiledPolicy& p, AccountState& account);

    CompiledPolicy defaultPolicy_;
    std::size_t maxEndedCalls_;
    SteadyNow now_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, CompiledPolicy> policies_;
    std::unordered_map<std::string, AccountState> accounts_;
    std::unordered_map<std::string, Call> calls_;
    std::deque<std::string> ended_;  // ids of ended calls, oldest first
};

}  // namespace sb::voice
