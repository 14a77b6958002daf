#pragma once
// conf (issue 9): <Conference> (dev.bandwidth.com/docs/voice/bxml/conference). The call becomes a
// member of its account's conference of that name (ConferenceService) and its audio joins the
// conference's room. It stays until it hangs up, is redirected (REST updateCall or PUT …/bxml),
// or the conference is ended over REST; in the last case the verbs after <Conference> run, as
// Bandwidth documents. When the room's media fails (Janus gone) the call ends with cause "error"
// and an errorMessage saying so. The REST API reaches a member through the MemberHooks it gave
// the service when it joined.

#include <memory>
#include <string>

#include "server/voice/VerbLoop.hpp"

namespace sb::voice {

class ConferenceService;  // Conferences.hpp

class ConferenceVerbs : public VerbLoop::Family {
  public:
    explicit ConferenceVerbs(VerbLoop& loop) : loop_(loop) {}
    // Where <Conference> finds its conferences (set before the flow starts); unset: the verb is
    // refused.
    void setService(std::shared_ptr<ConferenceService> conferences) {
        conferences_ = std::move(conferences);
    }
    bool execute(const bxml::Verb& verb) override;

  private:
    void join(const bxml::Conference& verb);
    // REST updateConferenceMember: what the member's call sends to and hears from the room (any
    // thread).
    void setAudio(bool mute, bool hold);
    // REST updateConference status=completed: leave the conference and go on after <Conference>
    // (any thread).
    void leave(const std::string& conferenceId);

    VerbLoop& loop_;
    std::shared_ptr<ConferenceService> conferences_;
    std::string conferenceId_;  // the conference this call is in (or joining); empty: none
};

}  // namespace sb::voice
