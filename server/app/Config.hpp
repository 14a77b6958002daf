#pragma once
// Server configuration: a JSON file (see config/switchboard.example.json, every key documented
// there) overridden by command-line flags.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/app/TurnConfig.hpp"
#include "server/auth/Account.hpp"

namespace sb::app {

// An account of the config file (auth/Account.hpp: what authentication needs of it).
using Account = auth::Account;

// A number the SIP trunk may deliver calls to, and the application that handles them.
struct VoiceNumber {
    std::string number, accountId, applicationId, initiateUrl;
    std::optional<std::string> disconnectUrl;
};

// HTTPS and WSS on the http listener (docs/security.md "TLS").
struct TlsConfig {
    std::string certFile;  // PEM chain: the certificate, then the intermediates
    std::string keyFile;   // PEM private key, unencrypted
    // "ADDRESS:PORT" of a plain-HTTP listener answering every request with 308 to https://.
    std::optional<std::string> redirectHttp;
};

struct HostPort {
    std::string host;
    std::uint16_t port = 0;
};

struct Config {
    std::string httpAddress = "127.0.0.1";
    std::uint16_t httpPort = 8080;
    std::optional<TlsConfig> tls;  // unset: plain HTTP and WS
    // The admin listener (/metrics, /healthz), plain HTTP; unset ("" or null in the file): none.
    std::optional<std::string> adminHttp = std::string("127.0.0.1:9090");
    std::string dataDir = "var";
    std::string store = "sqlite";  // "sqlite" | "memory"
    // sqlite store: keep everything in memory too and journal changes (fast); false: SQLite only.
    bool storeCache = true;
    unsigned threads = 0;  // 0 = one per core
    std::string logLevel = "info";
    bool requestLog = true;

    std::optional<std::string> tokenSecret;  // unset: generated once and kept in dataDir
    std::string tokenIssuer = "switchboard";
    std::int64_t tokenLifetimeSeconds = std::int64_t{9} * 3600;
    std::int64_t sessionLifetimeSeconds =
        std::int64_t{9} * 3600;  // reference §4.7: sessions purged after 9 h
    std::int64_t expirySweepSeconds = 60;
    std::size_t maxParticipantsPerSession = 20;  // reference §4.7
    std::size_t maxBodyBytes = std::size_t{64} * 1024;
    std::size_t maxHeaderBytes = std::size_t{16} * 1024;
    std::int64_t idleTimeoutSeconds = 60;
    double rateLimitPerSecond = 1000;  // per account; 0 = unlimited
    double rateLimitBurst = 2000;

    std::vector<Account> accounts;

    // Static files (demo page, browser SDK) served at "/"; unset: none.
    std::optional<std::string> webRoot;
    // The demo application's /demo/join route acts for this account; unset: the route is off.
    std::optional<std::string> demoAccountId;

    // SIP interconnect. Unset sipListen: no SIP.
    std::optional<std::string> sipListen;  // "127.0.0.1:5060" (UDP and TCP)
    std::string rtpAddress = "127.0.0.1";  // our RTP address for phones
    std::uint16_t rtpPortMin = 30000;
    std::uint16_t rtpPortMax = 31999;
    std::size_t maxCalls = 200;
    std::string sipTrunk;  // "sip:127.0.0.1:5070": where outbound calls go
    std::vector<VoiceNumber> voiceNumbers;
    // SIP and RTP limits (docs/security.md "SIP and RTP").
    std::vector<std::string>
        sipTrunkAddresses;  // who may call voiceNumbers; empty: sipTrunk's host
    std::size_t sipMaxMessageBytes = 65536;
    bool sipTcp = true;  // also listen on TCP (same port)
    unsigned sipTcpIdleSeconds = 300;
    unsigned sipMessageTimeoutSeconds = 10;
    unsigned sipSessionExpiresSeconds = 1800;  // RFC 4028; 0 = no session timer
    unsigned sipMinSessionExpiresSeconds = 90;
    bool rtpLatching = false;                   // accept RTP from the first source (NAT)
    double rtpInactivitySeconds = 30;           // 0 = never end a call for silence
    std::uint32_t rtpUnconfirmedPackets = 250;  // sent before the phone's first packet

    // Media engine. Unset janusUrl: signaling works, offers get a media-server error.
    std::optional<std::string> janusUrl;         // ws://127.0.0.1:8188
    std::string janusAdminKey;                   // VideoRoom admin_key (room creation)
    std::optional<std::string> janusRoomSecret;  // unset: random per start
    // A file holding the admin key (used when janusAdminKey is empty); --write-configs creates it
    // with a random key when it does not exist, so Janus and switchboard share one key.
    std::string janusAdminKeyFile;

    // Reachable from other computers (issue 11). The address browsers and phones reach this
    // server at: an IPv4 literal or a DNS name (resolved when used). Unset: nothing is rewritten.
    std::optional<std::string> publicAddress;
    // Janus's fixed ICE/RTP UDP range ("mediaPorts": "20000-20999"), so a firewall rule can name
    // it.
    std::uint16_t mediaPortMin = 20000;
    std::uint16_t mediaPortMax = 20999;
    // Janus's ice_enforce_list: the only interfaces (or address prefixes) it gathers candidates
    // on; empty: all of them.
    std::vector<std::string> mediaInterfaces;

    // Participants are deleted (tokens revoked, removed from their session) this long after they
    // were created, like sessions after sessionLifetimeSeconds.
    std::int64_t participantLifetimeSeconds = std::int64_t{9} * 3600;
    // HTTP and WebSocket limits (docs/security.md "HTTP and WebSocket"); 0 = unlimited for caps.
    std::size_t maxConnections = 10000;          // open connections, HTTP and WebSocket
    std::size_t maxConnectionsPerAddress = 256;  // of those, from one source address
    std::size_t maxUriBytes = 8192;              // request target; longer: 414
    std::int64_t headerTimeoutSeconds = 10;      // to receive a whole request header (slowloris)
    std::int64_t bodyTimeoutSeconds = 30;        // to receive a whole request body
    std::size_t maxWebSocketMessageBytes = std::size_t{256} * 1024;
    std::size_t maxWebSocketQueueBytes =
        std::size_t{1024} * 1024;  // unsent bytes per connection before closing it
    std::size_t maxDevicesPerParticipant =
        4;  // concurrent /v3/ connections per device token's participant
    std::size_t maxDevicesPerAccount = 1000;
    std::size_t maxDiagnosticsBytes = std::size_t{64} * 1024;  // deviceDiagnostics kept per device
    // A resumable device whose WebSocket is lost is kept this long (docs/protocol.md "Resuming a
    // device"); 0: never kept.
    std::int64_t deviceResumeGraceSeconds = 30;
    std::size_t authMaxFailures = 10;      // wrong passwords before a lockout; 0 = no throttling
    std::int64_t authLockoutSeconds = 60;  // the failure window and the lockout
    std::size_t authThrottleAddresses = 10000;  // source addresses remembered (LRU)
    bool demoTrustLocalClients = true;          // demo routes without credentials from this host
    std::vector<std::string>
        demoCallDestinations;  // numbers /demo/call may dial ("+1555*" = prefix)
    // Outbound requests and Janus (docs/security.md "Outbound requests and Janus").
    int callbackMaxRedirects = 10;  // <Redirect>s in a row without time spent
    std::size_t callbackMaxResponseBytes =
        std::size_t{1024} * 1024;                // callback replies and PlayAudio files
    std::size_t callbackMaxPending = 1000;       // callbacks under way, all calls
    std::size_t callbackMaxPendingPerCall = 16;  // … for one call
    std::size_t janusMaxMessageBytes =
        std::size_t{1024} * 1024;  // a bigger Janus message drops the connection
    // ivr (SpeakSentence, PlayAudio)
    std::size_t ttsWorkers = 2;  // threads synthesizing speech and decoding audio files
    std::size_t ttsCacheBytes =
        std::size_t{32} * 1024 * 1024;  // synthesized clips kept per (sentence, voice); 0 = none
    double playAudioMaxSeconds = 3600;  // a PlayAudio file that plays longer is refused
    // callbacks (issue 9)
    std::string
        callbackCaFile;  // extra CA certificates (PEM) trusted for https:// callbacks and audio
    // Recordings (issue 9; docs/security.md "Recordings"). 0 = unlimited for the byte budgets.
    std::uint64_t recordingMaxBytesPerAccount =
        1024ull * 1024 * 1024;                 // WAV files kept per account
    std::uint64_t recordingMaxBytesTotal = 0;  // … for all accounts
    std::size_t recordingQueueFrames = 16384;  // 20 ms blocks waiting for the disk, all calls
    // Conferences (conf, issue 9; docs/security.md "Voice API").
    std::size_t conferenceMaxMembers = 20;     // calls in one conference (Bandwidth: 20)
    std::size_t conferenceMaxPerAccount = 50;  // conferences of one account in progress at once
    // info: DTMF in SIP INFO (docs/security.md "SIP and RTP")
    std::size_t sipInfoMaxBodyBytes = 256;  // a longer INFO body gets 413
    unsigned sipInfoPerSecond =
        20;  // INFO requests per call per second; more: 503; 0: INFO refused
    // TURN (issue 11): the coturn devices may relay media through; unset: no TURN.
    std::optional<TurnConfig> turn;
};

// "ADDRESS:PORT" ("[::1]:80" for IPv6); throws std::runtime_error naming `key` when malformed.
HostPort parseHostPort(const std::string& text, const std::string& key);

// Throws std::runtime_error naming the offending key or flag (every problem found, one a line).
Config loadConfigFile(const std::string& path, Config base = {});
// Every problem of the file, each "key: what is wrong" (JSON syntax errors with line and column);
// empty when the file is a valid configuration.
std::vector<std::string> configFileProblems(const std::string& path, Config& parsed);
// Fills what defaults from other keys (turn.urls from publicAddress or the http address), adding
// a problem for what cannot be filled.
void completeConfig(Config& c, std::vector<std::string>& problems);
// Adds a problem per broken rule of `c` (ConfigValidate.cpp).
void validateConfig(const Config& c, std::vector<std::string>& problems);
// What the command line asks for besides running the server.
struct Command {
    enum class Kind {
        Run,
        Help,
        CheckConfig,
        WriteConfigs,
        PrintFirewall,
        PrintTurnserverConf
    } kind = Kind::Run;
    std::string argument;  // --check-config FILE, --write-configs DIR
};
// Parses argv; `--config FILE` is read first, later flags override it.
Config parseCommandLine(int argc, char** argv, Command& command);
const char* usage();

}  // namespace sb::app
