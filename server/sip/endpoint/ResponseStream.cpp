#include "server/sip/endpoint/ResponseStream.hpp"

#include <cctype>

namespace sb::sip {

namespace {

bool sameName(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) !=
            std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

// The Content-Length of a header block (its long or compact form "l", §7.3.3 and §20.14; header
// names are case-insensitive, §7.3.1), 0 when absent, -1 when it is not a number or too large.
long contentLength(std::string_view headers) {
    std::size_t pos = 0;
    while (pos < headers.size()) {
        std::size_t end = headers.find("\r\n", pos);
        if (end == std::string_view::npos) end = headers.size();
        std::string_view line = headers.substr(pos, end - pos);
        pos = end + 2;
        std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        std::string_view name = line.substr(0, colon);
        while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
        if (!sameName(name, "content-length") && !sameName(name, "l")) continue;
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
            value.remove_prefix(1);
        long n = 0;
        std::size_t digits = 0;
        for (char c : value) {
            if (c < '0' || c > '9') break;
            n = n * 10 + (c - '0');
            if (++digits > 6) return -1;
        }
        return digits == 0 ? -1 : n;
    }
    return 0;
}

}  // namespace

int statusOf(std::string_view message) {
    constexpr std::string_view kVersion = "SIP/2.0 ";
    if (message.size() < kVersion.size() + 3 || message.substr(0, kVersion.size()) != kVersion)
        return -1;
    int code = 0;
    for (std::size_t i = kVersion.size(); i < kVersion.size() + 3; ++i) {
        char c = message[i];
        if (c < '0' || c > '9') return -1;
        code = code * 10 + (c - '0');
    }
    if (message.size() > kVersion.size() + 3 && message[kVersion.size() + 3] != ' ') return -1;
    return code >= 100 ? code : -1;
}

int takeFinalStatus(std::string& stream) {
    for (;;) {
        // Keep-alive CRLFs between messages (RFC 5626 §3.5.1) are not a message.
        std::size_t start = stream.find_first_not_of("\r\n");
        if (start == std::string::npos) {
            stream.clear();
            return 0;
        }
        stream.erase(0, start);
        std::size_t headerEnd = stream.find("\r\n\r\n");
        if (headerEnd == std::string::npos) {
            // A status line is 12 bytes before its reason phrase: say early when it is not one.
            if (stream.size() >= 12 && statusOf(stream) < 0) return -1;
            return stream.size() > kMaxResponseBytes ? -1 : 0;
        }
        int code = statusOf(stream);
        long body = contentLength(std::string_view(stream).substr(0, headerEnd));
        if (code < 0 || body < 0 ||
            headerEnd + 4 + static_cast<std::size_t>(body) > kMaxResponseBytes)
            return -1;
        if (code >= 200) return code;
        std::size_t total = headerEnd + 4 + static_cast<std::size_t>(body);
        if (stream.size() < total) return 0;
        stream.erase(0, total);
    }
}

}  // namespace sb::sip
