#pragma once
// conf (issue 9): the conferences of every account — by id, and the one in progress under each
// (account, name), which a <Conference> of that name joins. Completed conferences stay for GET
// until the account has more than ConferenceLimits::keepCompleted of them (the oldest go).
//
// Not locked by itself: the parts of ConferenceService (ConferenceMembers, ConferenceControl,
// ConferenceEvents) hold mutex() around every use of the registry and of its records, and call
// out (rooms, callbacks, the members' hooks) only after unlocking.

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "server/voice/ConferenceEvents.hpp"
#include "server/voice/Conferences.hpp"

namespace sb::voice {

// One conference: what GET shows, its members' hooks and its events' delivery.
struct ConferenceRecord {
    ConferenceInfo info;
    std::map<std::string, MemberHooks> hooks;  // by call id
    ConferenceDelivery delivery;
};

class ConferenceRegistry {
  public:
    explicit ConferenceRegistry(std::size_t keepCompleted) : keepCompleted_(keepCompleted) {}

    std::mutex& mutex() const { return mutex_; }

    // Null when unknown (or dropped since).
    std::shared_ptr<ConferenceRecord> byId(const std::string& conferenceId) const;
    // The account's conference; 404 as HttpError when it is not the account's.
    std::shared_ptr<ConferenceRecord> find(const std::string& accountId,
                                           const std::string& conferenceId) const;
    // The conference a <Conference> of this name joins; null when none is in progress.
    std::shared_ptr<ConferenceRecord> inProgress(const std::string& accountId,
                                                 const std::string& name) const;
    // The account's conferences that have members (conferenceMaxPerAccount counts them).
    std::size_t withMembers(const std::string& accountId) const;
    // The conference, new and in progress under its name; drops the account's oldest completed
    // conferences past keepCompleted.
    void add(std::shared_ptr<ConferenceRecord> c);
    // The conference is ended: its name is free, a later <Conference> with it makes a new one.
    void release(const ConferenceRecord& c);
    // listConferences: the account's conferences that pass `filter`, oldest first, one page.
    std::vector<ConferenceInfo> list(const std::string& accountId,
                                     const ConferenceFilter& filter) const;
    std::size_t active() const { return activeByName_.size(); }

  private:
    void prune(const std::string& accountId);

    std::size_t keepCompleted_;
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<ConferenceRecord>> byId_;
    std::map<std::pair<std::string, std::string>, std::string>
        activeByName_;  // (account, name) → id
};

}  // namespace sb::voice
