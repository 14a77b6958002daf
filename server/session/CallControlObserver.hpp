#pragma once
// How call control tells the layers above it (media) about changes, without knowing them.

#include <string>
#include <vector>

namespace sb::session {

// Told about committed changes that connected devices must follow at once (media routing).
class CallControlObserver {
  public:
    virtual ~CallControlObserver() = default;
    // Added to or removed from a session, or its subscriptions replaced.
    virtual void membershipChanged(const std::string& accountId,
                                   const std::string& participantId) = 0;
    virtual void participantDeleted(const std::string& accountId,
                                    const std::string& participantId) = 0;
    virtual void sessionDeleted(const std::string& accountId, const std::string& sessionId,
                                const std::vector<std::string>& members) = 0;
};

}  // namespace sb::session
