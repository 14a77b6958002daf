#pragma once
// The seams between call control and media, wired here so neither includes the other:
// media reads membership through media::Membership and follows changes through the
// CallControlObserver that forwards them.

#include <memory>

#include "server/media/MediaOrchestrator.hpp"
#include "server/session/CallControl.hpp"

namespace sb::app {

class CallControlMembership : public media::Membership {
  public:
    explicit CallControlMembership(const session::CallControl& calls) : calls_(calls) {}

    std::optional<state::Participant> participant(const std::string& accountId,
                                                  const std::string& participantId) const override {
        return calls_.findParticipant(accountId, participantId);  // gone meanwhile: nullopt
    }
    std::vector<std::string> members(const std::string& accountId,
                                     const std::string& sessionId) const override {
        std::vector<std::string> ids;
        try {
            for (const auto& p : calls_.sessionParticipants(accountId, sessionId))
                ids.push_back(p.id);
        } catch (const session::SessionError& e) {  // the session was deleted meanwhile
            if (e.kind() != session::SessionErrorKind::NotFound) throw;
        }
        return ids;
    }

  private:
    const session::CallControl& calls_;
};

class MediaCallObserver : public session::CallControlObserver {
  public:
    explicit MediaCallObserver(std::shared_ptr<media::MediaOrchestrator> media)
        : media_(std::move(media)) {}

    void membershipChanged(const std::string& accountId,
                           const std::string& participantId) override {
        media_->membershipChanged(accountId, participantId);
    }
    void participantDeleted(const std::string& accountId,
                            const std::string& participantId) override {
        media_->participantDeleted(accountId, participantId);
    }
    void sessionDeleted(const std::string& accountId, const std::string& sessionId,
                        const std::vector<std::string>& members) override {
        media_->sessionDeleted(accountId, sessionId, members);
    }

  private:
    std::shared_ptr<media::MediaOrchestrator> media_;
};

}  // namespace sb::app
