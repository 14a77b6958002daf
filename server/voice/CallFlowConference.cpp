// conf (issue 9): <Conference> (dev.bandwidth.com/docs/voice/bxml/conference). The call becomes a
// member of its account's conference of that name (ConferenceService) and its audio joins the
// conference's room. It stays until it hangs up, is redirected (REST updateCall or PUT …/bxml),
// or the conference is ended over REST; in the last case the verbs after <Conference> run, as
// Bandwidth documents. When the room's media fails (Janus gone) the call ends with cause "error"
// and an errorMessage saying so.

#include "server/base/Log.hpp"
#include "server/voice/CallFlow.hpp"
#include "server/voice/Conferences.hpp"

namespace sb::voice {

void CallFlow::conference(const bxml::Conference& verb) {
    if (!conferences_)
        return finish(cause::kApplicationError, "<Conference> is not available on this server",
                      true);
    if (!verb.callIdsToCoach.empty())
        return finish(cause::kApplicationError,
                      "<Conference callIdsToCoach> is not supported by this server: every member "
                      "hears every other",
                      true);
    auto v = verb;
    if (v.conferenceEventUrl) v.conferenceEventUrl = resolveUrl(baseUrl_, *v.conferenceEventUrl);
    if (v.conferenceEventFallbackUrl)
        v.conferenceEventFallbackUrl = resolveUrl(baseUrl_, *v.conferenceEventFallbackUrl);

    std::weak_ptr<CallFlow> weak = weak_from_this();
    MemberHooks hooks;
    hooks.audio = [weak](bool mute, bool hold) {
        if (auto self = weak.lock()) self->conferenceAudio(mute, hold);
    };
    hooks.eject = [weak](const std::string& conferenceId) {
        if (auto self = weak.lock()) self->leaveConference(conferenceId);
    };
    auto joining = conferences_->join(call_, v, std::move(hooks));
    if (!joining.error.empty())
        return finish(cause::kError, "<Conference> failed: " + joining.error, true);
    const auto conferenceId = joining.conferenceId;

    conferenceId_ = conferenceId;
    mediaBusy_ = true;
    auto step = step_;
    auto* ex = &executor_;
    std::weak_ptr<ConferenceService> service = conferences_;
    const auto callId = call_.callId;
    media_->joinConference(
        call_.accountId, joining.sessionId, v.mute, v.hold,
        [weak, ex, step, service, conferenceId, callId](bool ok, std::string error) {
            ex->post([weak, step, service, conferenceId, callId, ok, error = std::move(error)] {
                auto conferences = service.lock();
                auto self = weak.lock();
                bool current = self && !self->stale(step);
                if (!ok) {
                    if (conferences) conferences->leave(conferenceId, callId);
                    if (!current) return;
                    self->conferenceId_.clear();
                    self->mediaBusy_ = false;
                    // No error: stop() came before the audio had joined (ejected): go on.
                    if (error.empty()) return self->next();
                    return self->finish(cause::kError, "joining the conference failed: " + error,
                                        true);
                }
                // Ended over REST while the audio was joining: out again (left() runs next()).
                if (conferences && !conferences->joined(conferenceId, callId) && current)
                    self->media_->stop();
            });
        },
        [weak, ex, step, service, conferenceId, callId](std::string why) {
            ex->post([weak, step, service, conferenceId, callId, why = std::move(why)] {
                if (auto conferences = service.lock()) conferences->leave(conferenceId, callId);
                auto self = weak.lock();
                if (!self || self->stale(step)) return;
                self->conferenceId_.clear();
                self->mediaBusy_ = false;
                if (!why.empty())
                    return self->finish(cause::kError, "the conference's media ended: " + why,
                                        true);
                self->next();
            });
        });
}

void CallFlow::conferenceAudio(bool mute, bool hold) {
    executor_.post([self = shared_from_this(), mute, hold] {
        if (!self->conferenceId_.empty() && !self->finished_)
            self->media_->setConferenceAudio(mute, hold);
    });
}

void CallFlow::leaveConference(const std::string& conferenceId) {
    executor_.post([self = shared_from_this(), conferenceId] {
        if (self->finished_ || self->conferenceId_ != conferenceId) return;
        base::log(base::LogLevel::Info, "voice: call " + self->call_.callId +
                                            " leaves conference " + conferenceId +
                                            " (ended by the application)");
        // The media's left() then runs the verbs after <Conference> (step unchanged).
        self->media_->stop();
    });
}

}  // namespace sb::voice
