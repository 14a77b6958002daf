#include "server/sip/media/PhraseSplitter.hpp"

namespace sb::sip::media {

namespace {
bool space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool sentenceEnd(char c) {
    return c == '.' || c == '!' || c == '?' || c == ';' || c == ':';
}
}  // namespace

std::vector<std::string> PhraseSplitter::split(const std::string& text) {
    std::vector<std::string> phrases;
    std::string current;
    std::size_t words = 0;
    bool inWord = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        current += c;
        if (!space(c)) {
            if (!inWord) ++words;
            inWord = true;
            continue;
        }
        // A break is only ever taken at a space after a word: "3.5", "e.g." and "1,000" stay whole.
        char before = i > 0 ? text[i - 1] : ' ';
        bool cut = inWord && (sentenceEnd(before) || (before == ',' && words >= kMinWordsAtComma) ||
                              words >= kMaxWords);
        inWord = false;
        if (cut) {
            phrases.push_back(std::move(current));
            current.clear();
            words = 0;
        }
    }
    if (!current.empty()) {
        // Trailing spaces alone are not a phrase: they go with the one before.
        if (words == 0 && !phrases.empty())
            phrases.back() += current;
        else
            phrases.push_back(std::move(current));
    }
    return phrases;
}

}  // namespace sb::sip::media
