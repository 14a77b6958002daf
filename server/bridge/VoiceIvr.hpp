#pragma once
// The IVR side of voice::CallMedia over SIP (issue 9): SpeakSentence's synthesized speech and
// PlayAudio's fetched and decoded files, both produced on the SpeechService workers (CPU-bound:
// never on the strand or the io threads that carry RTP) and played into the call's pipeline,
// which replaces the room audio with them (PlaybackQueue). Runs on the bridge's strand.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/bridge/BridgeCalls.hpp"
#include "server/sip/media/SpeechService.hpp"

namespace sb::bridge {

class VoiceIvr : public std::enable_shared_from_this<VoiceIvr> {
  public:
    explicit VoiceIvr(std::shared_ptr<BridgeCalls> calls) : calls_(std::move(calls)) {}

    // Creates the SpeechService on the strand, which warms flite's voices on a worker (issue 9:
    // the first SpeakSentence must not pay for loading them).
    void warm();
    sip::media::SpeechService::Stats stats() const;
    // SpeakSentence: synthesizes (or takes from the cache) and plays on the call `sipId`.
    void speak(const std::string& sipId, const std::string& text, const std::string& voice,
               const voice::CallMedia::Done& done);
    // PlayAudio: fetches `url` with the call's account's outbound policy, decodes it off the
    // strand and plays it on the call.
    void playAudio(const BridgeCall& call, const std::string& url,
                   const std::optional<voice::BasicCredentials>& credentials,
                   const voice::CallMedia::Done& done);

  private:
    sip::media::SpeechService& speech();
    void playFetched(const std::string& sipId, std::string bytes,
                     const voice::CallMedia::Done& done);
    void playClip(const std::string& sipId, std::vector<std::int16_t> samples,
                  const voice::CallMedia::Done& done);

    std::shared_ptr<BridgeCalls> calls_;
    std::shared_ptr<sip::media::SpeechService> speech_;
};

}  // namespace sb::bridge
