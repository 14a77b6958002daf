#pragma once
// Text to speech with flite (Debian flite1-dev): plain text → 8 kHz mono int16 for the BXML
// SpeakSentence verb. CPU-bound (tens of milliseconds per sentence): never call it on a thread
// that carries RTP — SpeechService runs it on its own workers.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sb::sip::media {

class SpeechSynthesizer {
  public:
    // Receives 8 kHz samples as they are made; returning false stops the synthesis.
    using Sink = std::function<bool(const std::int16_t* samples, std::size_t count)>;

    // The flite voices linked into the server: "slt" (US English, female), "rms" (US English,
    // male), "awb" (Scottish English, male), "kal16" (US English, male).
    static bool knownVoice(const std::string& voice);
    // Registers the voices and speaks a short utterance with each (loads the lexicon, sizes
    // flite's buffers, measures each voice's level) so that the first sentence pays nothing extra.
    // Also done on first use; call it at start-up, on a thread that carries no RTP.
    static void warmUp();

    // Streaming (issue 9, first audio within 150 ms): the text is cut into phrases
    // (PhraseSplitter), each synthesized in turn with flite's audio streaming callback
    // (cst_audio_streaming_info registered in the voice's features), so `sink` gets the first
    // samples while the rest of the sentence is still being made. Throws std::invalid_argument
    // for an unknown voice, std::runtime_error when flite produces nothing at all. Returns false
    // when the sink stopped it.
    static bool stream(const std::string& text, const std::string& voice, const Sink& sink);

    // The whole text as ONE flite utterance, returned when complete (no streaming). Same
    // exceptions. Thread-safe (one synthesis per voice at a time: flite's voices keep state).
    static std::vector<std::int16_t> synthesize(const std::string& text, const std::string& voice);
};

}  // namespace sb::sip::media
