#include "server/bridge/VoiceIvr.hpp"

#include <boost/asio/post.hpp>

#include "server/sip/media/WavFile.hpp"

namespace sb::bridge {

namespace {
// Runs on a worker thread: hands the clip to the strand without taking a strong reference to the
// IVR there (were it the last one, the IVR, and the worker pool with it, would be destroyed on a
// thread of that pool).
void playOnStrand(std::weak_ptr<VoiceIvr> weak, const BridgeCalls::Strand& strand,
                  std::function<void(VoiceIvr&)> play) {
    asio::post(strand, [weak = std::move(weak), play = std::move(play)] {
        if (auto self = weak.lock()) play(*self);
    });
}
}  // namespace

sip::media::SpeechService& VoiceIvr::speech() {
    // Created on first use (on the strand): servers without IVR calls start no threads for it.
    if (!speech_) speech_ = std::make_shared<sip::media::SpeechService>(calls_->config().speech);
    return *speech_;
}

void VoiceIvr::warm() {
    asio::post(calls_->strand(), [weak = weak_from_this()] {
        if (auto self = weak.lock()) self->speech();
    });
}

sip::media::SpeechService::Stats VoiceIvr::stats() const {
    return speech_ ? speech_->stats() : sip::media::SpeechService::Stats{};
}

void VoiceIvr::playClip(const std::string& sipId, std::vector<std::int16_t> samples,
                        const voice::CallMedia::Done& done) {
    auto call = calls_->find(sipId);
    if (!call) return done(false, "call ended");
    call->pipeline->play(std::move(samples), sip::media::PlayMode::Replace, [done](bool completed) {
        done(completed, completed ? "" : "playback stopped");
    });
}

void VoiceIvr::speak(const std::string& sipId, const std::string& text, const std::string& voice,
                     const voice::CallMedia::Done& done) {
    // Issue 9, TTS start under 150 ms: the sentence plays while it is being synthesized (the
    // stream grows on a worker). Enqueued now, in order with stop(): a digit or a hang-up that
    // comes later drops it, which cancels the synthesis nobody hears any more.
    auto call = calls_->find(sipId);
    if (!call) return done(false, "call ended");
    auto reader = speech().speak(text, voice);
    auto stream = reader->shared();
    call->pipeline->play(std::move(reader), sip::media::PlayMode::Replace,
                         [stream, done](bool completed) {
                             if (completed) return done(true, "");
                             if (stream->state() == sip::media::SpeechStream::State::Failed)
                                 return done(false, "text to speech failed: " + stream->error());
                             done(false, "playback stopped");
                         });
}

void VoiceIvr::playAudio(const BridgeCall& call, const std::string& url,
                         const std::optional<voice::BasicCredentials>& credentials,
                         const voice::CallMedia::Done& done) {
    auto* http = calls_->http();
    if (!http) return done(false, "no HTTP client to fetch audio");
    // The account's outbound policy applies to media URLs as to callbacks.
    voice::CallbackScope scope{call.accountId, call.voiceCallId};
    scope.credentials = credentials;
    http->post(scope, url, "GET", nlohmann::json::object(),
               [weak = weak_from_this(), id = call.id, url, done](const voice::CallbackResult& r) {
                   auto self = weak.lock();
                   if (!self) return;
                   asio::post(self->calls_->strand(), [self, id, url, done, r] {
                       if (!self->calls_->find(id)) return done(false, "call ended");
                       if (!r.ok())
                           return done(false,
                                       "cannot fetch audio: " + voice::describeFailure(r, url));
                       self->playFetched(id, r.body, done);
                   });
               });
}

void VoiceIvr::playFetched(const std::string& sipId, std::string bytes,
                           const voice::CallMedia::Done& done) {
    std::weak_ptr<VoiceIvr> weak = weak_from_this();
    auto strand = calls_->strand();
    double maxSeconds = calls_->config().playAudioMaxSeconds;
    speech().post([weak, strand, sipId, bytes = std::move(bytes), done, maxSeconds] {
        auto samples = std::make_shared<std::vector<std::int16_t>>();
        std::string error;
        try {
            *samples = sip::media::WavFile::parse(
                sip::media::ByteView{reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                     bytes.size()},
                maxSeconds);
        } catch (const std::exception& e) {
            error = e.what();
        }
        playOnStrand(weak, strand, [sipId, done, samples, error](VoiceIvr& ivr) {
            if (!error.empty()) return done(false, "unsupported audio file: " + error);
            ivr.playClip(sipId, std::move(*samples), done);
        });
    });
}

}  // namespace sb::bridge
