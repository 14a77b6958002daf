#include "server/app/Config.hpp"

#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <type_traits>

#include "server/app/ConfigJson.hpp"

namespace sb::app {

using nlohmann::json;

namespace {

using config_json::bad;
using config_json::get;

// "MIN-MAX", two decimal port numbers (ConfigValidate.cpp checks the bounds).
void parsePortRange(const std::string& text, std::uint16_t& min, std::uint16_t& max,
                    const std::string& key) {
    const auto dash = text.find('-');
    auto number = [&](const std::string& part) {
        if (part.empty() || part.size() > 5 ||
            part.find_first_not_of("0123456789") != std::string::npos || std::stoul(part) > 65535)
            bad(key, "expected \"MIN-MAX\" (port numbers), got \"" + text + "\"");
        return static_cast<std::uint16_t>(std::stoul(part));
    };
    if (dash == std::string::npos) number("");
    const auto lo = number(text.substr(0, dash));
    const auto hi = number(text.substr(dash + 1));
    min = lo;
    max = hi;
}

}  // namespace

namespace {

// One key of the file into `c`; throws naming the key when its value is wrong.
void applyKey(const std::string& k, const json& v, Config& c) {
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
    } else if (k == "turn")
        c.turn = parseTurnConfig(v);  // server/app/TurnConfig.cpp
    else if (k == "dataDir")
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
    else if (k == "janusAdminKeyFile")
        c.janusAdminKeyFile = get<std::string>(v, k);
    else if (k == "publicAddress")
        c.publicAddress = get<std::string>(v, k);
    else if (k == "mediaPorts")
        parsePortRange(get<std::string>(v, k), c.mediaPortMin, c.mediaPortMax, k);
    else if (k == "mediaInterfaces")
        c.mediaInterfaces = get<std::vector<std::string>>(v, k);
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
    else if (k == "deviceResumeGraceSeconds")
        c.deviceResumeGraceSeconds = get<std::int64_t>(v, k);
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
    else if (k.rfind('_', 0) == 0 || k == "$comment") {
        // keys starting with '_' are comments
    } else {
        bad(k, "unknown key");
    }
}

}  // namespace

std::vector<std::string> configFileProblems(const std::string& path, Config& c) {
    std::ifstream in(path);
    if (!in) return {"cannot read " + path};
    json j;
    try {
        j = json::parse(in);
    } catch (const json::parse_error& e) {
        // nlohmann's message names the line and column: "parse error at line 3, column 5: ..."
        std::string what = e.what();
        const auto at = what.find("parse error");
        return {"not valid JSON: " + (at == std::string::npos ? what : what.substr(at))};
    }
    if (!j.is_object()) return {"not a JSON object"};
    std::vector<std::string> problems;
    for (auto it = j.begin(); it != j.end(); ++it) {
        try {
            applyKey(it.key(), it.value(), c);
        } catch (const std::exception& e) {
            std::string what = e.what();
            problems.push_back(what.rfind("config: ", 0) == 0 ? what.substr(8) : what);
        }
    }
    completeConfig(c, problems);
    validateConfig(c, problems);
    return problems;
}

Config loadConfigFile(const std::string& path, Config c) {
    auto problems = configFileProblems(path, c);
    if (!problems.empty()) config_json::refuse(problems, path + ": ");
    return c;
}

}  // namespace sb::app
