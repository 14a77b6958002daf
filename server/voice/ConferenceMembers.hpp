#pragma once
// conf (issue 9): the members of the conferences — a call joins with <Conference> (the first one
// of a name creates the conference and its room), its audio joins the room, it leaves (the last
// one out completes the conference and deletes the room); and each member's state as the REST
// API reads and changes it (getConferenceMember, updateConferenceMember: mute, hold, coaching).

#include <memory>
#include <string>

#include "server/voice/Bxml.hpp"
#include "server/voice/Call.hpp"
#include "server/voice/Conferences.hpp"

namespace sb::voice {

class ConferenceEvents;
class ConferenceRegistry;
struct ConferenceRecord;

class ConferenceMembers {
  public:
    ConferenceMembers(ConferenceRegistry& registry, ConferenceEvents& events,
                      std::shared_ptr<ConferenceRooms> rooms, ConferenceLimits limits, Clock clock);

    // ConferenceService's join, joined and leave.
    ConferenceJoining join(const Call& call, const bxml::Conference& verb, MemberHooks hooks);
    bool joined(const std::string& conferenceId, const std::string& callId);
    void leave(const std::string& conferenceId, const std::string& callId);

    // REST (404 as HttpError when not the account's).
    ConferenceMember member(const std::string& accountId, const std::string& conferenceId,
                            const std::string& memberId) const;
    void updateMember(const std::string& accountId, const std::string& conferenceId,
                      const std::string& memberId, const MemberUpdate& update);

  private:
    // The conference `verb` makes for `call`'s account, with the verb's event settings.
    std::shared_ptr<ConferenceRecord> create(const Call& call, const bxml::Conference& verb,
                                             std::string sessionId) const;
    void complete(ConferenceRecord& c);  // under the lock

    ConferenceRegistry& registry_;
    ConferenceEvents& events_;
    std::shared_ptr<ConferenceRooms> rooms_;
    ConferenceLimits limits_;
    Clock clock_;
};

}  // namespace sb::voice
