#include "server/voice/Calls.hpp"

#include <openssl/rand.h>

#include <array>
#include <cstdio>
#include <ctime>
#include <stdexcept>

#include "server/app/Log.hpp"

namespace sb::voice {

const char* toString(CallDirection d) { return d == CallDirection::Inbound ? "inbound" : "outbound"; }

const char* toString(CallState s) {
    switch (s) {
        case CallState::Initiated: return "initiated";
        case CallState::Ringing: return "ringing";
        case CallState::Answered: return "answered";
        case CallState::Completed: return "completed";
        case CallState::Failed: return "failed";
    }
    return "failed";
}

const char* toString(CallEvent e) {
    switch (e) {
        case CallEvent::Ring: return "ring";
        case CallEvent::Answer: return "answer";
        case CallEvent::Hangup: return "hangup";
        case CallEvent::Cancel: return "cancel";
        case CallEvent::Busy: return "busy";
        case CallEvent::Timeout: return "timeout";
        case CallEvent::Rejected: return "rejected";
        case CallEvent::Error: return "error";
    }
    return "error";
}

const char* bandwidthState(CallState s) {
    switch (s) {
        case CallState::Initiated:
        case CallState::Ringing: return "initiated";
        case CallState::Answered: return "answered";
        case CallState::Completed:
        case CallState::Failed: return "disconnected";
    }
    return "disconnected";
}

bool isTerminal(CallState s) { return s == CallState::Completed || s == CallState::Failed; }

std::optional<CallState> nextState(CallState state, CallEvent event) {
    using S = CallState;
    using E = CallEvent;
    switch (state) {
        case S::Initiated:
        case S::Ringing:
            switch (event) {
                // 180 then 183 (or a repeated 180) keeps ringing; RFC 3261 §13.2.2.1 allows
                // several provisional responses.
                case E::Ring: return S::Ringing;
                // Some trunks answer without any provisional response.
                case E::Answer: return S::Answered;
                // Ended before answer by us or by the caller (inbound CANCEL): not an error.
                case E::Hangup:
                case E::Cancel: return S::Completed;
                case E::Busy:
                case E::Timeout:
                case E::Rejected:
                case E::Error: return S::Failed;
            }
            break;
        case S::Answered:
            switch (event) {
                case E::Answer: return S::Answered;  // retransmitted 200 OK: no-op
                case E::Hangup: return S::Completed;
                case E::Error: return S::Failed;     // the call ended on a BXML/callback/media error
                // Ringing, busy, timeout, rejection and cancel only make sense before answer.
                case E::Ring:
                case E::Cancel:
                case E::Busy:
                case E::Timeout:
                case E::Rejected: return std::nullopt;
            }
            break;
        case S::Completed:
        case S::Failed: return std::nullopt;  // terminal: never left
    }
    return std::nullopt;
}

CallEvent eventForCause(std::string_view c) {
    if (c == cause::kHangup) return CallEvent::Hangup;
    if (c == cause::kCancel) return CallEvent::Cancel;
    if (c == cause::kBusy) return CallEvent::Busy;
    if (c == cause::kTimeout) return CallEvent::Timeout;
    if (c == cause::kRejected) return CallEvent::Rejected;
    return CallEvent::Error;
}

namespace {
constexpr std::array<std::size_t, 6> kGroups{8, 8, 4, 4, 4, 12};

bool isHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

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
    std::array<unsigned char, 20> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) throw std::runtime_error("RAND_bytes failed");
    static const char* digits = "0123456789abcdef";
    std::string hex;
    for (auto b : bytes) {
        hex += digits[b >> 4];
        hex += digits[b & 0x0f];
    }
    return grouped(hex);
}

std::string newErrorId() {
    std::array<unsigned char, 16> b{};
    if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) throw std::runtime_error("RAND_bytes failed");
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // RFC 4122 §4.4: version 4, random
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // … variant 10
    static const char* digits = "0123456789abcdef";
    std::string id;
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) id += '-';
        id += digits[b[i] >> 4];
        id += digits[b[i] & 0x0f];
    }
    return id;
}

std::string reportError(const std::string& callId, const std::string& errorMessage) {
    auto id = newErrorId();
    app::log(app::LogLevel::Warn, "voice: call " + callId + " error " + id + ": " + errorMessage);
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

std::string isoTime(TimePoint t) {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
    auto secs = static_cast<std::time_t>(ms / 1000);
    auto rem = static_cast<int>(ms % 1000);
    if (rem < 0) {  // before 1970: floor, not truncate
        rem += 1000;
        --secs;
    }
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, rem);
    return buf;
}

}  // namespace sb::voice
