#pragma once
// Text to speech with flite (Debian flite1-dev): plain text → 8 kHz mono int16 for the BXML
// SpeakSentence verb. CPU-bound (tens of milliseconds per sentence): never call it on a thread
// that carries RTP — SpeechService runs it on its own workers.

#include <cstdint>
#include <string>
#include <vector>

namespace sb::sip::media {

class SpeechSynthesizer {
  public:
    // The flite voices linked into the server: "slt" (US English, female), "rms" (US English,
    // male), "awb" (Scottish English, male), "kal16" (US English, male).
    static bool knownVoice(const std::string& voice);
    // Throws std::invalid_argument for an unknown voice, std::runtime_error when flite produces
    // nothing. Thread-safe (one synthesis per voice at a time: flite's voices keep state).
    static std::vector<std::int16_t> synthesize(const std::string& text, const std::string& voice);
};

}  // namespace sb::sip::media
