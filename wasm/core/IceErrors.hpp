#pragma once
// `icecandidateerror` events (W3C WebRTC §4.8.2) as log lines the application sees: a TURN server
// that refuses the credential (error 401, RFC 8656 §7.2 and RFC 8489 §9.2) or does not answer
// (701) otherwise fails silently, and with iceTransportPolicy "relay" no media can flow at all.

#include <string>
#include <utility>
#include <vector>

#include "wasm/core/Ports.hpp"

namespace sb::sdk {

// Logs each (server, error code) once at warn level: the browser reports the same failure again
// for every local address and every ICE restart. A member of the connection's owner, cleared
// for each new connection.
struct IceErrorLogger {
    const char* connection;
    std::vector<std::string> seen;  // at most kMaxRemembered
    int last = 0;  // the last error code, a 401 kept over others (preflight's relay check)

    void operator()(const LogFn& log, const std::string& url, int code, const std::string& text) {
        constexpr std::size_t kMaxRemembered = 32;
        if (last != 401) last = code;
        std::string number = decimal(code);  // made once for the key and the message (size)
        std::string key = url + " " + number;
        if (!log || seen.size() >= kMaxRemembered) return;
        for (const auto& s : seen)
            if (s == key) return;
        seen.push_back(std::move(key));
        // Appended in place rather than a chain of temporaries (size, bench/size/).
        std::string message = connection;
        message += " connection: ICE server ";
        message += url;
        message += " failed (";
        message += number;
        if (!text.empty()) {
            message += " ";
            message += text;
        }
        message += ")";
        if (code == 401) message += ": the TURN server refused the credentials";
        log(LogLevel::Warn, message);
    }
};

}  // namespace sb::sdk
