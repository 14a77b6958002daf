#include <arpa/inet.h>

#include <cctype>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "server/app/Config.hpp"
#include "server/base/Log.hpp"
#include "server/bridge/AddressList.hpp"

// The rules a configuration must satisfy beyond its JSON types. Every broken rule is reported
// (switchboard --check-config lists them all), each naming its key.

namespace sb::app {

namespace {

using Report = std::function<void(const std::string&, const std::string&)>;

bool isIpv4Literal(const std::string& s) {
    in_addr a{};
    return inet_pton(AF_INET, s.c_str(), &a) == 1;
}

bool isIpv6Literal(const std::string& s) {
    in6_addr a{};
    return inet_pton(AF_INET6, s.c_str(), &a) == 1;
}

// A host name as RFC 1123 §2.1 allows it: dot-separated labels of 1 to 63 letters, digits and
// hyphens, not starting or ending with a hyphen, 253 characters at most; the last label is not
// all digits (that is how a name is told from a mistyped IPv4 address such as 203.0.113.300).
bool isDnsName(std::string s) {
    if (!s.empty() && s.back() == '.') s.pop_back();  // a fully qualified name's root dot
    if (s.empty() || s.size() > 253) return false;
    std::size_t start = 0;
    bool lastAllDigits = false;
    while (start <= s.size()) {
        auto end = s.find('.', start);
        if (end == std::string::npos) end = s.size();
        const std::string label = s.substr(start, end - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
            return false;
        lastAllDigits = true;
        for (unsigned char ch : label) {
            if (!std::isalnum(ch) && ch != '-') return false;
            lastAllDigits = lastAllDigits && std::isdigit(ch);
        }
        start = end + 1;
    }
    return !lastAllDigits;
}

// An interface name or address prefix for Janus's ice_enforce_list: a comma-separated list
// written inside a quoted string, so neither may appear in an entry.
bool isInterfaceEntry(const std::string& s) {
    if (s.empty() || s.size() > 64) return false;
    for (unsigned char ch : s)
        if (!std::isalnum(ch) && ch != '.' && ch != ':' && ch != '-' && ch != '_') return false;
    return true;
}

void validateNetwork(const Config& c, const Report& bad) {
    if (c.publicAddress) {
        const auto& a = *c.publicAddress;
        if (isIpv6Literal(a))
            bad("publicAddress",
                "an IPv6 address is not supported (Janus runs with IPv6 off and the SIP bridge's "
                "SDP is IPv4); give the IPv4 address or a DNS name");
        else if (a == "0.0.0.0" || a == "255.255.255.255")
            bad("publicAddress", "\"" + a + "\" is not an address a client can reach");
        else if (!isIpv4Literal(a) && !isDnsName(a))
            bad("publicAddress", "\"" + a + "\" is neither an IPv4 address nor a DNS name");
    }
    // Each connected device has two PeerConnections (publish and subscribe), each bundled on one
    // UDP port per interface Janus gathers on: a range of 2 serves one device; size it to
    // 2 x devices x interfaces. Ports below 1024 need privileges Janus does not run with.
    if (c.mediaPortMin < 1024 || c.mediaPortMin >= c.mediaPortMax)
        bad("mediaPorts", "must be \"MIN-MAX\" with 1024 <= MIN < MAX <= 65535, got " +
                              std::to_string(c.mediaPortMin) + "-" +
                              std::to_string(c.mediaPortMax));
    else if (c.sipListen && c.mediaPortMin <= c.rtpPortMax && c.rtpPortMin <= c.mediaPortMax)
        bad("mediaPorts", "overlaps the SIP bridge's RTP ports rtpPortMin-rtpPortMax (" +
                              std::to_string(c.rtpPortMin) + "-" + std::to_string(c.rtpPortMax) +
                              "): both would bind the same UDP ports");
    for (const auto& i : c.mediaInterfaces)
        if (!isInterfaceEntry(i))
            bad("mediaInterfaces", "\"" + i +
                                       "\" is not an interface name or address prefix (1 to 64 "
                                       "letters, digits and . : - _)");
}

}  // namespace

void validateConfig(const Config& c, std::vector<std::string>& problems) {
    auto bad = [&problems](const std::string& key, const std::string& why) {
        problems.push_back(key + ": " + why);
    };
    base::LogLevel lvl;
    if (!base::parseLogLevel(c.logLevel, lvl))
        bad("logLevel", "must be debug, info, warn, error or off");
    if (c.store != "sqlite" && c.store != "memory")
        bad("store", "must be \"sqlite\" or \"memory\"");
    if (c.tokenLifetimeSeconds <= 0) bad("tokenLifetimeSeconds", "must be positive");
    if (c.sessionLifetimeSeconds <= 0) bad("sessionLifetimeSeconds", "must be positive");
    if (c.expirySweepSeconds <= 0) bad("expirySweepSeconds", "must be positive");
    if (c.deviceResumeGraceSeconds < 0 || c.deviceResumeGraceSeconds > 3600)
        bad("deviceResumeGraceSeconds", "must be between 0 and 3600");
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
    validateNetwork(c, bad);
}

void completeConfig(Config& c, std::vector<std::string>& problems) {
    if (!c.turn) return;
    try {
        finishTurnConfig(*c.turn, c.publicAddress.value_or(c.httpAddress));
    } catch (const std::exception& e) {
        std::string what = e.what();
        problems.push_back(what.rfind("config: ", 0) == 0 ? what.substr(8) : what);
    }
}

}  // namespace sb::app
