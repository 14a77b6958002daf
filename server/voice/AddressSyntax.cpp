#include "server/voice/AddressSyntax.hpp"

#include <algorithm>

namespace sb::voice {

bool isE164(std::string_view s) {
    if (s.size() < 3 || s.size() > 16 || s[0] != '+' || s[1] < '1' || s[1] > '9') return false;
    return std::all_of(s.begin() + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isSipUri(std::string_view s) {
    bool scheme = s.rfind("sip:", 0) == 0 || s.rfind("sips:", 0) == 0;
    if (!scheme || s.size() > 256) return false;
    auto rest = s.substr(s.find(':') + 1);
    if (rest.empty() || rest.front() == '@' || rest.back() == '@') return false;
    return std::all_of(rest.begin(), rest.end(), [](char c) {
        auto u = static_cast<unsigned char>(c);
        return u > 0x20 && u < 0x7f && c != '<' && c != '>' && c != '"';
    });
}

}  // namespace sb::voice
