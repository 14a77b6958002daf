#include "server/app/Server.hpp"

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "server/api/RestApi.hpp"
#include "server/api/SessionErrorReply.hpp"
#include "server/app/MediaWiring.hpp"
#include "server/auth/RandomId.hpp"
#include "server/auth/SecretFile.hpp"
#include "server/base/Log.hpp"
#include "server/bridge/SipBridge.hpp"
#include "server/bridge/VoiceRecorder.hpp"
#include "server/media/MediaOrchestrator.hpp"
#include "server/net/HttpServer.hpp"
#include "server/ops/OpsApi.hpp"
#include "server/signaling/SignalingService.hpp"
#include "server/state/CommitScope.hpp"
#include "server/state/JournaledSessionStore.hpp"
#include "server/state/MemorySessionStore.hpp"
#include "server/state/SqliteSessionStore.hpp"
#include "server/voice/CallRegistry.hpp"
#include "server/voice/Conferences.hpp"
#include "server/voice/HttpCallbackClient.hpp"
#include "server/voice/RecordingStore.hpp"
#include "server/voice/RecordingWriter.hpp"
#include "server/voice/VoiceApi.hpp"
#include "server/voice/VoiceExecutor.hpp"
#include "server/voice/VoiceService.hpp"
#include "server/web/DemoApp.hpp"
#include "server/web/StaticFiles.hpp"

namespace sb::app {

namespace {
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
}  // namespace

struct Server::Parts {
    explicit Parts(const Config& c)
        : store(makeStore(c)),
          journaled(dynamic_cast<state::JournaledSessionStore*>(store.get())),
          tokens(c.tokenSecret ? *c.tokenSecret
                               : auth::loadOrCreateSecret(c.dataDir + "/token-secret"),
                 c.tokenIssuer, c.tokenLifetimeSeconds,
                 // Called for device tokens once serving, when `calls` exists.
                 [this](const std::string& a, const std::string& p) {
                     return calls.participantActive(a, p);
                 }),
          calls(*store, tokens, callControlLimits(c), wallClock),
          authenticator(c.accounts,
                        auth::AuthThrottleConfig{c.authMaxFailures,
                                                 std::chrono::seconds(c.authLockoutSeconds),
                                                 c.authThrottleAddresses}),
          limiter(c.rateLimitPerSecond, c.rateLimitBurst),
          gate(tokens, wallClock,
               signaling::DeviceCaps{c.maxDevicesPerParticipant, c.maxDevicesPerAccount}) {
        metrics.addGauge({"switchboard_sessions", "Sessions that exist now.",
                          [this] { return static_cast<double>(calls.counts().sessions); }});
        metrics.addGauge({"switchboard_participants", "Participants that exist now.",
                          [this] { return static_cast<double>(calls.counts().participants); }});
        if (journaled)
            metrics.addGauge({"switchboard_journal_syncs",
                              "fdatasync calls of the store journal since start (group commit).",
                              [this] { return static_cast<double>(journaled->journalSyncs()); }});
        api::addRestApi(router, {calls, authenticator, limiter});
        ops::addOpsRoutes(router, metrics);
        signaling::addSignalingRoutes(router, gate);
        if (c.demoAccountId) {
            demo = std::make_unique<web::DemoApp>(
                calls,
                web::DemoConfig{*c.demoAccountId, c.demoTrustLocalClients, c.demoCallDestinations},
                &authenticator);
            demo->addRoutes(router);
        }
        if (c.webRoot) router.setFallback(web::staticFiles(*c.webRoot));
        metrics.addGauge({"switchboard_devices", "Devices connected to /v3/ now.", [this] {
                              return media ? static_cast<double>(media->stats().devices) : 0.0;
                          }});
        auto mediaGauge = [this](const char* name, const char* help,
                                 std::size_t media::MediaOrchestrator::Stats::*field) {
            metrics.addGauge({name, help, [this, field] {
                                  return media ? static_cast<double>(media->stats().*field) : 0.0;
                              }});
        };
        mediaGauge("switchboard_media_rooms", "Janus VideoRooms in use now.",
                   &media::MediaOrchestrator::Stats::rooms);
        mediaGauge("switchboard_media_spare_rooms",
                   "Janus VideoRooms kept for reuse (they hold idle remote publishers).",
                   &media::MediaOrchestrator::Stats::spareRooms);
        mediaGauge("switchboard_media_publishers", "Janus publisher handles of browsers now.",
                   &media::MediaOrchestrator::Stats::publishers);
        mediaGauge("switchboard_media_subscribers", "Janus subscriber handles now.",
                   &media::MediaOrchestrator::Stats::subscribers);
        mediaGauge("switchboard_media_remote_publishers",
                   "Janus remote publishers (phone legs), busy or idle.",
                   &media::MediaOrchestrator::Stats::remotePublishers);
        mediaGauge("switchboard_media_forwarders", "Janus rtp_forwards to phone legs now.",
                   &media::MediaOrchestrator::Stats::forwarders);
        metrics.addGauge({"switchboard_sip_active_calls", "SIP calls bridged now.", [this] {
                              return sip ? static_cast<double>(sip->stats().activeCalls) : 0.0;
                          }});
        metrics.addGauge({"switchboard_sip_free_rtp_ports", "RTP ports left for phone legs.",
                          [this] { return sip ? static_cast<double>(sip->freeRtpPorts()) : 0.0; }});
        auto sipCount = [this](const char* name, const char* help,
                               std::uint64_t bridge::BridgeStats::*field) {
            metrics.addGauge({name, help, [this, field] {
                                  return sip ? static_cast<double>(sip->stats().*field) : 0.0;
                              }});
        };
        sipCount("switchboard_sip_calls_rtp_timeout_total",
                 "Calls ended because the phone's RTP stopped (rtpInactivitySeconds).",
                 &bridge::BridgeStats::callsRtpTimedOut);
        sipCount("switchboard_sip_rtp_foreign_packets_total",
                 "RTP packets of ended calls dropped: not from the phone's address.",
                 &bridge::BridgeStats::rtpForeignPackets);
        sipCount("switchboard_sip_untrusted_trunk_invites_total",
                 "INVITEs for voice numbers refused (403): not from sipTrunkAddresses.",
                 &bridge::BridgeStats::untrustedTrunkInvites);
        sipCount("switchboard_sip_calls_refused_total", "Inbound INVITEs refused.",
                 &bridge::BridgeStats::callsRefused);
        // record (issue 9)
        metrics.addGauge({"switchboard_recording_dropped_blocks_total",
                          "20 ms recording blocks dropped: the disk writer's queue "
                          "(recordingQueueFrames) was full.",
                          [this] {
                              return recordingWriter
                                         ? static_cast<double>(recordingWriter->droppedBlocks())
                                         : 0.0;
                          }});
    }

    std::unique_ptr<state::SessionStore> store;
    state::JournaledSessionStore* journaled;  // store, if it is one (group commit), else null
    auth::TokenService tokens;
    session::CallControl calls;
    CallControlMembership membership{calls};  // what media reads of call control
    auth::AccountAuthenticator authenticator;
    base::RateLimiter limiter;
    base::Metrics metrics;
    net::Router router{api::translateError};
    signaling::DeviceGate gate;
    std::unique_ptr<web::DemoApp> demo;
    std::shared_ptr<media::MediaOrchestrator> media;  // set in run(), before serving
    std::shared_ptr<bridge::SipBridge> sip;           // likewise, when SIP is configured
    std::unique_ptr<voice::CallRegistry> callRegistry;
    std::unique_ptr<voice::HttpCallbackClient> callbacks;
    std::unique_ptr<voice::AsioVoiceExecutor> voiceExecutor;
    std::unique_ptr<voice::VoiceService> voice;
    std::shared_ptr<voice::RecordingWriter> recordingWriter;  // record (issue 9)
};

Server::Server(Config config) : config_(std::move(config)) {
    base::LogLevel level = base::LogLevel::Info;
    base::parseLogLevel(config_.logLevel, level);
    base::setLogLevel(level);
    std::filesystem::create_directories(config_.dataDir);
    ::chmod(config_.dataDir.c_str(), 0700);
    parts_ = std::make_unique<Parts>(config_);
}

Server::~Server() = default;

int Server::run() {
    net::HttpServerOptions opts;
    opts.address = config_.httpAddress;
    opts.port = config_.httpPort;
    opts.threads =
        config_.threads ? config_.threads : std::max(1u, std::thread::hardware_concurrency());
    opts.maxBodyBytes = config_.maxBodyBytes;
    opts.maxHeaderBytes = config_.maxHeaderBytes;
    opts.idleTimeout = std::chrono::seconds(config_.idleTimeoutSeconds);
    opts.requestLog = config_.requestLog;
    opts.headerTimeout = std::chrono::seconds(config_.headerTimeoutSeconds);
    opts.bodyTimeout = std::chrono::seconds(config_.bodyTimeoutSeconds);
    opts.maxUriBytes = config_.maxUriBytes;
    opts.maxConnections = config_.maxConnections;
    opts.maxConnectionsPerAddress = config_.maxConnectionsPerAddress;
    opts.wsLimits.maxFrameBytes = config_.maxWebSocketMessageBytes;
    opts.wsLimits.maxQueuedBytes = config_.maxWebSocketQueueBytes;
    Parts* parts = parts_.get();
    if (auto* journal = parts_->journaled)
        opts.awaitDurable = [journal](std::uint64_t seq, std::function<void(bool)> done) {
            journal->whenDurable(seq, std::move(done));
        };
    signaling::SessionLimits deviceLimits{config_.maxDiagnosticsBytes};
    opts.upgrade = [parts, deviceLimits](const net::HttpRequest& request) {
        return signaling::makeUpgradeHandler(parts->gate, parts->media, deviceLimits)(request);
    };
    net::HttpServer http(opts, parts_->router, parts_->metrics);
    media::MediaConfig mc;
    mc.janusUrl = config_.janusUrl.value_or("");
    mc.adminKey = config_.janusAdminKey;
    mc.roomSecret = config_.janusRoomSecret ? *config_.janusRoomSecret : auth::randomUuid();
    mc.maxPublishersPerRoom = static_cast<int>(config_.maxParticipantsPerSession);
    mc.janusMaxMessageBytes = config_.janusMaxMessageBytes;
    parts_->media =
        std::make_shared<media::MediaOrchestrator>(http.executor(), mc, parts_->membership);
    parts_->calls.setObserver(std::make_shared<MediaCallObserver>(parts_->media));
    parts_->media->start();
    if (!config_.janusUrl)
        base::log(base::LogLevel::Warn,
                  "no janusUrl configured: devices can connect but not exchange media");

    auto& sip = parts_->sip;
    if (config_.sipListen) {
        bridge::BridgeConfig bc;
        auto colon = config_.sipListen->rfind(':');
        bc.sip.bindAddress = config_.sipListen->substr(0, colon);
        bc.sip.port = static_cast<std::uint16_t>(std::stoi(config_.sipListen->substr(colon + 1)));
        bc.sip.maxCalls = config_.maxCalls;
        bc.rtpAddress = config_.rtpAddress;
        bc.rtpPortMin = config_.rtpPortMin;
        bc.rtpPortMax = config_.rtpPortMax;
        bc.trunk = config_.sipTrunk;
        bc.trunkAddresses = config_.sipTrunkAddresses;
        bc.sip.maxMessageBytes = config_.sipMaxMessageBytes;
        bc.sip.tcp = config_.sipTcp;
        bc.sip.tcpIdleSeconds = config_.sipTcpIdleSeconds;
        bc.sip.messageTimeoutSeconds = config_.sipMessageTimeoutSeconds;
        bc.sip.sessionExpiresSeconds = config_.sipSessionExpiresSeconds;
        bc.sip.minSessionExpiresSeconds = config_.sipMinSessionExpiresSeconds;
        bc.sip.infoMaxBodyBytes = config_.sipInfoMaxBodyBytes;  // info
        bc.sip.infoPerSecond = config_.sipInfoPerSecond;
        bc.rtpGuard.latch = config_.rtpLatching;
        bc.rtpGuard.unconfirmedSendLimit = config_.rtpUnconfirmedPackets;
        bc.speech.workers = config_.ttsWorkers;  // ivr
        bc.speech.cacheBytes = config_.ttsCacheBytes;
        bc.playAudioMaxSeconds = config_.playAudioMaxSeconds;
        bc.rtpGuard.inactivityTimeout =
            std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                std::chrono::duration<double>(config_.rtpInactivitySeconds));
        for (const auto& n : config_.voiceNumbers)
            bc.numbers.push_back(
                {n.number, n.accountId, n.applicationId, n.initiateUrl, n.disconnectUrl});
        sip = std::make_shared<bridge::SipBridge>(http.executor(), bc, parts_->tokens,
                                                  parts_->calls, parts_->media);
        sip->start();

        // The voice API places and receives its calls through the bridge.
        voice::CallPolicy denyAll;
        parts_->callRegistry = std::make_unique<voice::CallRegistry>(denyAll);
        for (const auto& a : config_.accounts) {
            voice::CallPolicy policy;
            policy.allowedDestinations = a.allowedDestinations;
            policy.maxConcurrentCalls = a.maxConcurrentCalls;
            policy.maxCallsPerMinute = a.maxCallsPerMinute;
            parts_->callRegistry->setPolicy(a.id, policy);
        }
        auto outbound = std::make_shared<voice::OutboundPolicy>();
        for (std::size_t i = 0; i < config_.accounts.size(); ++i) {
            try {
                outbound->allow(config_.accounts[i].id,
                                config_.accounts[i].allowedCallbackNetworks);
            } catch (const std::invalid_argument& e) {
                throw std::runtime_error("config: accounts[" + std::to_string(i) +
                                         "].allowedCallbackNetworks: " + e.what());
            }
        }
        for (std::size_t i = 0; i < config_.voiceNumbers.size(); ++i) {
            const auto& n = config_.voiceNumbers[i];
            for (const auto& url : {std::optional<std::string>(n.initiateUrl), n.disconnectUrl})
                if (url)
                    if (auto why = outbound->literalRefusal(n.accountId, *url))
                        throw std::runtime_error("config: voiceNumbers[" + std::to_string(i) +
                                                 "]: the host of " + *url + " is " + *why);
        }
        voice::HttpCallbackOptions cbo;
        cbo.policy = outbound;
        cbo.maxResponseBytes = config_.callbackMaxResponseBytes;
        cbo.maxPending = config_.callbackMaxPending;
        cbo.maxPendingPerCall = config_.callbackMaxPendingPerCall;
        cbo.caFile = config_.callbackCaFile;  // callbacks (issue 9)
        parts_->callbacks = std::make_unique<voice::HttpCallbackClient>(http.executor(), cbo);
        parts_->voiceExecutor = std::make_unique<voice::AsioVoiceExecutor>(http.executor());
        voice::VoiceConfig vc;
        vc.publicBaseUrl = "http://" + config_.httpAddress + ":" + std::to_string(http.port());
        vc.outbound = outbound;
        vc.maxRedirectHops = config_.callbackMaxRedirects;
        parts_->voice = std::make_unique<voice::VoiceService>(
            *parts_->callRegistry, *sip, *parts_->callbacks, *parts_->voiceExecutor, vc);
        sip->setVoice(parts_->voice.get(), parts_->callbacks.get());
        {  // record (issue 9): <dataDir>/recordings, limits from the config
            auto store = std::make_shared<voice::RecordingStore>(
                (std::filesystem::path(config_.dataDir) / "recordings").string(),
                voice::RecordingLimits{config_.recordingMaxBytesPerAccount,
                                       config_.recordingMaxBytesTotal});
            auto found = store->load();
            base::log(base::LogLevel::Info, "recordings: " + std::to_string(found) + " found");
            parts_->recordingWriter =
                std::make_shared<voice::RecordingWriter>(config_.recordingQueueFrames);
            sip->setRecorder(std::make_shared<bridge::VoiceRecorder>(parts_->recordingWriter));
            parts_->voice->setRecordings(store);
        }
        {  // conf (issue 9): <Conference> rooms are WebRTC sessions of the account
            voice::ConferenceLimits cl;
            cl.maxMembers = config_.conferenceMaxMembers;
            cl.maxPerAccount = config_.conferenceMaxPerAccount;
            parts_->voice->setConferences(std::make_shared<voice::ConferenceService>(
                sip->conferenceRooms(), *parts_->callbacks, *parts_->voiceExecutor, cl,
                vc.publicBaseUrl));
        }
        voice::addVoiceRoutes(parts_->router, {parts_->authenticator, parts_->limiter},
                              *parts_->voice);
        if (parts_->demo)
            parts_->demo->enablePhones(
                parts_->voice.get(),
                "sip:" + bc.sip.bindAddress + ":" + std::to_string(sip->sipPort()),
                vc.publicBaseUrl);
        http.every(std::chrono::seconds(60),
                   [this] { parts_->voice->purgeEnded(std::chrono::hours(1)); });
        std::printf("switchboard sip on %s:%u\n", bc.sip.bindAddress.c_str(), sip->sipPort());
        std::fflush(stdout);
    }

    auto sweep = [this] {
        // Runs on an HTTP thread: the deletions must not each wait for a journal sync. They need
        // not be durable before anything (nobody is told): a sync for a later request covers them,
        // and after power loss the next start's sweep deletes again whatever came back.
        state::CommitScope noWait;
        auto n = parts_->calls.purgeExpired();
        if (n.sessions || n.participants)
            base::log(base::LogLevel::Info,
                      "removed " + std::to_string(n.sessions) + " expired sessions and " +
                          std::to_string(n.participants) + " expired participants");
    };
    sweep();
    http.every(std::chrono::seconds(config_.expirySweepSeconds), sweep);

    // Tests and scripts wait for this exact line on stdout to learn the bound port.
    std::printf("switchboard listening on http://%s:%u\n", config_.httpAddress.c_str(),
                http.port());
    std::fflush(stdout);
    base::log(base::LogLevel::Info,
              "listening on " + config_.httpAddress + ":" + std::to_string(http.port()) + " with " +
                  std::to_string(opts.threads) + " threads, store " + config_.store + ", " +
                  std::to_string(config_.accounts.size()) + " accounts");
    http.run();
    // Replies still waiting for the journal sync post to the server's io_contexts: let those
    // callbacks run while the contexts exist.
    if (parts_->journaled) parts_->journaled->syncAll();
    if (sip) sip->stop();
    if (sip) sip->setVoice(nullptr, nullptr);
    sip.reset();
    // Recordings still open are closed now, while their completions can still be posted.
    if (parts_->recordingWriter) parts_->recordingWriter->shutdown();
    // Voice objects hold timers of the io_context too; VoiceService after its executor stopped.
    parts_->voice.reset();
    parts_->voiceExecutor.reset();
    parts_->callbacks.reset();
    // Media objects hold Asio timers and sockets of the server's io_context: they must go before
    // it.
    parts_->calls.setObserver(nullptr);
    parts_->media.reset();
    base::log(base::LogLevel::Info, "stopped");
    return 0;
}

}  // namespace sb::app
