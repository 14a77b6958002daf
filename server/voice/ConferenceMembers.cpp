#include "server/voice/ConferenceMembers.hpp"

#include <algorithm>
#include <mutex>

#include "server/base/Log.hpp"
#include "server/net/HttpError.hpp"
#include "server/voice/CallIds.hpp"
#include "server/voice/ConferenceEvents.hpp"
#include "server/voice/ConferenceRegistry.hpp"

namespace sb::voice {

namespace {

net::HttpError memberNotFound(const std::string& memberId) {
    return net::HttpError(net::ErrorCode::NotFound,
                          "member " + memberId.substr(0, 64) + " not found", "memberId");
}

}  // namespace

ConferenceMembers::ConferenceMembers(ConferenceRegistry& registry, ConferenceEvents& events,
                                     std::shared_ptr<ConferenceRooms> rooms,
                                     ConferenceLimits limits, Clock clock)
    : registry_(registry),
      events_(events),
      rooms_(std::move(rooms)),
      limits_(limits),
      clock_(std::move(clock)) {}

std::shared_ptr<ConferenceRecord> ConferenceMembers::create(const Call& call,
                                                            const bxml::Conference& verb,
                                                            std::string sessionId) const {
    auto c = std::make_shared<ConferenceRecord>();
    c->info.id = "conf-" + newCallId().substr(2);
    c->info.accountId = call.accountId;
    c->info.name = verb.name;
    c->info.createdTime = clock_();
    c->info.conferenceEventUrl = verb.conferenceEventUrl;
    c->info.conferenceEventMethod = verb.conferenceEventMethod;
    c->info.tag = verb.tag;
    c->info.sessionId = std::move(sessionId);
    c->delivery.callbackTimeout = verb.callbackTimeout;
    if (verb.conferenceEventUrl)
        c->delivery.target = callbackTarget(
            *verb.conferenceEventUrl, verb.conferenceEventMethod, verb.username, verb.password,
            verb.conferenceEventFallbackUrl, verb.conferenceEventFallbackMethod,
            verb.fallbackUsername, verb.fallbackPassword);
    return c;
}

ConferenceJoining ConferenceMembers::join(const Call& call, const bxml::Conference& verb,
                                          MemberHooks hooks) {
    ConferenceJoining out;
    std::shared_ptr<ConferenceRecord> c;
    bool created = false;
    {
        std::lock_guard lock(registry_.mutex());
        c = registry_.inProgress(call.accountId, verb.name);
        if (c) {
            if (c->info.members.size() >= limits_.maxMembers) {
                out.error = "conference \"" + verb.name + "\" is full (" +
                            std::to_string(limits_.maxMembers) + " members, conferenceMaxMembers)";
                return out;
            }
        } else {
            std::size_t open = registry_.withMembers(call.accountId);
            if (open >= limits_.maxPerAccount) {
                out.error = "the account has " + std::to_string(open) +
                            " conferences in progress (conferenceMaxPerAccount)";
                return out;
            }
        }
    }
    if (!c) {
        // Outside the lock: the room is a store write. Two first members racing for one name may
        // both get here; the loser's room is deleted below.
        std::string sessionId;
        try {
            sessionId = rooms_->createRoom(call.accountId, verb.name);
        } catch (const std::exception& e) {
            out.error =
                std::string("the conference's media room could not be created: ") + e.what();
            return out;
        }
        std::string orphan;
        {
            std::lock_guard lock(registry_.mutex());
            c = registry_.inProgress(call.accountId, verb.name);
            if (c) {
                orphan = sessionId;
            } else {
                c = create(call, verb, sessionId);
                registry_.add(c);
                created = true;
                events_.queue(*c, events_.event(c->info, "conferenceCreated"));
            }
        }
        if (!orphan.empty()) rooms_->deleteRoom(call.accountId, orphan);
    }
    {
        std::lock_guard lock(registry_.mutex());
        if (!created && c->info.members.size() >= limits_.maxMembers) {
            out.error = "conference \"" + verb.name + "\" is full";
            return out;
        }
        ConferenceMember m;
        m.callId = call.callId;
        m.from = call.from;
        m.to = call.to;
        m.mute = verb.mute;
        m.hold = verb.hold;
        m.callIdsToCoach = verb.callIdsToCoach;
        c->info.members.push_back(std::move(m));
        c->hooks[call.callId] = std::move(hooks);
        out.conferenceId = c->info.id;
        out.sessionId = c->info.sessionId;
    }
    base::log(base::LogLevel::Info,
              "voice: call " + call.callId + " joins conference " + out.conferenceId);
    events_.send(out.conferenceId);
    return out;
}

bool ConferenceMembers::joined(const std::string& conferenceId, const std::string& callId) {
    {
        std::lock_guard lock(registry_.mutex());
        auto c = registry_.byId(conferenceId);
        if (!c || c->info.completedTime) return false;
        auto& members = c->info.members;
        auto m = std::find_if(members.begin(), members.end(),
                              [&](auto& x) { return x.callId == callId; });
        if (m == members.end()) return false;
        m->joined = true;
        events_.queue(*c, events_.memberEvent(c->info, "conferenceMemberJoin", *m));
    }
    events_.send(conferenceId);
    return true;
}

void ConferenceMembers::leave(const std::string& conferenceId, const std::string& callId) {
    std::string account, session;
    {
        std::lock_guard lock(registry_.mutex());
        auto c = registry_.byId(conferenceId);
        if (!c) return;
        auto& members = c->info.members;
        auto m = std::find_if(members.begin(), members.end(),
                              [&](auto& x) { return x.callId == callId; });
        if (m == members.end()) return;
        if (m->joined) events_.queue(*c, events_.memberEvent(c->info, "conferenceMemberExit", *m));
        members.erase(m);
        c->hooks.erase(callId);
        if (members.empty()) {
            complete(*c);
            account = c->info.accountId;
            session = std::exchange(c->info.sessionId, std::string());
        }
    }
    base::log(base::LogLevel::Info, "voice: call " + callId + " left conference " + conferenceId);
    events_.send(conferenceId);
    if (!session.empty()) {
        try {
            rooms_->deleteRoom(account, session);
        } catch (const std::exception& e) {
            base::log(base::LogLevel::Warn, "voice: conference " + conferenceId +
                                                ": its room was not deleted: " + e.what());
        }
    }
}

void ConferenceMembers::complete(ConferenceRecord& c) {
    if (!c.info.completedTime) c.info.completedTime = clock_();
    registry_.release(c);
    events_.queue(c, events_.event(c.info, "conferenceCompleted"));
    base::log(base::LogLevel::Info, "voice: conference " + c.info.id + " completed");
}

ConferenceMember ConferenceMembers::member(const std::string& accountId,
                                           const std::string& conferenceId,
                                           const std::string& memberId) const {
    std::lock_guard lock(registry_.mutex());
    auto c = registry_.find(accountId, conferenceId);
    for (const auto& m : c->info.members)
        if (m.callId == memberId) return m;
    throw memberNotFound(memberId);
}

void ConferenceMembers::updateMember(const std::string& accountId, const std::string& conferenceId,
                                     const std::string& memberId, const MemberUpdate& update) {
    std::function<void(bool, bool)> apply;
    bool mute = false, hold = false;
    {
        std::lock_guard lock(registry_.mutex());
        auto c = registry_.find(accountId, conferenceId);
        auto m = std::find_if(c->info.members.begin(), c->info.members.end(),
                              [&](auto& x) { return x.callId == memberId; });
        if (m == c->info.members.end()) throw memberNotFound(memberId);
        if (update.callIdsToCoach && !update.callIdsToCoach->empty())
            throw net::errors::invalidField(
                "callIdsToCoach",
                "coaching is not supported: every member of a conference hears every other");
        if (update.mute) m->mute = *update.mute;
        if (update.hold) m->hold = *update.hold;
        if (update.callIdsToCoach) m->callIdsToCoach.clear();
        mute = m->mute;
        hold = m->hold;
        apply = c->hooks[memberId].audio;
    }
    if (apply) apply(mute, hold);
}

}  // namespace sb::voice
