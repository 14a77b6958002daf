#include "server/voice/CallIds.hpp"

#include <array>

#include "server/auth/RandomId.hpp"
#include "server/base/Log.hpp"

namespace sb::voice {

namespace {
constexpr std::array<std::size_t, 6> kGroups{8, 8, 4, 4, 4, 12};

bool isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

std::string grouped(std::string_view hex) {
    std::string id = "c";
    std::size_t at = 0;
    for (auto n : kGroups) {
        id += '-';
        id += hex.substr(at, n);
        at += n;
    }
    return id;
}
}  // namespace

std::string newCallId() {
    return grouped(auth::randomHex(20));
}

std::string newErrorId() {
    return auth::randomUuid();
}

std::string reportError(const std::string& callId, const std::string& errorMessage) {
    auto id = newErrorId();
    base::log(base::LogLevel::Warn, "voice: call " + callId + " error " + id + ": " + errorMessage);
    return id;
}

bool isCallId(std::string_view id) {
    if (id.size() != 2 + 40 + 5 || id.substr(0, 1) != "c") return false;
    std::size_t at = 1;
    for (auto n : kGroups) {
        if (id[at++] != '-') return false;
        for (std::size_t k = 0; k < n; ++k)
            if (!isHex(id[at++])) return false;
    }
    return true;
}

std::optional<std::string> callIdFromHex(std::string_view hex) {
    if (hex.size() != 40) return std::nullopt;
    for (char c : hex)
        if (!isHex(c)) return std::nullopt;
    return grouped(hex);
}

}  // namespace sb::voice
