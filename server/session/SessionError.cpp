#include "server/session/SessionError.hpp"

namespace sb::session::errors {

SessionError sessionNotFound(const std::string& sessionId) {
    return {SessionErrorKind::NotFound, "Session " + sessionId + " was not found", "sessionId"};
}
SessionError participantNotFound(const std::string& participantId) {
    return {SessionErrorKind::NotFound, "Participant " + participantId + " was not found",
            "participantId"};
}
SessionError participantNotInSession(const std::string& participantId,
                                     const std::string& sessionId) {
    return {SessionErrorKind::NotFound,
            "Participant " + participantId + " is not in session " + sessionId, "participantId"};
}
SessionError participantInOtherSession(const std::string& participantId) {
    return {SessionErrorKind::Conflict,
            "Participant " + participantId +
                " is already in another session; a participant belongs to at most one session",
            "participantId"};
}
SessionError sessionFull(const std::string& sessionId, std::size_t limit) {
    return {SessionErrorKind::LimitReached,
            "Session " + sessionId + " already has the maximum of " + std::to_string(limit) +
                " participants",
            "sessionId"};
}
SessionError tooManySessions(std::size_t limit) {
    return {SessionErrorKind::LimitReached,
            "This account already has the maximum of " + std::to_string(limit) +
                " sessions; delete a session (or wait for one to expire) before creating another"};
}
SessionError tooManyParticipants(std::size_t limit) {
    return {SessionErrorKind::LimitReached,
            "This account already has the maximum of " + std::to_string(limit) +
                " participants; delete a participant (or wait for one to "
                "expire) before creating another"};
}

}  // namespace sb::session::errors
