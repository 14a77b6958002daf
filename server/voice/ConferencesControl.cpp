// conf (issue 9): ConferenceService's REST side — reading conferences and members, and the
// changes the application makes to them (Bandwidth's updateConference, updateConferenceMember).

#include <algorithm>

#include "server/base/Log.hpp"
#include "server/net/HttpError.hpp"
#include "server/voice/Conferences.hpp"

namespace sb::voice {

namespace {

net::HttpError notFound(const std::string& what, const std::string& id, const char* field) {
    return net::HttpError(net::ErrorCode::NotFound, what + " " + id.substr(0, 64) + " not found",
                          field);
}

}  // namespace

std::shared_ptr<ConferenceService::Conf> ConferenceService::find(
    const std::string& accountId, const std::string& conferenceId) const {
    auto it = byId_.find(conferenceId);
    if (it == byId_.end() || it->second->info.accountId != accountId)
        throw notFound("conference", conferenceId, "conferenceId");
    return it->second;
}

std::vector<ConferenceInfo> ConferenceService::list(const std::string& accountId,
                                                    const ConferenceFilter& f) const {
    std::vector<ConferenceInfo> out;
    std::lock_guard lock(mutex_);
    for (const auto& [id, c] : byId_) {
        const auto& i = c->info;
        if (i.accountId != accountId) continue;
        if (f.name && i.name != *f.name) continue;
        auto created = isoTime(i.createdTime);
        if (f.minCreatedTime && created < *f.minCreatedTime) continue;
        if (f.maxCreatedTime && created > *f.maxCreatedTime) continue;
        out.push_back(i);
    }
    // Bandwidth: oldest first; the page token is the id of the last conference of the page before.
    std::stable_sort(out.begin(), out.end(), [](auto& a, auto& b) {
        return a.createdTime != b.createdTime ? a.createdTime < b.createdTime : a.id < b.id;
    });
    if (f.pageToken) {
        auto at =
            std::find_if(out.begin(), out.end(), [&](auto& c) { return c.id == *f.pageToken; });
        if (at == out.end())
            throw net::errors::invalidField("pageToken", "names no conference of this list");
        out.erase(out.begin(), at + 1);
    }
    if (out.size() > f.pageSize) out.resize(f.pageSize);
    return out;
}

ConferenceInfo ConferenceService::get(const std::string& accountId,
                                      const std::string& conferenceId) const {
    std::lock_guard lock(mutex_);
    return find(accountId, conferenceId)->info;
}

ConferenceMember ConferenceService::member(const std::string& accountId,
                                           const std::string& conferenceId,
                                           const std::string& memberId) const {
    std::lock_guard lock(mutex_);
    auto c = find(accountId, conferenceId);
    for (const auto& m : c->info.members)
        if (m.callId == memberId) return m;
    throw notFound("member", memberId, "memberId");
}

void ConferenceService::updateMember(const std::string& accountId, const std::string& conferenceId,
                                     const std::string& memberId, const MemberUpdate& update) {
    std::function<void(bool, bool)> apply;
    bool mute = false, hold = false;
    {
        std::lock_guard lock(mutex_);
        auto c = find(accountId, conferenceId);
        auto m = std::find_if(c->info.members.begin(), c->info.members.end(),
                              [&](auto& x) { return x.callId == memberId; });
        if (m == c->info.members.end()) throw notFound("member", memberId, "memberId");
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

void ConferenceService::update(const std::string& accountId, const std::string& conferenceId,
                               const ConferenceUpdate& update) {
    std::vector<std::function<void(const std::string&)>> ejects;
    std::optional<CallbackTarget> redirect;
    nlohmann::json redirectBody;
    CallbackScope scope;
    {
        std::lock_guard lock(mutex_);
        auto c = find(accountId, conferenceId);
        if (c->info.completedTime)
            throw net::HttpError(net::ErrorCode::Conflict,
                                 "conference " + conferenceId + " has completed", "conferenceId");
        if (update.status && *update.status == "completed") {
            // Bandwidth: "ends the conference and immediately removes all members"; each goes on
            // with the verb after its <Conference>. The conference completes (event, room deleted)
            // when the last of them is out; a <Conference> with its name now makes a new one.
            c->info.completedTime = clock_();
            auto key = std::make_pair(c->info.accountId, c->info.name);
            auto it = activeByName_.find(key);
            if (it != activeByName_.end() && it->second == c->info.id) activeByName_.erase(it);
            for (auto& [id, h] : c->hooks)
                if (h.eject) ejects.push_back(h.eject);
            base::log(base::LogLevel::Info,
                      "voice: conference " + conferenceId + " ended over REST");
        } else if (update.redirect) {
            redirect = update.redirect;
            redirectBody = event(*c, "conferenceRedirect");
            scope.accountId = accountId;
            scope.timeout = std::chrono::milliseconds(static_cast<long>(c->callbackTimeout * 1000));
        }
    }
    for (auto& e : ejects) e(conferenceId);
    if (redirect) {
        // The reply's BXML would play into the conference; that is not supported yet, so it is only
        // checked for delivery (docs/voice.md).
        sendCallback(
            callbacks_, scope, *redirect, std::move(redirectBody),
            [conferenceId](const CallbackResult& r, const std::string& url) {
                if (!r.ok())
                    base::log(base::LogLevel::Warn,
                              "voice: conference " + conferenceId +
                                  " conferenceRedirect not delivered: " + describeFailure(r, url));
                else if (r.body.find_first_not_of(" \t\r\n") != std::string::npos)
                    base::log(base::LogLevel::Warn,
                              "voice: conference " + conferenceId +
                                  ": the conferenceRedirect reply's BXML is not executed");
            });
    }
}

void ConferenceService::replaceBxml(const std::string& accountId, const std::string& conferenceId,
                                    const std::string& document) {
    std::lock_guard lock(mutex_);
    auto c = find(accountId, conferenceId);
    if (c->info.completedTime)
        throw net::HttpError(net::ErrorCode::Conflict,
                             "conference " + conferenceId + " has completed", "conferenceId");
    (void)document;
    throw net::HttpError(
        net::ErrorCode::Conflict,
        "playing or recording into a conference is not supported by this server yet; the document "
        "was valid but nothing was done",
        "body");
}

std::size_t ConferenceService::active() const {
    std::lock_guard lock(mutex_);
    return activeByName_.size();
}

}  // namespace sb::voice
