#include "server/voice/CallRegistry.hpp"

#include <algorithm>
#include <stdexcept>

#include "server/base/Log.hpp"
#include "server/voice/CallIds.hpp"
#include "server/voice/VoiceErrors.hpp"

namespace sb::voice {

namespace {
constexpr auto kRateWindow = std::chrono::seconds(60);

// libstdc++'s regex matcher recurses per character: a long enough value overflows the stack.
// Numbers and SIP URIs that can be dialed are short (the REST API allows 256 characters), so
// anything longer matches nothing, whatever the pattern, and never reaches the matcher.
constexpr std::size_t kMaxMatchedLength = 256;

bool matchesAny(const std::vector<std::regex>& patterns, const std::string& value) {
    if (value.size() > kMaxMatchedLength) return false;
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::regex& re) { return std::regex_match(value, re); });
}
}  // namespace

CallRegistry::CompiledPolicy CallRegistry::compile(const CallPolicy& policy) {
    CompiledPolicy c{policy, {}, {}};
    auto build = [](const std::vector<std::string>& in, std::vector<std::regex>& out,
                    const char* what) {
        for (const auto& p : in) {
            try {
                out.emplace_back(p, std::regex::ECMAScript);
            } catch (const std::regex_error& e) {
                throw std::invalid_argument(std::string(what) + " pattern \"" + p +
                                            "\" is not a valid regular expression: " + e.what());
            }
        }
    };
    build(policy.allowedDestinations, c.destinations, "allowedDestinations");
    build(policy.allowedCallerIds, c.callerIds, "allowedCallerIds");
    return c;
}

CallRegistry::CallRegistry(const CallPolicy& defaultPolicy, std::size_t maxEndedCalls,
                           SteadyNow now)
    : defaultPolicy_(compile(defaultPolicy)), maxEndedCalls_(maxEndedCalls), now_(std::move(now)) {}

void CallRegistry::setPolicy(const std::string& accountId, const CallPolicy& policy) {
    auto compiled = compile(policy);  // outside the lock: may throw
    std::lock_guard lock(mutex_);
    policies_[accountId] = std::move(compiled);
}

const CallRegistry::CompiledPolicy& CallRegistry::policyFor(const std::string& accountId) const {
    auto it = policies_.find(accountId);
    return it == policies_.end() ? defaultPolicy_ : it->second;
}

void CallRegistry::insertLocked(const Call& call, AccountState& account) {
    ++account.active;
    calls_[call.callId] = call;
}

void CallRegistry::checkOutboundLocked(const CompiledPolicy& p, const std::string& accountId,
                                       const std::string& to, const std::string& from) {
    // Destination first: a fraudster probing destinations learns nothing about the limits.
    if (!matchesAny(p.destinations, to)) {
        base::log(base::LogLevel::Warn, "voice: account " + accountId + " refused call to " + to +
                                            " (destination not allowed)");
        throw errors::destinationNotAllowed(to);
    }
    if (!p.callerIds.empty() && !matchesAny(p.callerIds, from))
        throw errors::callerIdNotAllowed(from);
}

void CallRegistry::countStartLocked(const CompiledPolicy& p, AccountState& account) {
    auto now = now_();
    while (!account.recentStarts.empty() && now - account.recentStarts.front() >= kRateWindow)
        account.recentStarts.pop_front();
    if (account.recentStarts.size() >= p.policy.maxCallsPerMinute) {
        int retry = 60;
        if (!account.recentStarts.empty()) {
            auto wait = kRateWindow - (now - account.recentStarts.front());
            retry = static_cast<int>(std::chrono::ceil<std::chrono::seconds>(wait).count());
        }
        throw errors::callRateExceeded(p.policy.maxCallsPerMinute, std::max(1, retry));
    }
    account.recentStarts.push_back(now);
}

void CallRegistry::admitOutbound(const Call& call) {
    std::lock_guard lock(mutex_);
    const auto& p = policyFor(call.accountId);
    checkOutboundLocked(p, call.accountId, call.to, call.from);
    auto& account = accounts_[call.accountId];
    if (account.active >= p.policy.maxConcurrentCalls)
        throw errors::tooManyConcurrentCalls(p.policy.maxConcurrentCalls);
    countStartLocked(p, account);
    insertLocked(call, account);
}

void CallRegistry::admitTransferLeg(const std::string& accountId, const std::string& to,
                                    const std::string& from) {
    std::lock_guard lock(mutex_);
    const auto& p = policyFor(accountId);
    checkOutboundLocked(p, accountId, to, from);
    countStartLocked(p, accounts_[accountId]);
}

void CallRegistry::admitInbound(const Call& call) {
    std::lock_guard lock(mutex_);
    const auto& p = policyFor(call.accountId);
    auto& account = accounts_[call.accountId];
    if (account.active >= p.policy.maxConcurrentCalls)
        throw errors::tooManyConcurrentCalls(p.policy.maxConcurrentCalls);
    insertLocked(call, account);
}

std::optional<Call> CallRegistry::find(const std::string& callId) const {
    std::lock_guard lock(mutex_);
    auto it = calls_.find(callId);
    if (it == calls_.end()) return std::nullopt;
    return it->second;
}

Call CallRegistry::get(const std::string& accountId, const std::string& callId) const {
    auto call = find(callId);
    if (!call || call->accountId != accountId) throw errors::callNotFound(callId);
    return *call;
}

std::optional<CallTransition> CallRegistry::apply(const std::string& callId, CallEvent event,
                                                  TimePoint now, const std::string& cause,
                                                  const std::string& errorMessage) {
    std::lock_guard lock(mutex_);
    auto it = calls_.find(callId);
    if (it == calls_.end()) return std::nullopt;
    Call& call = it->second;
    auto next = nextState(call.state, event);
    if (!next) {
        base::log(base::LogLevel::Debug, std::string("voice: call ") + callId + " ignores event " +
                                             toString(event) + " in state " + toString(call.state));
        return std::nullopt;
    }
    CallTransition t{call.state, {}};
    if (*next == call.state) {  // no-op edge
        t.call = call;
        return t;
    }
    call.state = *next;
    call.lastUpdate = now;
    if (*next == CallState::Answered) call.answerTime = now;
    if (isTerminal(*next)) {
        call.endTime = now;
        call.disconnectCause = cause.empty() ? std::string(toString(event)) : cause;
        if (!errorMessage.empty()) {
            call.errorMessage = errorMessage;
            call.errorId = reportError(callId, errorMessage);
        }
        auto& account = accounts_[call.accountId];
        if (account.active > 0) --account.active;
    }
    t.call = call;  // copied before the cap below may drop it
    if (isTerminal(*next)) {
        ended_.push_back(callId);
        while (ended_.size() > maxEndedCalls_) {
            calls_.erase(ended_.front());
            ended_.pop_front();
        }
    }
    base::log(base::LogLevel::Info,
              std::string("voice: call ") + callId + " " + toString(t.from) + " -> " +
                  toString(*next) +
                  (isTerminal(*next) ? " (" + *t.call.disconnectCause + ")" : ""));
    return t;
}

bool CallRegistry::update(const std::string& callId, const std::function<void(Call&)>& change) {
    std::lock_guard lock(mutex_);
    auto it = calls_.find(callId);
    if (it == calls_.end() || isTerminal(it->second.state)) return false;
    change(it->second);
    return true;
}

std::size_t CallRegistry::activeCalls(const std::string& accountId) const {
    std::lock_guard lock(mutex_);
    auto it = accounts_.find(accountId);
    return it == accounts_.end() ? 0 : it->second.active;
}

std::size_t CallRegistry::size() const {
    std::lock_guard lock(mutex_);
    return calls_.size();
}

std::size_t CallRegistry::purgeEnded(TimePoint cutoff) {
    std::lock_guard lock(mutex_);
    std::size_t removed = 0;
    while (!ended_.empty()) {
        auto it = calls_.find(ended_.front());
        if (it != calls_.end() && it->second.endTime && *it->second.endTime >= cutoff) break;
        if (it != calls_.end()) {
            calls_.erase(it);
            ++removed;
        }
        ended_.pop_front();
    }
    return removed;
}

std::vector<Call> CallRegistry::list(const std::string& accountId, const CallFilter& filter) const {
    std::vector<const Call*> matching;
    std::lock_guard lock(mutex_);
    for (const auto& [id, c] : calls_) {
        if (c.accountId != accountId) continue;
        if (filter.to && c.to != *filter.to) continue;
        if (filter.from && c.from != *filter.from) continue;
        if (filter.minStartTime && c.startTime < *filter.minStartTime) continue;
        if (filter.maxStartTime && c.startTime > *filter.maxStartTime) continue;
        if (filter.disconnectCause && c.disconnectCause != filter.disconnectCause) continue;
        matching.push_back(&c);
    }
    auto before = [](const Call* a, const Call* b) {
        return a->startTime != b->startTime ? a->startTime < b->startTime : a->callId < b->callId;
    };
    std::sort(matching.begin(), matching.end(), before);
    auto from = matching.begin();
    if (filter.pageToken) {
        auto it = calls_.find(*filter.pageToken);
        if (it == calls_.end() || it->second.accountId != accountId)
            throw net::errors::invalidField(
                "pageToken", "names no call of this account (calls are kept for a limited time)");
        from = std::upper_bound(matching.begin(), matching.end(), &it->second, before);
    }
    std::vector<Call> page;
    for (auto i = from; i != matching.end() && page.size() < filter.pageSize; ++i)
        page.push_back(**i);
    return page;
}

}  // namespace sb::voice
