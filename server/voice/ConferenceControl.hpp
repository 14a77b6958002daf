#pragma once
// conf (issue 9): what the application does to a whole conference over REST — Bandwidth's
// updateConference (end it: every member is ejected; or send conferenceRedirect) and
// updateConferenceBxml (refused: verbs that play or record into a conference are not executed
// yet).

#include <string>

#include "server/voice/Call.hpp"
#include "server/voice/Conferences.hpp"

namespace sb::voice {

class ConferenceEvents;
class ConferenceRegistry;

class ConferenceControl {
  public:
    ConferenceControl(ConferenceRegistry& registry, ConferenceEvents& events, Clock clock);

    // ConferenceService's update and replaceBxml (404 as HttpError when not the account's, 409
    // when completed).
    void update(const std::string& accountId, const std::string& conferenceId,
                const ConferenceUpdate& update);
    void replaceBxml(const std::string& accountId, const std::string& conferenceId,
                     const std::string& document);

  private:
    ConferenceRegistry& registry_;
    ConferenceEvents& events_;
    Clock clock_;
};

}  // namespace sb::voice
