#include "server/app/Config.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

#include "server/app/ConfigJson.hpp"
#include "server/base/Log.hpp"
#include "server/bridge/AddressList.hpp"

namespace sb::app {

using nlohmann::json;

namespace {

using config_json::bad;
using config_json::get;

// Also fills what defaults from other keys (turn.urls from the address).
void validate(Config& c) {
    base::LogLevel lvl;
    if (!base::parseLogLevel(c.logLevel, lvl))
        bad("logLevel", "must be debug, info, warn, error or off");
    if (c.store != "sqlite" && c.store != "memory")
        bad("store", "must be \"sqlite\" or \"memory\"");
    if (c.tokenLifetimeSeconds <= 0) bad("tokenLifetimeSeconds", "must be positive");
    if (c.sessionLifetimeSeconds <= 0) bad("sessionLifetimeSeconds", "must be positive");
    if (c.expirySweepSeconds <= 0) bad("expirySweepSeconds", "must be positive");
    if (c.maxParticipantsPerSession == 0) bad("maxParticipantsPerSession", "must be positive");
    if (c.maxBodyBytes == 0) bad("maxBodyBytes", "must be positive");
    if (c.tokenSecret && c.tokenSecret->size() < 32)
        bad("tokenSecret", "must be at least 32 characters");
    if (c.maxUriBytes == 0) bad("maxUriBytes", "must be positive");
    if (c.headerTimeoutSeconds <= 0) bad("headerTimeoutSeconds", "must be positive");
    if (c.bodyTimeoutSeconds <= 0) bad("bodyTimeoutSeconds", "must be positive");
    if (c.maxWebSocketMessageBytes < 1024) bad("maxWebSocketMessageBytes", "must be at least 1024");
    if (c.maxWebSocketQueueBytes < c.maxWebSocketMessageBytes)
        bad("maxWebSocketQueueBytes", "must be at least maxWebSocketMessageBytes");
    if (c.authLockoutSeconds <= 0) bad("authLockoutSeconds", "must be positive");
    if (c.authThrottleAddresses == 0) bad("authThrottleAddresses", "must be positive");
    for (const auto& d : c.demoCallDestinations)
        if (d.empty() || d.size() > 32)
            bad("demoCallDestinations", "entries must be 1 to 32 characters");
    if (c.rtpPortMin >= c.rtpPortMax) bad("rtpPortMin", "must be below rtpPortMax");
    if (c.participantLifetimeSeconds <= 0) bad("participantLifetimeSeconds", "must be positive");
    try {
        bridge::AddressList checked(c.sipTrunkAddresses);
    } catch (const std::invalid_argument& e) {
        bad("sipTrunkAddresses", e.what());
    }
    if (c.sipMaxMessageBytes < 1024 || c.sipMaxMessageBytes > std::size_t{16} * 1024 * 1024)
        bad("sipMaxMessageBytes", "must be between 1024 and 16777216");
    if (c.sipTcpIdleSeconds == 0 || c.sipTcpIdleSeconds > 86400)
        bad("sipTcpIdleSeconds", "must be between 1 and 86400");
    if (c.sipMessageTimeoutSeconds == 0 || c.sipMessageTimeoutSeconds > 3600)
        bad("sipMessageTimeoutSeconds", "must be between 1 and 3600");
    if (c.sipSessionExpiresSeconds > 0 &&
        c.sipSessionExpiresSeconds < c.sipMinSessionExpiresSeconds)
        bad("sipSessionExpiresSeconds", "must be 0 or at least sipMinSessionExpiresSeconds");
    if (!(c.rtpInactivitySeconds >= 0) || c.rtpInactivitySeconds > 86400)
        bad("rtpInactivitySeconds", "must be between 0 and 86400");
    if (c.callbackMaxRedirects < 0) bad("callbackMaxRedirects", "must not be negative");
    if (c.sipInfoMaxBodyBytes < 16 || c.sipInfoMaxBodyBytes > 1024)
        bad("sipInfoMaxBodyBytes", "must be between 16 and 1024");
    if (c.sipInfoPerSecond > 1000) bad("sipInfoPerSecond", "must be between 0 and 1000");
    if (c.callbackMaxResponseBytes == 0) bad("callbackMaxResponseBytes", "must be positive");
    if (c.callbackMaxPending == 0) bad("callbackMaxPending", "must be positive");
    if (c.callbackMaxPendingPerCall == 0) bad("callbackMaxPendingPerCall", "must be positive");
    if (c.ttsWorkers < 1 || c.ttsWorkers > 64) bad("ttsWorkers", "must be between 1 and 64");
    if (!(c.playAudioMaxSeconds >= 1 && c.playAudioMaxSeconds <= 86400))
        bad("playAudioMaxSeconds", "must be between 1 and 86400");
    if (c.recordingQueueFrames == 0) bad("recordingQueueFrames", "must be positive");
    if (c.conferenceMaxMembers < 2 || c.conferenceMaxMembers > 1000)
        bad("conferenceMaxMembers", "must be between 2 and 1000");
    if (c.conferenceMaxPerAccount < 1 || c.conferenceMaxPerAccount > 100000)
        bad("conferenceMaxPerAccount", "must be between 1 and 100000");
    if (c.janusMaxMessageBytes < std::size_t{64} * 1024)
        bad("janusMaxMessageBytes", "must be at least 65536 (SDPs are large)");
    if (c.turn) finishTurnConfig(*c.turn, c.httpAddress);
    if (c.demoAccountId) {
        bool known = false;
        for (const auto& a : c.accounts) known = known || a.id == *c.demoAccountId;
        if (!known) bad("demoAccountId", "must be the id of a configured account");
    }
    for (std::size_t i = 0; i < c.accounts.size(); ++i) {
        const auto& a = c.accounts[i];
        std::string key = "accounts[" + std::to_string(i) + "]";
        if (a.id.empty() || a.username.empty() || a.password.empty())
            bad(key, "id, username and password are required");
        if (a.username.find(':') != std::string::npos)
            bad(key + ".username", "must not contain ':'");
        if (a.maxSessions == 0) bad(key + ".maxSessions", "must be positive");
        if (a.maxParticipants == 0) bad(key + ".maxParticipants", "must be positive");
        for (std::size_t k = 0; k < i; ++k) {
            if (c.accounts[k].id == a.id) bad(key + ".id", "duplicate account id " + a.id);
            if (c.accounts[k].username == a.username) bad(key + ".username", "duplicate username");
        }
    }
}

}  // namespace

Config loadConfigFile(const std::string& path, Config c) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("config: cannot read " + path);
    json j = json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        throw std::runtime_error("config: " + path + " is not a JSON object");
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string& k = it.key();
        const json& v = it.value();
        if (k == "http")
            config_json::setHttp(get<std::string>(v, k), c, k);
        else if (k == "tls")
            c.tls = config_json::parseTls(v);
        else if (k == "adminHttp") {
            std::string text = v.is_null() ? std::string() : get<std::string>(v, k);
            if (text.empty())
                c.adminHttp.reset();
            else {
                parseHostPort(text, k);  // only to check it
                c.adminHttp = text;
            }
        } else if (k == "dataDir")
            c.dataDir = get<std::string>(v, k);
        else if (k == "store")
            c.store = get<std::string>(v, k);
        else if (k == "storeCache")
            c.storeCache = get<bool>(v, k);
        else if (k == "threads")
            c.threads = get<unsigned>(v, k);
        else if (k == "logLevel")
            c.logLevel = get<std::string>(v, k);
        else if (k == "requestLog")
            c.requestLog = get<bool>(v, k);
        else if (k == "tokenSecret")
            c.tokenSecret = get<std::string>(v, k);
        else if (k == "tokenIssuer")
            c.tokenIssuer = get<std::string>(v, k);
        else if (k == "tokenLifetimeSeconds")
            c.tokenLifetimeSeconds = get<std::int64_t>(v, k);
        else if (k == "sessionLifetimeSeconds")
            c.sessionLifetimeSeconds = get<std::int64_t>(v, k);
        else if (k == "expirySweepSeconds")
            c.expirySweepSeconds = get<std::int64_t>(v, k);
        else if (k == "maxParticipantsPerSession")
            c.maxParticipantsPerSession = get<std::size_t>(v, k);
        else if (k == "maxBodyBytes")
            c.maxBodyBytes = get<std::size_t>(v, k);
        else if (k == "maxHeaderBytes")
            c.maxHeaderBytes = get<std::size_t>(v, k);
        else if (k == "idleTimeoutSeconds")
            c.idleTimeoutSeconds = get<std::int64_t>(v, k);
        else if (k == "rateLimitPerSecond")
            c.rateLimitPerSecond = get<double>(v, k);
        else if (k == "rateLimitBurst")
            c.rateLimitBurst = get<double>(v, k);
        else if (k == "webRoot")
            c.webRoot = get<std::string>(v, k);
        else if (k == "demoAccountId")
            c.demoAccountId = get<std::string>(v, k);
        else if (k == "sipListen")
            c.sipListen = get<std::string>(v, k);
        else if (k == "rtpAddress")
            c.rtpAddress = get<std::string>(v, k);
        else if (k == "rtpPortMin")
            c.rtpPortMin = get<std::uint16_t>(v, k);
        else if (k == "rtpPortMax")
            c.rtpPortMax = get<std::uint16_t>(v, k);
        else if (k == "maxCalls")
            c.maxCalls = get<std::size_t>(v, k);
        else if (k == "sipTrunk")
            c.sipTrunk = get<std::string>(v, k);
        else if (k == "voiceNumbers") {
            if (!v.is_array()) bad(k, "must be an array");
            for (const auto& n : v) {
                VoiceNumber vn{
                    get<std::string>(n.value("number", json()), "voiceNumbers[].number"),
                    get<std::string>(n.value("accountId", json()), "voiceNumbers[].accountId"),
                    n.value("applicationId", std::string()),
                    get<std::string>(n.value("initiateUrl", json()), "voiceNumbers[].initiateUrl"),
                    std::nullopt};
                if (n.contains("disconnectUrl"))
                    vn.disconnectUrl =
                        get<std::string>(n["disconnectUrl"], "voiceNumbers[].disconnectUrl");
                c.voiceNumbers.push_back(std::move(vn));
            }
        } else if (k == "sipTrunkAddresses")
            c.sipTrunkAddresses = get<std::vector<std::string>>(v, k);
        else if (k == "sipMaxMessageBytes")
            c.sipMaxMessageBytes = get<std::size_t>(v, k);
        else if (k == "sipTcp")
            c.sipTcp = get<bool>(v, k);
        else if (k == "sipTcpIdleSeconds")
            c.sipTcpIdleSeconds = get<unsigned>(v, k);
        else if (k == "sipMessageTimeoutSeconds")
            c.sipMessageTimeoutSeconds = get<unsigned>(v, k);
        else if (k == "sipSessionExpiresSeconds")
            c.sipSessionExpiresSeconds = get<unsigned>(v, k);
        else if (k == "sipMinSessionExpiresSeconds")
            c.sipMinSessionExpiresSeconds = get<unsigned>(v, k);
        else if (k == "rtpLatching")
            c.rtpLatching = get<bool>(v, k);
        else if (k == "rtpInactivitySeconds")
            c.rtpInactivitySeconds = get<double>(v, k);
        else if (k == "rtpUnconfirmedPackets")
            c.rtpUnconfirmedPackets = get<std::uint32_t>(v, k);
        else if (k == "janusUrl")
            c.janusUrl = get<std::string>(v, k);
        else if (k == "janusAdminKey")
            c.janusAdminKey = get<std::string>(v, k);
        else if (k == "janusRoomSecret")
            c.janusRoomSecret = get<std::string>(v, k);
        else if (k == "participantLifetimeSeconds")
            c.participantLifetimeSeconds = get<std::int64_t>(v, k);
        else if (k == "maxConnections")
            c.maxConnections = get<std::size_t>(v, k);
        else if (k == "maxConnectionsPerAddress")
            c.maxConnectionsPerAddress = get<std::size_t>(v, k);
        else if (k == "maxUriBytes")
            c.maxUriBytes = get<std::size_t>(v, k);
        else if (k == "headerTimeoutSeconds")
            c.headerTimeoutSeconds = get<std::int64_t>(v, k);
        else if (k == "bodyTimeoutSeconds")
            c.bodyTimeoutSeconds = get<std::int64_t>(v, k);
        else if (k == "maxWebSocketMessageBytes")
            c.maxWebSocketMessageBytes = get<std::size_t>(v, k);
        else if (k == "maxWebSocketQueueBytes")
            c.maxWebSocketQueueBytes = get<std::size_t>(v, k);
        else if (k == "maxDevicesPerParticipant")
            c.maxDevicesPerParticipant = get<std::size_t>(v, k);
        else if (k == "maxDevicesPerAccount")
            c.maxDevicesPerAccount = get<std::size_t>(v, k);
        else if (k == "maxDiagnosticsBytes")
            c.maxDiagnosticsBytes = get<std::size_t>(v, k);
        else if (k == "authMaxFailures")
            c.authMaxFailures = get<std::size_t>(v, k);
        else if (k == "authLockoutSeconds")
            c.authLockoutSeconds = get<std::int64_t>(v, k);
        else if (k == "authThrottleAddresses")
            c.authThrottleAddresses = get<std::size_t>(v, k);
        else if (k == "demoTrustLocalClients")
            c.demoTrustLocalClients = get<bool>(v, k);
        else if (k == "demoCallDestinations")
            c.demoCallDestinations = get<std::vector<std::string>>(v, k);
        else if (k == "accounts") {
            if (!v.is_array()) bad(k, "must be an array");
            c.accounts.clear();
            for (const auto& a : v) {
                if (!a.is_object()) bad(k, "entries must be objects");
                Account acc{get<std::string>(a.value("id", json()), "accounts[].id"),
                            get<std::string>(a.value("username", json()), "accounts[].username"),
                            get<std::string>(a.value("password", json()), "accounts[].password"),
                            {},
                            5,
                            10};
                if (a.contains("allowedDestinations"))
                    acc.allowedDestinations = get<std::vector<std::string>>(
                        a["allowedDestinations"], "accounts[].allowedDestinations");
                if (a.contains("maxConcurrentCalls"))
                    acc.maxConcurrentCalls =
                        get<std::size_t>(a["maxConcurrentCalls"], "accounts[].maxConcurrentCalls");
                if (a.contains("maxCallsPerMinute"))
                    acc.maxCallsPerMinute =
                        get<std::size_t>(a["maxCallsPerMinute"], "accounts[].maxCallsPerMinute");
                if (a.contains("maxSessions"))
                    acc.maxSessions = get<std::size_t>(a["maxSessions"], "accounts[].maxSessions");
                if (a.contains("maxParticipants"))
                    acc.maxParticipants =
                        get<std::size_t>(a["maxParticipants"], "accounts[].maxParticipants");
                if (a.contains("allowedCallbackNetworks"))
                    acc.allowedCallbackNetworks = get<std::vector<std::string>>(
                        a["allowedCallbackNetworks"], "accounts[].allowedCallbackNetworks");
                c.accounts.push_back(std::move(acc));
            }
        } else if (k == "callbackMaxRedirects")
            c.callbackMaxRedirects = get<int>(v, k);
        else if (k == "callbackMaxResponseBytes")
            c.callbackMaxResponseBytes = get<std::size_t>(v, k);
        else if (k == "callbackMaxPending")
            c.callbackMaxPending = get<std::size_t>(v, k);
        else if (k == "callbackMaxPendingPerCall")
            c.callbackMaxPendingPerCall = get<std::size_t>(v, k);
        else if (k == "callbackCaFile")
            c.callbackCaFile = get<std::string>(v, k);  // callbacks (issue 9)
        else if (k == "janusMaxMessageBytes")
            c.janusMaxMessageBytes = get<std::size_t>(v, k);
        else if (k == "ttsWorkers")
            c.ttsWorkers = get<std::size_t>(v, k);
        else if (k == "ttsCacheBytes")
            c.ttsCacheBytes = get<std::size_t>(v, k);
        else if (k == "playAudioMaxSeconds")
            c.playAudioMaxSeconds = get<double>(v, k);
        else if (k == "recordingMaxBytesPerAccount")
            c.recordingMaxBytesPerAccount = get<std::uint64_t>(v, k);
        else if (k == "recordingMaxBytesTotal")
            c.recordingMaxBytesTotal = get<std::uint64_t>(v, k);
        else if (k == "recordingQueueFrames")
            c.recordingQueueFrames = get<std::size_t>(v, k);
        else if (k == "conferenceMaxMembers")
            c.conferenceMaxMembers = get<std::size_t>(v, k);  // conf
        else if (k == "conferenceMaxPerAccount")
            c.conferenceMaxPerAccount = get<std::size_t>(v, k);
        else if (k == "sipInfoMaxBodyBytes")
            c.sipInfoMaxBodyBytes = get<std::size_t>(v, k);  // info
        else if (k == "sipInfoPerSecond")
            c.sipInfoPerSecond = get<unsigned>(v, k);  // info
        else if (k == "turn")
            c.turn = parseTurnConfig(v);  // server/app/TurnConfig.cpp
        else if (k.rfind('_', 0) == 0 || k == "$comment") {
            // keys starting with '_' are comments
        } else {
            bad(k, "unknown key");
        }
    }
    validate(c);
    return c;
}

const char* usage() {
    return "usage: switchboard [--config FILE] [--http ADDR:PORT] [--data-dir DIR]\n"
           "                   [--store sqlite|memory] [--threads N] [--log-level LEVEL]\n"
           "  --config FILE     JSON configuration (see config/switchboard.example.json)\n"
           "  --http ADDR:PORT  HTTP/WebSocket listen address (port 0 picks a free port)\n"
           "  --data-dir DIR    where the SQLite database and generated token secret live\n"
           "  --janus URL       Janus WebSocket API, e.g. ws://127.0.0.1:8188\n"
           "  --sip ADDR:PORT   SIP interconnect (UDP and TCP); port 0 picks a free port\n"
           "  --janus-admin-key KEY  the VideoRoom admin_key Janus was started with\n";
}

Config parseCommandLine(int argc, char** argv, bool& helpRequested) {
    helpRequested = false;
    Config c;
    std::vector<std::string> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i)
        if (args[i] == "--config" && i + 1 < args.size()) c = loadConfigFile(args[i + 1], c);
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&]() -> const std::string& {
            if (i + 1 >= args.size()) throw std::runtime_error(a + " needs a value\n" + usage());
            return args[++i];
        };
        if (a == "-h" || a == "--help")
            helpRequested = true;
        else if (a == "--config")
            value();
        else if (a == "--http")
            config_json::setHttp(value(), c, "--http");
        else if (a == "--data-dir")
            c.dataDir = value();
        else if (a == "--store")
            c.store = value();
        else if (a == "--log-level")
            c.logLevel = value();
        else if (a == "--janus")
            c.janusUrl = value();
        else if (a == "--sip")
            c.sipListen = value();
        else if (a == "--janus-admin-key")
            c.janusAdminKey = value();
        else if (a == "--threads")
            c.threads = static_cast<unsigned>(std::stoul(value()));
        else
            throw std::runtime_error("unknown argument " + a + "\n" + usage());
    }
    validate(c);
    return c;
}

}  // namespace sb::app
