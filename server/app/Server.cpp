#include "server/app/Server.hpp"

#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "server/api/RestApi.hpp"
#include "server/api/SessionErrorReply.hpp"
#include "server/app/MediaWiring.hpp"
#include "server/app/Options.hpp"
#include "server/auth/SecretFile.hpp"
#include "server/base/Log.hpp"
#include "server/bridge/SipBridge.hpp"
#include "server/bridge/VoiceRecorder.hpp"
#include "server/media/MediaOrchestrator.hpp"
#include "server/net/HttpServer.hpp"
#include "server/ops/OpsApi.hpp"
#include "server/signaling/RestoredDevices.hpp"
#include "server/signaling/SignalingService.hpp"
#include "server/state/CommitScope.hpp"
#include "server/state/JournaledSessionStore.hpp"
#include "server/voice/Conferences.hpp"
#include "server/voice/HttpCallbackClient.hpp"
#include "server/voice/ParticipantWebhooks.hpp"
#include "server/voice/RecordingStore.hpp"
#include "server/voice/RecordingWriter.hpp"
#include "server/voice/VoiceApi.hpp"
#include "server/voice/VoiceExecutor.hpp"
#include "server/voice/VoiceService.hpp"
#include "server/web/DemoApp.hpp"
#include "server/web/StaticFiles.hpp"

namespace sb::app {

namespace {

// The voice API and the SIP bridge it places and receives its calls through (when SIP is
// configured), built in dependency order. Destroyed in reverse, after Server::run() stopped the
// bridge: no SIP event reaches the voice API then, and the io_context runs no more tasks.
struct VoiceParts {
    VoiceParts(const Config& c, net::HttpServer& http, const auth::TokenService& tokens,
               session::CallControl& calls, std::shared_ptr<media::MediaOrchestrator> media,
               std::shared_ptr<voice::OutboundPolicy> outboundPolicy)
        : sipAddress(bridgeConfig(c).sip.bindAddress),
          registry(callRegistry(c)),
          outbound(std::move(outboundPolicy)),
          callbacks(http.executor(), callbackOptions(c, outbound)),
          executor(http.executor()),
          publicBaseUrl(std::string(c.tls ? "https://" : "http://") + c.httpAddress + ":" +
                        std::to_string(http.port())),
          recordingWriter(std::make_shared<voice::RecordingWriter>(c.recordingQueueFrames)),
          // The bridge reports to `service`, built next: it hears of calls only once started.
          sip(std::make_shared<bridge::SipBridge>(
              http.executor(), bridgeConfig(c), tokens, calls, std::move(media),
              bridge::BridgeVoice{&service, &callbacks,
                                  std::make_shared<bridge::VoiceRecorder>(recordingWriter)})),
          service(*registry, *sip, callbacks, executor, voiceConfig(c)) {
        sip->start();
    }

    voice::VoiceConfig voiceConfig(const Config& c) {
        voice::VoiceConfig vc;
        vc.publicBaseUrl = publicBaseUrl;
        vc.outbound = outbound;
        vc.maxRedirectHops = c.callbackMaxRedirects;
        // record (issue 9): <dataDir>/recordings, limits from the config
        vc.recordings = std::make_shared<voice::RecordingStore>(
            (std::filesystem::path(c.dataDir) / "recordings").string(),
            voice::RecordingLimits{c.recordingMaxBytesPerAccount, c.recordingMaxBytesTotal});
        auto found = vc.recordings->load();
        base::log(base::LogLevel::Info, "recordings: " + std::to_string(found) + " found");
        // conf (issue 9): <Conference> rooms are WebRTC sessions of the account
        voice::ConferenceLimits cl;
        cl.maxMembers = c.conferenceMaxMembers;
        cl.maxPerAccount = c.conferenceMaxPerAccount;
        vc.conferences = std::make_shared<voice::ConferenceService>(
            sip->conferenceRooms(), callbacks, executor, cl, publicBaseUrl);
        return vc;
    }
    std::string sipUri() const {
        return "sip:" + sipAddress + ":" + std::to_string(sip->sipPort());
    }

    std::string sipAddress;  // the address SIP binds to (sipListen's host)
    std::unique_ptr<voice::CallRegistry> registry;
    std::shared_ptr<voice::OutboundPolicy> outbound;
    voice::HttpCallbackClient callbacks;
    voice::AsioVoiceExecutor executor;
    std::string publicBaseUrl;
    std::shared_ptr<voice::RecordingWriter> recordingWriter;  // record (issue 9)
    std::shared_ptr<bridge::SipBridge> sip;
    voice::VoiceService service;  // places its calls through `sip`
};

}  // namespace

// Every part, built once in dependency order (members are constructed in declaration order and
// destroyed in reverse). Call control and media name each other: media reads membership from
// `calls`, which tells media of changes; `membership` is bound to `calls` before `calls` is built
// and media reads it only once devices connect, after this constructor.
struct Server::Parts {
    explicit Parts(const Config& c);
    void addGauges();
    // The admin and redirect listeners, when configured.
    void listenMore(const Config& c);
    // Deletes what has expired; runs on an HTTP thread every expirySweepSeconds.
    void sweepExpired();

    std::unique_ptr<state::SessionStore> store;
    state::JournaledSessionStore* journaled;  // store, if it is one (group commit), else null
    auth::TokenService tokens;                // asks `calls` (below) about devices' participants
    auth::AccountAuthenticator authenticator;
    base::RateLimiter limiter;
    base::Metrics metrics;
    signaling::DeviceGate gate;
    std::shared_ptr<voice::OutboundPolicy> outbound;  // REST checks, webhooks and the voice API
    std::shared_ptr<signaling::ResumableDevices> resumable;  // devices kept for a resume
    net::Router router{api::translateError};       // filled by the constructor, before serving
    net::Router adminRouter{api::translateError};  // adminHttp: /metrics, /healthz
    net::HttpServer http;                          // its io_context runs every part below
    std::uint16_t adminPort = 0;                   // 0: no admin listener
    std::uint16_t redirectPort = 0;                // 0: no HTTP to HTTPS redirect
    CallControlMembership membership;              // what media reads of call control
    std::shared_ptr<media::MediaOrchestrator> media;
    session::CallControl calls;
    std::shared_ptr<voice::ParticipantWebhooks> webhooks;  // told by signaling
    std::unique_ptr<VoiceParts> voice;                     // when SIP is configured
    std::unique_ptr<web::DemoApp> demo;
};

namespace {
net::HttpServerOptions serverOptions(const Config& c, state::JournaledSessionStore* journal,
                                     net::UpgradeHandler upgrade) {
    auto opts = httpOptions(c);
    if (journal)
        opts.awaitDurable = [journal](std::uint64_t seq, std::function<void(bool)> done) {
            journal->whenDurable(seq, std::move(done));
        };
    opts.upgrade = std::move(upgrade);
    return opts;
}

// Participant webhooks (reference §4.5) through their own HTTP client, with the accounts' outbound
// policy and the callback settings the Voice API uses; SIP need not be configured.
std::shared_ptr<voice::ParticipantWebhooks> participantWebhooks(
    const Config& c, const boost::asio::any_io_executor& executor, session::CallControl& calls,
    std::shared_ptr<voice::OutboundPolicy> outbound) {
    auto client = std::make_shared<voice::HttpCallbackClient>(
        executor, callbackOptions(c, std::move(outbound)));
    auto lookup = [&calls](
                      const std::string& accountId,
                      const std::string& participantId) -> std::optional<voice::WebhookTarget> {
        auto p = calls.findParticipant(accountId, participantId);
        if (!p || !p->callbackUrl) return std::nullopt;
        return voice::WebhookTarget{*p->callbackUrl, p->tag};
    };
    auto clockMs = [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
    return std::make_shared<voice::ParticipantWebhooks>(std::move(client), lookup, clockMs);
}
}  // namespace

Server::Parts::Parts(const Config& c)
    : store(makeStore(c)),
      journaled(dynamic_cast<state::JournaledSessionStore*>(store.get())),
      tokens(c.tokenSecret ? *c.tokenSecret : auth::loadOrCreateSecret(c.dataDir + "/token-secret"),
             c.tokenIssuer, c.tokenLifetimeSeconds,
             // Called for device tokens once serving, when `calls` exists.
             [this](const std::string& a, const std::string& p) {
                 return calls.participantActive(a, p);
             }),
      authenticator(c.accounts, auth::AuthThrottleConfig{c.authMaxFailures,
                                                         std::chrono::seconds(c.authLockoutSeconds),
                                                         c.authThrottleAddresses}),
      limiter(c.rateLimitPerSecond, c.rateLimitBurst),
      gate(tokens, wallClock,
           signaling::DeviceCaps{c.maxDevicesPerParticipant, c.maxDevicesPerAccount}),
      outbound(outboundPolicy(c)),
      resumable(std::make_shared<signaling::ResumableDevices>(
          std::chrono::seconds(c.deviceResumeGraceSeconds))),
      http(serverOptions(c, journaled,
                         // Upgrades arrive once serving, when `media` exists.
                         [this, limits = signaling::SessionLimits{c.maxDiagnosticsBytes},
                          turn = turnCredentials(c)](const net::HttpRequest& request) {
                             return signaling::makeUpgradeHandler(gate, media, limits, turn,
                                                                  webhooks, resumable)(request);
                         }),
           router, metrics),
      membership(calls),
      media(
          std::make_shared<media::MediaOrchestrator>(http.executor(), mediaConfig(c), membership)),
      calls(*store, tokens, callControlLimits(c), wallClock,
            std::make_shared<MediaCallObserver>(media)),
      webhooks(participantWebhooks(c, http.executor(), calls, outbound)) {
    listenMore(c);
    media->start();
    if (!c.janusUrl)
        base::log(base::LogLevel::Warn,
                  "no janusUrl configured: devices can connect but not exchange media");
    if (c.sipListen) voice = std::make_unique<VoiceParts>(c, http, tokens, calls, media, outbound);
    if (c.demoAccountId) {
        web::DemoPhones phones;
        if (voice) phones = {&voice->service, voice->sipUri(), voice->publicBaseUrl};
        demo = std::make_unique<web::DemoApp>(
            calls,
            web::DemoConfig{*c.demoAccountId, c.demoTrustLocalClients, c.demoCallDestinations},
            &authenticator, std::move(phones));
    }

    api::addRestApi(router, {calls, authenticator, limiter, outbound});
    ops::addOpsRoutes(router);
    signaling::addSignalingRoutes(router, gate, resumable);
    if (demo) demo->addRoutes(router);
    if (c.webRoot) router.setFallback(web::staticFiles(*c.webRoot));
    if (voice) voice::addVoiceRoutes(router, {authenticator, limiter}, voice->service);

    addGauges();
    if (voice)
        http.every(std::chrono::seconds(60),
                   [this] { voice->service.purgeEnded(std::chrono::hours(1)); });
    http.every(std::chrono::seconds(c.expirySweepSeconds), [this] { sweepExpired(); });
    http.every(std::chrono::seconds(1), [this] { signaling::releaseExpiredDevices(*resumable); });
    // Sessions survive a restart with the sqlite store: so do the devices that may resume.
    if (c.store != "memory")
        signaling::restoreKeptDevices(
            c.dataDir + "/kept-devices.json",
            {gate, media, signaling::SessionLimits{c.maxDiagnosticsBytes}, turnCredentials(c),
             webhooks, resumable, [this](const std::string& a, const std::string& p) {
                 return calls.participantActive(a, p);
             }});
}

void Server::Parts::listenMore(const Config& c) {
    auto plainOptions = [&c](const std::string& key, const std::string& hostPort) {
        auto opts = httpOptions(c);
        opts.tls.reset();
        auto hp = parseHostPort(hostPort, key);
        opts.address = hp.host;
        opts.port = hp.port;
        return opts;
    };
    try {
        if (c.adminHttp) {
            ops::addAdminRoutes(adminRouter, metrics);
            adminPort = http.listen(plainOptions("adminHttp", *c.adminHttp), adminRouter);
        }
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(std::string("adminHttp: ") + e.what());
    }
    try {
        if (c.tls && c.tls->redirectHttp) {
            auto opts = plainOptions("tls.redirectHttp", *c.tls->redirectHttp);
            redirectPort = http.redirectToHttps(opts.address, opts.port);
        }
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(std::string("tls.redirectHttp: ") + e.what());
    }
}

void Server::Parts::sweepExpired() {
    // The deletions must not each wait for a journal sync. They need not be durable before
    // anything (nobody is told): a sync for a later request covers them, and after power loss the
    // next start's sweep deletes again whatever came back.
    state::CommitScope noWait;
    auto n = calls.purgeExpired();
    if (n.sessions || n.participants)
        base::log(base::LogLevel::Info,
                  "removed " + std::to_string(n.sessions) + " expired sessions and " +
                      std::to_string(n.participants) + " expired participants");
}

void Server::Parts::addGauges() {
    metrics.addGauge({"switchboard_sessions", "Sessions that exist now.",
                      [this] { return static_cast<double>(calls.counts().sessions); }});
    metrics.addGauge({"switchboard_participants", "Participants that exist now.",
                      [this] { return static_cast<double>(calls.counts().participants); }});
    if (journaled)
        metrics.addGauge({"switchboard_journal_syncs",
                          "fdatasync calls of the store journal since start (group commit).",
                          [this] { return static_cast<double>(journaled->journalSyncs()); }});
    metrics.addGauge({"switchboard_devices", "Devices connected to /v3/ now.",
                      [this] { return static_cast<double>(media->stats().devices); }});
    auto mediaGauge = [this](const char* name, const char* help,
                             std::size_t media::MediaOrchestrator::Stats::*field) {
        metrics.addGauge(
            {name, help, [this, field] { return static_cast<double>(media->stats().*field); }});
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
                          return voice ? static_cast<double>(voice->sip->stats().activeCalls) : 0.0;
                      }});
    metrics.addGauge({"switchboard_sip_free_rtp_ports", "RTP ports left for phone legs.", [this] {
                          return voice ? static_cast<double>(voice->sip->freeRtpPorts()) : 0.0;
                      }});
    auto sipCount = [this](const char* name, const char* help,
                           std::uint64_t bridge::BridgeStats::*field) {
        metrics.addGauge({name, help, [this, field] {
                              return voice ? static_cast<double>(voice->sip->stats().*field) : 0.0;
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
                          return voice
                                     ? static_cast<double>(voice->recordingWriter->droppedBlocks())
                                     : 0.0;
                      }});
}

namespace {
Config prepared(Config config) {
    base::LogLevel level = base::LogLevel::Info;
    base::parseLogLevel(config.logLevel, level);
    base::setLogLevel(level);
    std::filesystem::create_directories(config.dataDir);
    ::chmod(config.dataDir.c_str(), 0700);
    return config;
}
}  // namespace

Server::Server(Config config)
    : config_(prepared(std::move(config))), parts_(std::make_unique<Parts>(config_)) {}

Server::~Server() = default;

int Server::run() {
    auto& parts = *parts_;
    parts.sweepExpired();
    if (parts.voice) {
        std::printf("switchboard sip on %s:%u\n", parts.voice->sipAddress.c_str(),
                    parts.voice->sip->sipPort());
        std::fflush(stdout);
    }
    // Printed before the listening line, which tests and scripts wait for: once they see that
    // one, these are there too.
    if (parts.adminPort) {
        std::printf("switchboard admin on http://%s:%u\n",
                    parseHostPort(*config_.adminHttp, "adminHttp").host.c_str(), parts.adminPort);
    }
    if (parts.redirectPort) {
        std::printf("switchboard redirecting http://%s:%u to https\n",
                    parseHostPort(*config_.tls->redirectHttp, "tls.redirectHttp").host.c_str(),
                    parts.redirectPort);
    }
    // Tests and scripts wait for this exact line on stdout to learn the bound port.
    std::printf("switchboard listening on %s://%s:%u\n", config_.tls ? "https" : "http",
                config_.httpAddress.c_str(), parts.http.port());
    std::fflush(stdout);
    base::log(base::LogLevel::Info,
              "listening on " + config_.httpAddress + ":" + std::to_string(parts.http.port()) +
                  " with " + std::to_string(httpOptions(config_).threads) + " threads, store " +
                  config_.store + ", " + std::to_string(config_.accounts.size()) + " accounts");
    parts.http.run();
    // Replies still waiting for the journal sync post to the server's io_contexts: let those
    // callbacks run while the contexts exist.
    if (parts.journaled) parts.journaled->syncAll();
    if (parts.voice) {
        // No SIP event reaches the voice API from here on.
        parts.voice->sip->stop();
        // Recordings still open are closed now, while their completions can still be posted.
        parts.voice->recordingWriter->shutdown();
    }
    // The parts go with the Server, in reverse order of construction: voice, call control and
    // media (which hold timers and sockets of the io_context) before the HTTP server that owns it.
    base::log(base::LogLevel::Info, "stopped");
    return 0;
}

}  // namespace sb::app
