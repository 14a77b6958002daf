#pragma once
// Server configuration: a JSON file (see config/switchboard.example.json, every key documented
// there) overridden by command-line flags.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sb::app {

struct Account {
    std::string id;
    std::string username;
    std::string password;
    // Voice API toll-fraud policy (DESIGN): destinations are ECMAScript regexes matched against
    // the whole `to`; none = this account may not place outbound calls.
    std::vector<std::string> allowedDestinations = {};
    std::size_t maxConcurrentCalls = 5;
    std::size_t maxCallsPerMinute = 10;
    // Non-public networks (CIDR or address: "127.0.0.1", "10.0.0.0/8", "::1") this account's
    // callbacks and PlayAudio URLs may reach; none by default (docs/security.md).
    std::vector<std::string> allowedCallbackNetworks = {};
};

// A number the SIP trunk may deliver calls to, and the application that handles them.
struct VoiceNumber {
    std::string number, accountId, applicationId, initiateUrl;
    std::optional<std::string> disconnectUrl;
};

struct Config {
    std::string httpAddress = "127.0.0.1";
    std::uint16_t httpPort = 8080;
    std::string dataDir = "var";
    std::string store = "sqlite";  // "sqlite" | "memory"
    // sqlite store: keep everything in memory too and journal changes (fast); false: SQLite only.
    bool storeCache = true;
    unsigned threads = 0;          // 0 = one per core
    std::string logLevel = "info";
    bool requestLog = true;

    std::optional<std::string> tokenSecret;  // unset: generated once and kept in dataDir
    std::string tokenIssuer = "switchboard";
    std::int64_t tokenLifetimeSeconds = 9 * 3600;
    std::int64_t sessionLifetimeSeconds = 9 * 3600;  // reference §4.7: sessions purged after 9 h
    std::int64_t expirySweepSeconds = 60;
    std::size_t maxParticipantsPerSession = 20;      // reference §4.7
    std::size_t maxBodyBytes = 64 * 1024;
    std::size_t maxHeaderBytes = 16 * 1024;
    std::int64_t idleTimeoutSeconds = 60;
    double rateLimitPerSecond = 1000;  // per account; 0 = unlimited
    double rateLimitBurst = 2000;

    std::vector<Account> accounts;

    // Static files (demo page, browser SDK) served at "/"; unset: none.
    std::optional<std::string> webRoot;
    // The demo application's /demo/join route acts for this account; unset: the route is off.
    std::optional<std::string> demoAccountId;

    // SIP interconnect. Unset sipListen: no SIP.
    std::optional<std::string> sipListen;     // "127.0.0.1:5060" (UDP and TCP)
    std::string rtpAddress = "127.0.0.1";     // our RTP address for phones
    std::uint16_t rtpPortMin = 30000;
    std::uint16_t rtpPortMax = 31999;
    std::size_t maxCalls = 200;
    std::string sipTrunk;                     // "sip:127.0.0.1:5070": where outbound calls go
    std::vector<VoiceNumber> voiceNumbers;

    // Media engine. Unset janusUrl: signaling works, offers get a media-server error.
    std::optional<std::string> janusUrl;      // ws://127.0.0.1:8188
    std::string janusAdminKey;                 // VideoRoom admin_key (room creation)
    std::optional<std::string> janusRoomSecret;  // unset: random per start

    // Outbound requests and Janus (docs/security.md "Outbound requests and Janus").
    int callbackMaxRedirects = 10;                      // <Redirect>s in a row without time spent
    std::size_t callbackMaxResponseBytes = 1024 * 1024;  // callback replies and PlayAudio files
    std::size_t callbackMaxPending = 1000;               // callbacks under way, all calls
    std::size_t callbackMaxPendingPerCall = 16;          // … for one call
    std::size_t janusMaxMessageBytes = 1024 * 1024;      // a bigger Janus message drops the connection
};

// Throws std::runtime_error naming the offending key or flag.
Config loadConfigFile(const std::string& path, Config base = {});
// Parses argv; `--config FILE` is read first, later flags override it. Sets `helpRequested` for -h.
Config parseCommandLine(int argc, char** argv, bool& helpRequested);
const char* usage();

}  // namespace sb::app
