#pragma once
// Cuts a SpeakSentence text into the phrases flite synthesizes one after another, so that the
// first audio waits only for the first phrase (issue 9: first syllable within 150 ms). flite
// itself breaks a text file into utterances at sentence ends (flite_ts_to_speech); we also break
// at a comma once the phrase has kMinWordsAtComma words, and cut a run of words with no
// punctuation every kMaxWords, so no phrase is long. The phrases keep every character of the
// text: joined, they are the text again.

#include <cstddef>
#include <string>
#include <vector>

namespace sb::sip::media {

class PhraseSplitter {
  public:
    static constexpr std::size_t kMinWordsAtComma = 3;
    static constexpr std::size_t kMaxWords = 16;
    static std::vector<std::string> split(const std::string& text);
};

}  // namespace sb::sip::media
