#pragma once
// `icecandidateerror` events (W3C WebRTC §4.8.2) as log lines the application sees: a TURN server
// that refuses the credential (error 401, RFC 8656 §7.2 and RFC 8489 §9.2) or does not answer
// (701) otherwise fails silently, and with iceTransportPolicy "relay" no media can flow at all.

#include <string>
#include <vector>

#include "wasm/core/Ports.hpp"

namespace sb::sdk {

// A handler that logs each (server, error code) once at warn level: the browser reports the
// same failure again for every local address and every ICE restart. The copies of an Fn share
// one callable, so they share `seen` too: no shared_ptr, whose control block brings libc++abi's
// type_info classes into the wasm (bench/size/, see Alive.hpp).
struct IceErrorLogger {
    LogFn log;
    std::string connection;
    std::vector<std::string> seen;  // at most kMaxRemembered

    void operator()(const std::string& url, int code, const std::string& text) {
        constexpr std::size_t kMaxRemembered = 32;
        std::string key = url + " " + decimal(code);
        if (!log || seen.size() >= kMaxRemembered) return;
        for (const auto& s : seen)
            if (s == key) return;
        seen.push_back(key);
        std::string message = connection + " connection: ICE server " + url + " failed (" +
                              decimal(code) + (text.empty() ? "" : " " + text) + ")";
        if (code == 401) message += ": the TURN server refused the credentials";
        log(LogLevel::Warn, message);
    }
};

inline Fn<void(const std::string&, int, const std::string&)> iceErrorLogger(
    const LogFn& log, const std::string& connection) {
    return IceErrorLogger{log, connection, {}};
}

}  // namespace sb::sdk
