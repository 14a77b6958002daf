#pragma once
// What the session rules refuse, and why, in their own terms: the REST layer chooses the HTTP
// status and body (api/SessionErrorReply.cpp), media and the bridge test the kind.

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

namespace sb::session {

enum class SessionErrorKind {
    NotFound,      // no such session or participant, or not a member of that session
    Conflict,      // the participant already belongs to another session
    LimitReached,  // a session or an account holds as many as it may
};

class SessionError : public std::runtime_error {
  public:
    // `field` names the request field the error is about ("sessionId"), or is empty.
    SessionError(SessionErrorKind kind, const std::string& message, std::string field = {})
        : std::runtime_error(message), kind_(kind), field_(std::move(field)) {}
    SessionErrorKind kind() const { return kind_; }
    const std::string& field() const { return field_; }

  private:
    SessionErrorKind kind_;
    std::string field_;
};

// The catalogue: every refusal of CallControl is made by one of these.
namespace errors {
SessionError sessionNotFound(const std::string& sessionId);
SessionError participantNotFound(const std::string& participantId);
SessionError participantNotInSession(const std::string& participantId,
                                     const std::string& sessionId);
SessionError participantInOtherSession(const std::string& participantId);
SessionError sessionFull(const std::string& sessionId, std::size_t limit);
SessionError tooManySessions(std::size_t limit);
SessionError tooManyParticipants(std::size_t limit);
}  // namespace errors

}  // namespace sb::session
