// The IVR side of voice::CallMedia over SIP (issue 9): SpeakSentence's synthesized speech and
// PlayAudio's decoded files, both produced on the SpeechService workers (CPU-bound: never on the
// strand or the io threads that carry RTP) and played into the call's pipeline, which replaces
// the room audio with them (PlaybackQueue).

#include "server/bridge/BridgeCall.hpp"
#include "server/sip/media/WavFile.hpp"

namespace sb::bridge {

sip::media::SpeechService& SipBridge::speech() {
    // Created on first use (on the strand): servers without IVR calls start no threads for it.
    if (!speech_) speech_ = std::make_shared<sip::media::SpeechService>(config_.speech);
    return *speech_;
}

void SipBridge::warmSpeech() {
    asio::post(strand_, [weak = weak_from_this()] {
        if (auto self = weak.lock()) self->speech();
    });
}

sip::media::SpeechService::Stats SipBridge::speechStats() const {
    return speech_ ? speech_->stats() : sip::media::SpeechService::Stats{};
}

namespace {
// Runs on a worker thread: hands the clip to the strand without taking a strong reference to the
// bridge there (were it the last one, the bridge, and the worker pool with it, would be
// destroyed on a thread of that pool).
void playOnStrand(std::weak_ptr<SipBridge> weak, const asio::strand<asio::any_io_executor>& strand,
                  std::function<void(SipBridge&)> play) {
    asio::post(strand, [weak = std::move(weak), play = std::move(play)] {
        if (auto self = weak.lock()) play(*self);
    });
}
}  // namespace

void SipBridge::playClip(const std::string& sipId, std::vector<std::int16_t> samples,
                         const voice::CallMedia::Done& done) {
    auto it = active_.find(sipId);
    if (it == active_.end()) return done(false, "call ended");
    it->second->pipeline->play(
        std::move(samples), sip::media::PlayMode::Replace,
        [done](bool completed) { done(completed, completed ? "" : "playback stopped"); });
}

void SipBridge::speak(const std::string& sipId, const std::string& text, const std::string& voice,
                      const voice::CallMedia::Done& done) {
    // Issue 9, TTS start under 150 ms: the sentence plays while it is being synthesized (the
    // stream grows on a worker). Enqueued now, in order with stop(): a digit or a hang-up that
    // comes later drops it, which cancels the synthesis nobody hears any more.
    auto it = active_.find(sipId);
    if (it == active_.end()) return done(false, "call ended");
    auto reader = speech().speak(text, voice);
    auto stream = reader->shared();
    it->second->pipeline->play(
        std::move(reader), sip::media::PlayMode::Replace, [stream, done](bool completed) {
            if (completed) return done(true, "");
            if (stream->state() == sip::media::SpeechStream::State::Failed)
                return done(false, "text to speech failed: " + stream->error());
            done(false, "playback stopped");
        });
}

void SipBridge::playFetched(const std::string& sipId, std::string bytes,
                            const voice::CallMedia::Done& done) {
    std::weak_ptr<SipBridge> weak = weak_from_this();
    auto strand = strand_;
    double maxSeconds = config_.playAudioMaxSeconds;
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
        playOnStrand(weak, strand, [sipId, done, samples, error](SipBridge& b) {
            if (!error.empty()) return done(false, "unsupported audio file: " + error);
            b.playClip(sipId, std::move(*samples), done);
        });
    });
}

}  // namespace sb::bridge
