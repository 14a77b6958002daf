#include "server/voice/Conferences.hpp"

#include <algorithm>

#include "server/base/Log.hpp"
#include "server/voice/CallIds.hpp"

namespace sb::voice {

using nlohmann::json;

bool isConferenceId(std::string_view id) {
    return id.size() > 5 && id.substr(0, 5) == "conf-" &&
           isCallId("c-" + std::string(id.substr(5)));
}

ConferenceService::ConferenceService(std::shared_ptr<ConferenceRooms> rooms,
                                     CallbackClient& callbacks, VoiceExecutor& executor,
                                     ConferenceLimits limits, std::string publicBaseUrl,
                                     Clock clock)
    : rooms_(std::move(rooms)),
      callbacks_(callbacks),
      executor_(executor),
      limits_(limits),
      publicBaseUrl_(std::move(publicBaseUrl)),
      clock_(std::move(clock)) {}

std::string ConferenceService::memberUrl(const std::string& accountId,
                                         const std::string& conferenceId,
                                         const std::string& callId) const {
    return publicBaseUrl_ + "/api/v2/accounts/" + accountId + "/conferences/" + conferenceId +
           "/members/" + callId;
}

json ConferenceService::event(const Conf& c, const char* type) const {
    json j{{"eventType", type},
           {"eventTime", isoTime(clock_())},
           {"conferenceId", c.info.id},
           {"name", c.info.name}};
    if (c.info.tag) j["tag"] = *c.info.tag;
    return j;
}

json ConferenceService::memberEvent(const Conf& c, const char* type,
                                    const ConferenceMember& m) const {
    auto j = event(c, type);
    j["from"] = m.from;
    j["to"] = m.to;
    j["callId"] = m.callId;
    return j;
}

ConferenceService::Joining ConferenceService::join(const Call& call, const bxml::Conference& verb,
                                                   MemberHooks hooks) {
    Joining out;
    std::shared_ptr<Conf> c;
    bool created = false;
    {
        std::lock_guard lock(mutex_);
        auto key = std::make_pair(call.accountId, verb.name);
        auto it = activeByName_.find(key);
        if (it != activeByName_.end()) c = byId_.at(it->second);
        if (c) {
            if (c->info.members.size() >= limits_.maxMembers) {
                out.error = "conference \"" + verb.name + "\" is full (" +
                            std::to_string(limits_.maxMembers) + " members, conferenceMaxMembers)";
                return out;
            }
        } else {
            std::size_t open = std::count_if(byId_.begin(), byId_.end(), [&](const auto& e) {
                return e.second->info.accountId == call.accountId &&
                       !e.second->info.members.empty();
            });
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
            std::lock_guard lock(mutex_);
            auto key = std::make_pair(call.accountId, verb.name);
            auto it = activeByName_.find(key);
            if (it != activeByName_.end()) {
                c = byId_.at(it->second);
                orphan = sessionId;
            } else {
                c = std::make_shared<Conf>();
                c->info.id = "conf-" + newCallId().substr(2);
                c->info.accountId = call.accountId;
                c->info.name = verb.name;
                c->info.createdTime = clock_();
                c->info.conferenceEventUrl = verb.conferenceEventUrl;
                c->info.conferenceEventMethod = verb.conferenceEventMethod;
                c->info.tag = verb.tag;
                c->info.sessionId = sessionId;
                c->callbackTimeout = verb.callbackTimeout;
                if (verb.conferenceEventUrl)
                    c->events = callbackTarget(*verb.conferenceEventUrl, verb.conferenceEventMethod,
                                               verb.username, verb.password,
                                               verb.conferenceEventFallbackUrl,
                                               verb.conferenceEventFallbackMethod,
                                               verb.fallbackUsername, verb.fallbackPassword);
                byId_[c->info.id] = c;
                activeByName_[key] = c->info.id;
                created = true;
                queue(*c, event(*c, "conferenceCreated"));
                prune(call.accountId);
            }
        }
        if (!orphan.empty()) rooms_->deleteRoom(call.accountId, orphan);
    }
    {
        std::lock_guard lock(mutex_);
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
    send(out.conferenceId);
    return out;
}

bool ConferenceService::joined(const std::string& conferenceId, const std::string& callId) {
    {
        std::lock_guard lock(mutex_);
        auto it = byId_.find(conferenceId);
        if (it == byId_.end() || it->second->info.completedTime) return false;
        auto& c = *it->second;
        auto m = std::find_if(c.info.members.begin(), c.info.members.end(),
                              [&](auto& x) { return x.callId == callId; });
        if (m == c.info.members.end()) return false;
        m->joined = true;
        queue(c, memberEvent(c, "conferenceMemberJoin", *m));
    }
    send(conferenceId);
    return true;
}

void ConferenceService::leave(const std::string& conferenceId, const std::string& callId) {
    std::string account, session;
    {
        std::lock_guard lock(mutex_);
        auto it = byId_.find(conferenceId);
        if (it == byId_.end()) return;
        auto c = it->second;
        auto& members = c->info.members;
        auto m = std::find_if(members.begin(), members.end(),
                              [&](auto& x) { return x.callId == callId; });
        if (m == members.end()) return;
        if (m->joined) queue(*c, memberEvent(*c, "conferenceMemberExit", *m));
        members.erase(m);
        c->hooks.erase(callId);
        if (members.empty()) {
            complete(c);
            account = c->info.accountId;
            session = std::exchange(c->info.sessionId, std::string());
        }
    }
    base::log(base::LogLevel::Info, "voice: call " + callId + " left conference " + conferenceId);
    send(conferenceId);
    if (!session.empty()) {
        try {
            rooms_->deleteRoom(account, session);
        } catch (const std::exception& e) {
            base::log(base::LogLevel::Warn, "voice: conference " + conferenceId +
                                                ": its room was not deleted: " + e.what());
        }
    }
}

void ConferenceService::complete(const std::shared_ptr<Conf>& c) {
    if (!c->info.completedTime) c->info.completedTime = clock_();
    auto key = std::make_pair(c->info.accountId, c->info.name);
    auto it = activeByName_.find(key);
    if (it != activeByName_.end() && it->second == c->info.id) activeByName_.erase(it);
    queue(*c, event(*c, "conferenceCompleted"));
    base::log(base::LogLevel::Info, "voice: conference " + c->info.id + " completed");
}

void ConferenceService::prune(const std::string& accountId) {
    std::vector<std::shared_ptr<Conf>> done;
    for (auto& [id, c] : byId_)
        if (c->info.accountId == accountId && c->info.completedTime && c->info.members.empty())
            done.push_back(c);
    if (done.size() <= limits_.keepCompleted) return;
    std::sort(done.begin(), done.end(),
              [](auto& a, auto& b) { return *a->info.completedTime < *b->info.completedTime; });
    for (std::size_t i = 0; i + limits_.keepCompleted < done.size(); ++i)
        byId_.erase(done[i]->info.id);
}

void ConferenceService::queue(Conf& c, json event) {
    if (!c.events) return;
    constexpr std::size_t kMaxQueued = 256;  // 20 members joining and leaving cannot get near it
    if (c.outbox.size() >= kMaxQueued) {
        base::log(base::LogLevel::Warn, "voice: conference " + c.info.id + ": event dropped, " +
                                            std::to_string(kMaxQueued) +
                                            " still waiting for the application");
        return;
    }
    c.outbox.push_back(std::move(event));
}

// One event at a time per conference, so the application sees them in the order they happened.
// The replies' BXML is not executed (docs/voice.md): only the delivery result matters.
void ConferenceService::send(const std::string& conferenceId) {
    std::shared_ptr<Conf> c;
    json body;
    CallbackTarget target;
    CallbackScope scope;
    {
        std::lock_guard lock(mutex_);
        auto it = byId_.find(conferenceId);
        if (it == byId_.end()) return;
        c = it->second;
        if (c->sending || c->outbox.empty() || !c->events) return;
        c->sending = true;
        body = std::move(c->outbox.front());
        c->outbox.pop_front();
        target = *c->events;
        scope.accountId = c->info.accountId;
        scope.timeout = std::chrono::milliseconds(static_cast<long>(c->callbackTimeout * 1000));
    }
    std::weak_ptr<ConferenceService> weak = weak_from_this();
    auto type = body.value("eventType", "");
    sendCallback(callbacks_, scope, target, std::move(body),
                 [weak, c, conferenceId, type, ex = &executor_](const CallbackResult& r,
                                                                const std::string& url) {
                     if (!r.ok())
                         base::log(base::LogLevel::Warn,
                                   "voice: conference " + conferenceId + " " + type +
                                       " not delivered: " + describeFailure(r, url));
                     ex->post([weak, c, conferenceId] {
                         auto self = weak.lock();
                         if (!self) return;
                         {
                             std::lock_guard lock(self->mutex_);
                             c->sending = false;
                         }
                         self->send(conferenceId);
                     });
                 });
}

}  // namespace sb::voice
