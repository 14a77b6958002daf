#include "server/app/Options.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "server/app/JanusConfig.hpp"
#include "server/auth/RandomId.hpp"
#include "server/auth/SecretFile.hpp"
#include "server/state/JournaledSessionStore.hpp"
#include "server/state/MemorySessionStore.hpp"
#include "server/state/SqliteSessionStore.hpp"

namespace sb::app {
state::EpochSeconds wallClock() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::unique_ptr<state::SessionStore> makeStore(const Config& c) {
    if (c.store == "memory") return std::make_unique<state::MemorySessionStore>();
    if (c.storeCache)
        return std::make_unique<state::JournaledSessionStore>(c.dataDir + "/switchboard.db");
    state::JournaledSessionStore::applyLeftoverJournal(c.dataDir + "/switchboard.db");
    return std::make_unique<state::SqliteSessionStore>(c.dataDir + "/switchboard.db");
}

session::CallControlLimits callControlLimits(const Config& c) {
    session::CallControlLimits l;
    l.maxParticipantsPerSession = c.maxParticipantsPerSession;
    l.sessionLifetimeSeconds = c.sessionLifetimeSeconds;
    l.participantLifetimeSeconds = c.participantLifetimeSeconds;
    for (const auto& a : c.accounts) l.accountCaps[a.id] = {a.maxSessions, a.maxParticipants};
    return l;
}

net::HttpServerOptions httpOptions(const Config& c) {
    net::HttpServerOptions opts;
    opts.address = c.httpAddress;
    opts.port = c.httpPort;
    opts.threads = c.threads ? c.threads : std::max(1u, std::thread::hardware_concurrency());
    opts.maxBodyBytes = c.maxBodyBytes;
    opts.maxHeaderBytes = c.maxHeaderBytes;
    opts.idleTimeout = std::chrono::seconds(c.idleTimeoutSeconds);
    opts.requestLog = c.requestLog;
    opts.headerTimeout = std::chrono::seconds(c.headerTimeoutSeconds);
    opts.bodyTimeout = std::chrono::seconds(c.bodyTimeoutSeconds);
    opts.maxUriBytes = c.maxUriBytes;
    opts.maxConnections = c.maxConnections;
    opts.maxConnectionsPerAddress = c.maxConnectionsPerAddress;
    opts.wsLimits.maxFrameBytes = c.maxWebSocketMessageBytes;
    opts.wsLimits.maxQueuedBytes = c.maxWebSocketQueueBytes;
    if (c.tls) opts.tls = net::TlsFiles{c.tls->certFile, c.tls->keyFile};
    return opts;
}

media::MediaConfig mediaConfig(const Config& c) {
    media::MediaConfig mc;
    mc.janusUrl = c.janusUrl.value_or("");
    mc.adminKey = configuredAdminKey(c);  // janusAdminKey, else janusAdminKeyFile's
    // Kept in the data dir (not random per start): a restarted process must be able to destroy
    // the rooms its predecessor left in Janus (VideoRoom `destroy` needs the room's secret).
    mc.roomSecret = c.janusRoomSecret ? *c.janusRoomSecret
                                      : auth::loadOrCreateSecret(c.dataDir + "/janus-room-secret");
    mc.maxPublishersPerRoom = static_cast<int>(c.maxParticipantsPerSession);
    mc.janusMaxMessageBytes = c.janusMaxMessageBytes;
    return mc;
}

std::shared_ptr<const auth::TurnCredentials> turnCredentials(const Config& c) {
    if (!c.turn) return nullptr;
    return std::make_shared<const auth::TurnCredentials>(c.turn->secret, c.turn->urls,
                                                         c.turn->credentialLifetimeSeconds);
}

bridge::BridgeConfig bridgeConfig(const Config& c) {
    bridge::BridgeConfig bc;
    auto colon = c.sipListen->rfind(':');
    bc.sip.bindAddress = c.sipListen->substr(0, colon);
    bc.sip.port = static_cast<std::uint16_t>(std::stoi(c.sipListen->substr(colon + 1)));
    bc.sip.maxCalls = c.maxCalls;
    bc.rtpAddress = c.rtpAddress;
    if (c.publicAddress) {
        // Behind 1:1 NAT (issue 11): phones are told the public address; a DNS name is
        // resolved once, here, since SDP carries addresses (and sofia the name as given).
        bc.sip.publicHost = *c.publicAddress;
        bc.publicRtpAddress = publicIpv4(*c.publicAddress);
    }
    bc.rtpPortMin = c.rtpPortMin;
    bc.rtpPortMax = c.rtpPortMax;
    bc.dialogsFile = c.dataDir + "/sip-dialogs.json";
    bc.trunk = c.sipTrunk;
    bc.trunkAddresses = c.sipTrunkAddresses;
    bc.sip.maxMessageBytes = c.sipMaxMessageBytes;
    bc.sip.tcp = c.sipTcp;
    bc.sip.tcpIdleSeconds = c.sipTcpIdleSeconds;
    bc.sip.messageTimeoutSeconds = c.sipMessageTimeoutSeconds;
    bc.sip.sessionExpiresSeconds = c.sipSessionExpiresSeconds;
    bc.sip.minSessionExpiresSeconds = c.sipMinSessionExpiresSeconds;
    bc.sip.infoMaxBodyBytes = c.sipInfoMaxBodyBytes;  // info
    bc.sip.infoPerSecond = c.sipInfoPerSecond;
    bc.rtpGuard.latch = c.rtpLatching;
    bc.rtpGuard.unconfirmedSendLimit = c.rtpUnconfirmedPackets;
    bc.speech.workers = c.ttsWorkers;  // ivr
    bc.speech.cacheBytes = c.ttsCacheBytes;
    bc.playAudioMaxSeconds = c.playAudioMaxSeconds;
    bc.rtpGuard.inactivityTimeout = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(c.rtpInactivitySeconds));
    for (const auto& n : c.voiceNumbers)
        bc.numbers.push_back(
            {n.number, n.accountId, n.applicationId, n.initiateUrl, n.disconnectUrl});
    return bc;
}

std::unique_ptr<voice::CallRegistry> callRegistry(const Config& c) {
    voice::CallPolicy denyAll;
    auto registry = std::make_unique<voice::CallRegistry>(denyAll);
    for (const auto& a : c.accounts) {
        voice::CallPolicy policy;
        policy.allowedDestinations = a.allowedDestinations;
        policy.maxConcurrentCalls = a.maxConcurrentCalls;
        policy.maxCallsPerMinute = a.maxCallsPerMinute;
        registry->setPolicy(a.id, policy);
    }
    return registry;
}

std::shared_ptr<voice::OutboundPolicy> outboundPolicy(const Config& c) {
    auto outbound = std::make_shared<voice::OutboundPolicy>();
    for (std::size_t i = 0; i < c.accounts.size(); ++i) {
        try {
            outbound->allow(c.accounts[i].id, c.accounts[i].allowedCallbackNetworks);
        } catch (const std::invalid_argument& e) {
            throw std::runtime_error("config: accounts[" + std::to_string(i) +
                                     "].allowedCallbackNetworks: " + e.what());
        }
    }
    for (std::size_t i = 0; i < c.voiceNumbers.size(); ++i) {
        const auto& n = c.voiceNumbers[i];
        for (const auto& url : {std::optional<std::string>(n.initiateUrl), n.disconnectUrl})
            if (url)
                if (auto why = outbound->literalRefusal(n.accountId, *url))
                    throw std::runtime_error("config: voiceNumbers[" + std::to_string(i) +
                                             "]: the host of " + *url + " is " + *why);
    }
    return outbound;
}

voice::HttpCallbackOptions callbackOptions(const Config& c,
                                           std::shared_ptr<voice::OutboundPolicy> outbound) {
    voice::HttpCallbackOptions cbo;
    cbo.policy = std::move(outbound);
    cbo.maxResponseBytes = c.callbackMaxResponseBytes;
    cbo.maxPending = c.callbackMaxPending;
    cbo.maxPendingPerCall = c.callbackMaxPendingPerCall;
    cbo.caFile = c.callbackCaFile;  // callbacks (issue 9)
    return cbo;
}

}  // namespace sb::app
