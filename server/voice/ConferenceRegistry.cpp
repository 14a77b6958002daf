#include "server/voice/ConferenceRegistry.hpp"

#include <algorithm>

#include "server/net/HttpError.hpp"

namespace sb::voice {

std::shared_ptr<ConferenceRecord> ConferenceRegistry::byId(const std::string& conferenceId) const {
    auto it = byId_.find(conferenceId);
    return it == byId_.end() ? nullptr : it->second;
}

std::shared_ptr<ConferenceRecord> ConferenceRegistry::find(const std::string& accountId,
                                                           const std::string& conferenceId) const {
    auto it = byId_.find(conferenceId);
    if (it == byId_.end() || it->second->info.accountId != accountId)
        throw net::HttpError(net::ErrorCode::NotFound,
                             "conference " + conferenceId.substr(0, 64) + " not found",
                             "conferenceId");
    return it->second;
}

std::shared_ptr<ConferenceRecord> ConferenceRegistry::inProgress(const std::string& accountId,
                                                                 const std::string& name) const {
    auto it = activeByName_.find(std::make_pair(accountId, name));
    return it == activeByName_.end() ? nullptr : byId_.at(it->second);
}

std::size_t ConferenceRegistry::withMembers(const std::string& accountId) const {
    return std::count_if(byId_.begin(), byId_.end(), [&](const auto& e) {
        return e.second->info.accountId == accountId && !e.second->info.members.empty();
    });
}

void ConferenceRegistry::add(std::shared_ptr<ConferenceRecord> c) {
    const auto accountId = c->info.accountId;
    activeByName_[std::make_pair(accountId, c->info.name)] = c->info.id;
    byId_[c->info.id] = std::move(c);
    prune(accountId);
}

void ConferenceRegistry::release(const ConferenceRecord& c) {
    auto it = activeByName_.find(std::make_pair(c.info.accountId, c.info.name));
    if (it != activeByName_.end() && it->second == c.info.id) activeByName_.erase(it);
}

void ConferenceRegistry::prune(const std::string& accountId) {
    std::vector<std::shared_ptr<ConferenceRecord>> done;
    for (auto& [id, c] : byId_)
        if (c->info.accountId == accountId && c->info.completedTime && c->info.members.empty())
            done.push_back(c);
    if (done.size() <= keepCompleted_) return;
    std::sort(done.begin(), done.end(),
              [](auto& a, auto& b) { return *a->info.completedTime < *b->info.completedTime; });
    for (std::size_t i = 0; i + keepCompleted_ < done.size(); ++i) byId_.erase(done[i]->info.id);
}

std::vector<ConferenceInfo> ConferenceRegistry::list(const std::string& accountId,
                                                     const ConferenceFilter& f) const {
    std::vector<ConferenceInfo> out;
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

}  // namespace sb::voice
