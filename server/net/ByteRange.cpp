#include "server/net/ByteRange.hpp"

#include <optional>

namespace sb::net {

namespace {
std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// 1*DIGIT, without overflow (19 digits fit in 64 bits).
std::optional<std::uint64_t> number(std::string_view s) {
    if (s.empty() || s.size() > 19) return std::nullopt;
    std::uint64_t n = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return n;
}
}  // namespace

ByteRange parseByteRange(std::string_view header, std::uint64_t size) {
    ByteRange whole;
    header = trim(header);
    constexpr std::string_view kUnit = "bytes=";
    if (header.size() < kUnit.size()) return whole;
    for (std::size_t i = 0; i < kUnit.size(); ++i)  // the range unit is case-insensitive (§14.1)
        if ((header[i] | 0x20) != (kUnit[i] | 0x20)) return whole;
    auto spec = trim(header.substr(kUnit.size()));
    if (spec.find(',') != std::string_view::npos) return whole;
    auto dash = spec.find('-');
    if (dash == std::string_view::npos) return whole;
    auto firstText = trim(spec.substr(0, dash)), lastText = trim(spec.substr(dash + 1));
    ByteRange r;
    r.kind = ByteRange::Kind::Partial;
    if (firstText.empty()) {  // suffix: the last N bytes
        auto n = number(lastText);
        if (!n) return whole;
        if (*n == 0 || size == 0) return {ByteRange::Kind::Unsatisfiable, 0, 0};
        r.first = *n >= size ? 0 : size - *n;
        r.last = size - 1;
        return r;
    }
    auto first = number(firstText);
    if (!first) return whole;
    std::optional<std::uint64_t> last;
    if (!lastText.empty()) {
        last = number(lastText);
        if (!last || *last < *first) return whole;  // §14.1.1: invalid, so ignored
    }
    if (*first >= size) return {ByteRange::Kind::Unsatisfiable, 0, 0};
    r.first = *first;
    r.last = last && *last < size - 1 ? *last : size - 1;
    return r;
}

}  // namespace sb::net
