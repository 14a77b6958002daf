#include "server/base/Utf8.hpp"

#include <algorithm>

namespace sb::base {

namespace {
// Length of the valid UTF-8 sequence at text[i], or 0 if none starts there (RFC 3629 §4).
std::size_t sequenceLength(std::string_view text, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    unsigned char c = byte(i);
    if (c < 0x80) return 1;
    std::size_t n;
    unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c == 0xE0) {
        n = 3;
        lo = 0xA0;
    } else if (c >= 0xE1 && c <= 0xEC)
        n = 3;  // NOLINT(bugprone-branch-clone): one branch per row of RFC 3629's table
    else if (c == 0xED) {
        n = 3;
        hi = 0x9F;
    }  // no UTF-16 surrogates
    else if (c >= 0xEE && c <= 0xEF)
        n = 3;
    else if (c == 0xF0) {
        n = 4;
        lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3)
        n = 4;
    else if (c == 0xF4) {
        n = 4;
        hi = 0x8F;
    }  // nothing above U+10FFFF
    else
        return 0;
    if (i + n > text.size()) return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    return n;
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

bool isValidUtf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        std::size_t n = sequenceLength(text, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::optional<std::size_t> utf8Length(std::string_view text) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < text.size(); ++count) {
        std::size_t n = sequenceLength(text, i);
        if (n == 0) return std::nullopt;
        i += n;
    }
    return count;
}

std::string truncateUtf8(std::string_view text, std::size_t maxBytes) {
    std::size_t end = 0;
    while (end < text.size()) {
        std::size_t n = sequenceLength(text, end);
        if (n == 0) n = 1;  // not valid UTF-8: cut bytewise, the caller validated already
        if (end + n > maxBytes) break;
        end += n;
    }
    return std::string(text.substr(0, end));
}

std::string decodePercent(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        int h = -1, l = -1;
        if (in[i] == '%' && i + 2 < in.size() && (h = hexValue(in[i + 1])) >= 0 &&
            (l = hexValue(in[i + 2])) >= 0) {
            out.push_back(static_cast<char>(h * 16 + l));
            i += 2;
        } else {
            out.push_back(in[i]);
        }
    }
    return out;
}

std::string decodeQueryComponent(std::string_view in) {
    std::string plus(in);
    std::replace(plus.begin(), plus.end(), '+', ' ');
    return decodePercent(plus);
}

std::vector<std::pair<std::string, std::string>> queryPairs(std::string_view query,
                                                            PlusInQuery plus) {
    auto decode = plus == PlusInQuery::Space ? decodeQueryComponent : decodePercent;
    std::vector<std::pair<std::string, std::string>> out;
    while (!query.empty()) {
        auto amp = query.find('&');
        auto item = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (item.empty()) continue;
        auto eq = item.find('=');
        out.emplace_back(decode(item.substr(0, eq)), eq == std::string_view::npos
                                                         ? std::string()
                                                         : decode(item.substr(eq + 1)));
    }
    return out;
}

}  // namespace sb::base
