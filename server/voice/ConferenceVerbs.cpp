#include "server/voice/ConferenceVerbs.hpp"

#include "server/base/Log.hpp"
#include "server/voice/Conferences.hpp"

namespace sb::voice {

bool ConferenceVerbs::execute(const bxml::Verb& verb) {
    auto* c = std::get_if<bxml::Conference>(&verb);
    if (c) join(*c);
    return c != nullptr;
}

void ConferenceVerbs::join(const bxml::Conference& verb) {
    if (!conferences_)
        return loop_.finish(cause::kApplicationError,
                            "<Conference> is not available on this server", true);
    if (!verb.callIdsToCoach.empty())
        return loop_.finish(cause::kApplicationError,
                            "<Conference callIdsToCoach> is not supported by this server: every "
                            "member hears every other",
                            true);
    auto v = verb;
    const auto& base = loop_.baseUrl();
    if (v.conferenceEventUrl) v.conferenceEventUrl = resolveUrl(base, *v.conferenceEventUrl);
    if (v.conferenceEventFallbackUrl)
        v.conferenceEventFallbackUrl = resolveUrl(base, *v.conferenceEventFallbackUrl);

    auto weak = loop_.weakRef(*this);
    MemberHooks hooks;
    hooks.audio = [weak](bool mute, bool hold) {
        if (auto self = weak.lock()) self->setAudio(mute, hold);
    };
    hooks.eject = [weak](const std::string& conferenceId) {
        if (auto self = weak.lock()) self->leave(conferenceId);
    };
    const auto& call = loop_.call();
    auto joining = conferences_->join(call, v, std::move(hooks));
    if (!joining.error.empty())
        return loop_.finish(cause::kError, "<Conference> failed: " + joining.error, true);
    const auto conferenceId = joining.conferenceId;

    conferenceId_ = conferenceId;
    loop_.setMediaBusy(true);
    auto step = loop_.step();
    auto* ex = &loop_.executor();
    std::weak_ptr<ConferenceService> service = conferences_;
    const auto callId = call.callId;
    loop_.media().joinConference(
        call.accountId, joining.sessionId, v.mute, v.hold,
        [weak, ex, step, service, conferenceId, callId](bool ok, std::string error) {
            ex->post([weak, step, service, conferenceId, callId, ok, error = std::move(error)] {
                auto conferences = service.lock();
                auto self = weak.lock();
                bool current = self && !self->loop_.stale(step);
                if (!ok) {
                    if (conferences) conferences->leave(conferenceId, callId);
                    if (!current) return;
                    self->conferenceId_.clear();
                    self->loop_.setMediaBusy(false);
                    // No error: stop() came before the audio had joined (ejected): go on.
                    if (error.empty()) return self->loop_.next();
                    return self->loop_.finish(cause::kError,
                                              "joining the conference failed: " + error, true);
                }
                // Ended over REST while the audio was joining: out again (left() runs next()).
                if (conferences && !conferences->joined(conferenceId, callId) && current)
                    self->loop_.media().stop();
            });
        },
        [weak, ex, step, service, conferenceId, callId](std::string why) {
            ex->post([weak, step, service, conferenceId, callId, why = std::move(why)] {
                if (auto conferences = service.lock()) conferences->leave(conferenceId, callId);
                auto self = weak.lock();
                if (!self || self->loop_.stale(step)) return;
                self->conferenceId_.clear();
                self->loop_.setMediaBusy(false);
                if (!why.empty())
                    return self->loop_.finish(cause::kError, "the conference's media ended: " + why,
                                              true);
                self->loop_.next();
            });
        });
}

void ConferenceVerbs::setAudio(bool mute, bool hold) {
    loop_.executor().post([self = loop_.strongRef(*this), mute, hold] {
        if (!self->conferenceId_.empty() && !self->loop_.finished())
            self->loop_.media().setConferenceAudio(mute, hold);
    });
}

void ConferenceVerbs::leave(const std::string& conferenceId) {
    loop_.executor().post([self = loop_.strongRef(*this), conferenceId] {
        if (self->loop_.finished() || self->conferenceId_ != conferenceId) return;
        base::log(base::LogLevel::Info, "voice: call " + self->loop_.call().callId +
                                            " leaves conference " + conferenceId +
                                            " (ended by the application)");
        // The media's left() then runs the verbs after <Conference> (step unchanged).
        self->loop_.media().stop();
    });
}

}  // namespace sb::voice
