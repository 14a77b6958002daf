#include "server/sip/endpoint/DtmfInfo.hpp"

namespace sb::sip {

namespace {

constexpr std::string_view kDigits = "0123456789*#ABCD";

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
    return s;
}

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equalsNoCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

bool allDigits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

// A signal value: a digit character, or an RFC 4733 §3.2 event code (0-16).
DtmfInfo signal(std::string_view value) {
    DtmfInfo out;
    value = trim(value);
    if (value.size() == 1) {
        char c = value[0];
        if (c >= 'a' && c <= 'd') c = static_cast<char>(c - 'a' + 'A');
        if (c == '!') {
            out.kind = DtmfInfo::Kind::NotADigit;
            return out;
        }
        if (kDigits.find(c) != std::string_view::npos) {
            out.kind = DtmfInfo::Kind::Digit;
            out.digit = c;
        }
        return out;  // Malformed unless a digit
    }
    // Two characters at most: "10" … "16" (leading zeros are not an event code anyone sends).
    if (value.size() == 2 && allDigits(value) && value[0] == '1') {
        const int code = 10 + (value[1] - '0');
        if (code <= 15) {
            out.kind = DtmfInfo::Kind::Digit;
            out.digit = kDigits[static_cast<std::size_t>(code)];
        } else if (code == 16) {
            out.kind = DtmfInfo::Kind::NotADigit;  // flash (RFC 4733 §3.2)
        }
    }
    return out;
}

DtmfInfo dtmfRelay(std::string_view body) {
    std::optional<DtmfInfo> result;
    bool durationSeen = false;
    while (!body.empty()) {
        const auto eol = body.find('\n');
        std::string_view line = body.substr(0, eol);
        body = eol == std::string_view::npos ? std::string_view{} : body.substr(eol + 1);
        line = trim(line);
        if (line.empty()) continue;
        const auto eq = line.find('=');
        if (eq == std::string_view::npos) return {};  // not Key=Value
        const auto key = trim(line.substr(0, eq));
        const auto value = trim(line.substr(eq + 1));
        if (equalsNoCase(key, "Signal")) {
            if (result) return {};  // two signals: which one?
            result = signal(value);
            if (result->kind == DtmfInfo::Kind::Malformed) return {};
        } else if (equalsNoCase(key, "Duration")) {
            // Milliseconds; bounded so that a 1 KB run of digits is still "malformed", not huge.
            if (durationSeen || !allDigits(value) || value.size() > 6) return {};
            durationSeen = true;
        } else if (key.empty()) {
            return {};
        }
        // Other keys are ignored (forward compatible, as receivers of this format do).
    }
    return result ? *result : DtmfInfo{};
}

}  // namespace

DtmfInfo parseDtmfInfo(std::string_view contentType, std::string_view body) {
    DtmfInfo out;
    std::string_view type = contentType.substr(0, contentType.find(';'));  // drop parameters
    type = trim(type);
    if (type.empty()) {
        out.kind = trim(body).empty() ? DtmfInfo::Kind::Empty : DtmfInfo::Kind::Unsupported;
        return out;
    }
    const bool relay = equalsNoCase(type, "application/dtmf-relay");
    if (!relay && !equalsNoCase(type, "application/dtmf")) {
        out.kind = DtmfInfo::Kind::Unsupported;
        return out;
    }
    if (body.size() > kDtmfInfoMaxBody) return out;
    return relay ? dtmfRelay(body) : signal(body);
}

}  // namespace sb::sip
