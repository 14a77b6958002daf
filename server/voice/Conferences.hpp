#pragma once
// conf (issue 9): Bandwidth's conferences (dev.bandwidth.com/docs/voice/bxml/conference and the
// Conferences REST endpoints of bandwidth.yml). A conference is created the first time a call of
// an account runs <Conference> with its name and completes when its last member leaves; a later
// <Conference> with the same name makes a new conference with a new id.
//
// The members' audio meets in one Switchboard WebRTC session per conference (ConferenceRooms),
// so browsers the application adds to that session (its id is GET …/conferences/{id}'s
// `sessionId`) are in the conference too. Events go to the conferenceEventUrl of the verb that
// created the conference, one at a time in the order they happened (conferenceCreated,
// conferenceMemberJoin, conferenceMemberExit, conferenceCompleted, conferenceRedirect).
//
// Thread-safe: REST handlers call in from HTTP threads, call flows from the VoiceExecutor. The
// members' flows are told of REST changes through MemberHooks (they post onto the executor).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/voice/Bxml.hpp"
#include "server/voice/Call.hpp"
#include "server/voice/CallbackClient.hpp"
#include "server/voice/CallbackTarget.hpp"
#include "server/voice/VoiceExecutor.hpp"

namespace sb::voice {

struct ConferenceLimits {
    std::size_t maxMembers = 20;     // calls in one conference at once (Bandwidth: 20)
    std::size_t maxPerAccount = 50;  // conferences of one account not yet completed
    std::size_t keepCompleted =
        100;  // completed conferences kept per account for GET (oldest dropped)
};

// The WebRTC session a conference's audio meets in. Implemented by the SIP bridge over
// CallControl (the session counts against the account's session limit).
class ConferenceRooms {
  public:
    virtual ~ConferenceRooms() = default;
    // The new session's id; throws std::exception saying why there is none.
    virtual std::string createRoom(const std::string& accountId,
                                   const std::string& conferenceName) = 0;
    virtual void deleteRoom(const std::string& accountId, const std::string& sessionId) = 0;
};

struct ConferenceMember {
    std::string callId;
    std::string from, to;
    bool mute = false;
    bool hold = false;
    std::vector<std::string> callIdsToCoach;
    bool joined = false;  // its audio is in the room (conferenceMemberJoin sent)
};

struct ConferenceInfo {
    std::string id, accountId, name;
    TimePoint createdTime{};
    std::optional<TimePoint> completedTime;
    std::optional<std::string> conferenceEventUrl;
    std::string conferenceEventMethod = "POST";
    std::optional<std::string> tag;
    std::string sessionId;
    std::vector<ConferenceMember> members;  // active members, in the order they came
};

// What a member's call flow does when the REST API changes the member (any thread).
struct MemberHooks {
    std::function<void(bool mute, bool hold)> audio;
    // The conference (named, so that a late call cannot eject the member from a later one) was
    // ended: leave it, go on after <Conference>.
    std::function<void(const std::string& conferenceId)> eject;
};

struct ConferenceFilter {
    std::optional<std::string> name;
    std::optional<std::string> minCreatedTime, maxCreatedTime;  // ISO 8601, compared as text
    std::size_t pageSize = 1000;                                // 1..1000
    std::optional<std::string> pageToken;                       // the last id of the previous page
};

struct MemberUpdate {
    std::optional<bool> mute, hold;
    std::optional<std::vector<std::string>> callIdsToCoach;
};

struct ConferenceUpdate {
    std::optional<std::string> status;  // "active" | "completed"
    std::optional<CallbackTarget> redirect;
};

// What <Conference> got: the conference and the session its audio meets in, or why not.
struct ConferenceJoining {
    std::string conferenceId, sessionId;
    std::string error;  // non-empty: not a member (full, too many conferences, no room)
};

class ConferenceControl;
class ConferenceEvents;
class ConferenceMembers;
class ConferenceRegistry;

// The conferences' one entry point, for the call flows and the REST handlers. Its parts:
// ConferenceRegistry (the conferences and their lookup), ConferenceMembers (joining, leaving,
// each member's state), ConferenceEvents (the events to the application, in order) and
// ConferenceControl (ending and redirecting a conference over REST).
class ConferenceService {
  public:
    ConferenceService(
        std::shared_ptr<ConferenceRooms> rooms, CallbackClient& callbacks, VoiceExecutor& executor,
        ConferenceLimits limits, std::string publicBaseUrl,
        Clock clock = [] { return std::chrono::system_clock::now(); });
    ~ConferenceService();  // in Conferences.cpp, where its parts are complete types

    using Joining = ConferenceJoining;
    // <Conference>: makes `call` a member of the conference `verb.name` of its account (created
    // now if there is none, with the verb's event settings). Its audio is not in the room yet.
    Joining join(const Call& call, const bxml::Conference& verb, MemberHooks hooks);
    // The member's audio is in the room: conferenceMemberJoin. False when it is no longer a member
    // (the conference was ended meanwhile): the caller leaves the room again.
    bool joined(const std::string& conferenceId, const std::string& callId);
    // The member left (hung up, redirected, ejected, or its join failed); the last one out
    // completes the conference. Unknown ids are ignored.
    void leave(const std::string& conferenceId, const std::string& callId);

    // REST (404 as HttpError when not the account's).
    std::vector<ConferenceInfo> list(const std::string& accountId,
                                     const ConferenceFilter& filter) const;
    ConferenceInfo get(const std::string& accountId, const std::string& conferenceId) const;
    ConferenceMember member(const std::string& accountId, const std::string& conferenceId,
                            const std::string& memberId) const;
    void updateMember(const std::string& accountId, const std::string& conferenceId,
                      const std::string& memberId, const MemberUpdate& update);
    void update(const std::string& accountId, const std::string& conferenceId,
                const ConferenceUpdate& update);
    // PUT …/bxml: the document was validated (only verbs that may run in a conference); verbs
    // that play audio are not executed in a conference yet, so this refuses them (409).
    void replaceBxml(const std::string& accountId, const std::string& conferenceId,
                     const std::string& document);

    std::string memberUrl(const std::string& accountId, const std::string& conferenceId,
                          const std::string& callId) const;
    std::size_t active() const;

  private:
    std::string publicBaseUrl_;
    std::shared_ptr<ConferenceRegistry> registry_;  // shared with events_' late replies
    std::shared_ptr<ConferenceEvents> events_;      // shared: its replies hold it weakly
    std::unique_ptr<ConferenceMembers> members_;
    std::unique_ptr<ConferenceControl> control_;
};

bool isConferenceId(std::string_view id);

}  // namespace sb::voice
