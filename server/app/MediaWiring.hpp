#pragma once
// The seams between call control and media, wired here so neither includes the other:
// media reads membership through media::Membership and follows changes through the
// CallControlObserver that forwards them.

#include <memory>

#include "server/api/ApiError.hpp"
#include "server/api/CallControl.hpp"
#include "server/media/MediaOrchestrator.hpp"

namespace sb::app {

class CallControlMembership : public media::Membership {
  public:
    explicit CallControlMembership(const api::CallControl& calls) : calls_(calls) {}

    std::optional<state::Participant> participant(const std::string& accountId,
                                                  const std::string& participantId) const override {
        try {
            return calls_.participant(accountId, participantId);
        } catch (const api::ApiError&) {  // not found (deleted meanwhile)
            return std::nullopt;
        }
    }
    std::vector<std::string> members(const std::string& accountId,
                                     const std::string& sessionId) const override {
        std::vector<std::string> ids;
        try {
            for (const auto& p : calls_.sessionParticipants(accountId, sessionId))
                ids.push_back(p.id);
        } catch (const api::ApiError&) {  // the session was deleted meanwhile
        }
        return ids;
    }

  private:
    const api::CallControl& calls_;
};

class MediaCallObserver : public api::CallControlObserver {
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
