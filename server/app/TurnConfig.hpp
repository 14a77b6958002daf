#pragma once
// The `turn` object of the config (config/switchboard.example.json): the coturn that relays media
// for devices that cannot reach Janus directly, and the credentials devices get for it
// (docs/protocol.md "ICE servers (TURN)"). Unset: no TURN, devices get no ICE servers.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace sb::app {

struct TurnConfig {
    std::string secret;  // coturn's static-auth-secret; at least 16 characters
    // turn:/turns: URIs (RFC 7065) given to devices; empty: derived from the host and listen port.
    std::vector<std::string> urls;
    bool urlsDerived = false;  // urls were derived, not given: derived again if the host changes
    std::int64_t credentialLifetimeSeconds = 3600;
    std::string listenAddress = "0.0.0.0";  // "listen": where coturn listens (UDP and TCP)
    std::uint16_t listenPort = 3478;
    std::uint16_t relayPortMin = 49152;  // "relayPorts": coturn's relay range (UDP)
    std::uint16_t relayPortMax = 49999;
    std::string realm = "switchboard";
};

// Reads the `turn` object; throws std::runtime_error naming the offending key.
TurnConfig parseTurnConfig(const nlohmann::json& j);
// Checks the values and fills the default urls from `host` (the address browsers reach this server
// at) and the listen port; throws std::runtime_error naming the offending key.
void finishTurnConfig(TurnConfig& t, const std::string& host);
// Whether `url` is a turn:/turns: URI of RFC 7065 §3.1 (without the "//" browsers refuse).
bool isTurnUri(const std::string& url);

}  // namespace sb::app
