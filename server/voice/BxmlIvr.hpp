#pragma once
// The IVR verbs of BXML (issue 9): <SpeakSentence>, <Gather>, <StartGather>, <StopGather>.
// Attributes, defaults and ranges follow Bandwidth's BXML reference
// (dev.bandwidth.com/docs/voice/bxml/gather, …/speakSentence, …/startGather).
// Included by Bxml.hpp; parsed by BxmlIvr.cpp.

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "server/voice/CallbackTarget.hpp"

namespace sb::voice::bxml {

struct PlayAudio;

constexpr std::size_t kMaxSentenceLength = 2000;  // characters of one <SpeakSentence>
constexpr std::size_t kMaxGatherPrompts = 20;  // nested <SpeakSentence>/<PlayAudio> in a <Gather>

struct SpeakSentence {
    std::string text;  // plain text (SSML tags are refused: the engine does not read them)
    std::string
        voice;  // the engine voice chosen from voice/gender/locale: "slt", "rms", "awb", "kal16"
    // What the document asked for, for logs and docs: Bandwidth's voice name, gender, locale.
    std::optional<std::string> requestedVoice, gender, locale;
};

// A nested prompt: SpeakSentence or PlayAudio (PlayAudio's URL as written; resolved at run time).
struct GatherPrompt {
    bool speak = true;
    SpeakSentence sentence;                       // when speak
    std::string url;                              // when !speak
    std::optional<BasicCredentials> credentials;  // when !speak: for fetching `url`
};

struct Gather {
    // gatherUrl (may be relative; absent: the digits are dropped), gatherFallbackUrl, credentials.
    std::optional<CallbackTarget> gather;
    std::optional<std::string> tag;
    std::string terminatingDigits;  // any of these ends the Gather (not included in `digits`)
    int maxDigits = 50;             // 1..50
    double interDigitTimeout = 5;   // seconds, 1..60
    double firstDigitTimeout = 5;   // seconds, 0..3600, counted after the prompts played
    int repeatCount = 1;            // 1..25: times the prompts play when no digit comes
    std::vector<GatherPrompt> prompts;
};

struct StartGather {
    CallbackTarget dtmf;  // dtmfUrl (required; may be relative): one `dtmf` event per digit
    std::optional<std::string> tag;
};

struct StopGather {};

// Bandwidth's voice / gender / locale → one of the engine's voices. Throws BxmlError (with
// `where`) for a gender that is not male/female or a malformed locale or voice name.
std::string chooseVoice(const std::string& where, const std::optional<std::string>& voice,
                        const std::optional<std::string>& gender,
                        const std::optional<std::string>& locale);

}  // namespace sb::voice::bxml
