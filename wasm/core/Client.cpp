#include "wasm/core/Client.hpp"

#include <algorithm>

#include "protocol/Methods.hpp"
#include "wasm/core/ConnectionState.hpp"
#include "wasm/core/Errors.hpp"
#include "wasm/core/SignalingUrl.hpp"

namespace sb::sdk {

using Scope = EventQueue::Scope;
namespace method = protocol::method;

Client::Client(Platform platform, ClientListener listener)
    : platform_(platform),
      listener_(std::move(listener)),
      rpc_(platform.timers,
           [this](const std::string& frame) {
               // Frames written while the socket is down are dropped: their requests fail on
               // close (failAll) or by timeout, never hang.
               if (socketOpen_) platform_.socket.send(frame);
           }),
      // The listener's own callbacks, read when each event is emitted (the destructor clears them).
      registry_(events_, listener_.onStreamAvailable, listener_.onStreamUnavailable) {
    // The listener's own callbacks where they are passed on as they are.
    publisher_ = std::make_unique<Publisher>(rpc_, platform_.peers, platform_.media,
                                             platform_.timers, "{}", listener_.onLog);
    Fn<void(const Error&)> onIce = [this](const Error& e) {
        if (e.failed())
            mediaFailed(e);
        else
            mediaChanged();
    };
    publisher_->onIce(onIce);
    Subscriber::Listener subscriberListener;
    subscriberListener.onNegotiationFailed = &listener_.onSubscribeFailed;
    subscriberListener.onIce = onIce;
    subscriber_ =
        std::make_unique<Subscriber>(rpc_, platform_.peers, registry_, events_, platform_.timers,
                                     "{}", std::move(subscriberListener), listener_.onLog);
    rpc_.onNotification(
        [this](const std::string& name, const Json& params) { onNotification(name, params); });
    // Devices: a published track that ended on its own falls back to the default device. Like
    // the connections' callbacks, straight to the publisher, whose report comes last (Publisher
    // ::switched), from a later turn: no Scope is needed around it.
    platform_.media.setHandler(
        [this](const std::string& trackId) { publisher_->trackEnded(trackId); });
    publisher_->onFallback(&listener_.onDeviceFallback);
}

Client::~Client() {
    platform_.media.setHandler(nullptr);
    listener_ = ClientListener{};
    alive_.renew();
    if (socketOpen_) platform_.socket.close(1000);
    // No callback into the application from a destructor (its objects may be gone already).
    teardown(errors::disconnected(), false);
}

void Client::onNotification(const std::string& name, const Json& params) {
    const bool dtmf = name == method::kDtmf, mute = name == method::kRemoteMuteChange;
    if (dtmf || mute || name == method::kActiveSpeakerChange) {
        // `dtmf`, `remoteMuteChange`, `activeSpeakerChange` (docs/protocol.md): their params as
        // they came, for the facade to parse; a notice that names no stream is dropped.
        if (params["endpointId"].isString())
            events_.postText(dtmf   ? &listener_.onDtmf
                             : mute ? &listener_.onRemoteMuteChange
                                    : &listener_.onActiveSpeakerChange,
                             params.dump());
    } else if (name == method::kResumed) {
        // The device is back (docs/protocol.md "Resuming a device"): its connections went on,
        // only the secret for the next resume is new.
        if (!resuming_ || state_ != State::Reconnecting) return;
        resumeSecret_ = params["resumeSecret"].asString();
        publisher_->tellMuted();  // a change may have been lost with the socket
        onReady();
    } else if (name == method::kMediaReset) {
        // The server lost this device's media legs (docs/protocol.md `mediaReset`): the
        // publisher re-offers with an ICE restart; the subscribing connection's far end is gone,
        // so the server's next offer starts a new one.
        if (state_ != State::Connected) return;
        subscriber_->close();
        publisher_->restartIce(true);
        mediaChanged();
    } else if (name != method::kSdpOffer) {
        // A method of a newer server: ignored.
    } else if (state_ == State::Connecting || state_ == State::Reconnecting) {
        // An offer that overtakes the setMediaPreferences result waits for it: the subscribing
        // connection it creates must get the server's ICE servers.
        heldOffers_.push_back(params);
    } else {
        subscriber_->handleOffer(params);
    }
}

void Client::connect(const ConnectOptions& options, Done done) {
    Scope scope(events_);
    if (state_ == State::Connecting || state_ == State::Connected ||
        state_ == State::Reconnecting) {
        if (done)
            done(errors::invalidState("connect() was already called; call disconnect() first"));
        return;
    }
    options_ = options;
    connectDone_ = std::move(done);
    quality_.configure(options.qualityThresholds);
    micEnabled_ = true;
    attempts_ = iceServers_ = 0;
    // Devices dropped together (a server restart) connected at different times: they come
    // back at different times.
    jitter_ = static_cast<unsigned>(static_cast<long long>(options.nowMs));  // the low 32 bits
    options_.iceRestarts.maxRestarts =
        std::clamp(options.iceRestarts.maxRestarts, 0, kMaxIceRestartsLimit);
    options_.iceRestarts.delayMs =
        std::clamp(options.iceRestarts.delayMs, kMinIceRestartDelayMs, kMaxIceRestartDelayMs);
    options_.iceRestarts.disconnectedMs = std::clamp(options.iceRestarts.disconnectedMs,
                                                     kMinIceDisconnectedMs, kMaxIceRestartDelayMs);
    publisher_->configure(options.peerConfigurationJson, options_.iceRestarts);
    subscriber_->configure(options.peerConfigurationJson, options_.iceRestarts);
    transition(Event::Connect);
    connectTimer_ = startTimer(options.connectTimeoutMs, Timer::Connect);
    watchToken(options.nowMs);
    openSocket();
}

void Client::updateToken(const std::string& token, double nowMs) {
    options_.token = token;
    if (state_ == State::Connecting || state_ == State::Connected || state_ == State::Reconnecting)
        watchToken(nowMs);
}

void Client::watchToken(double nowMs) {
    cancelTimer(tokenTimer_);
    double expiry = url::tokenExpiry(options_.token);
    if (expiry <= 0) return;
    // setTimeout's delay is an int32 (HTML §8.6): a token valid for more than 24 days is
    // announced then.
    double delay = expiry * 1000 - options_.tokenExpiryMarginMs - nowMs;
    tokenTimer_ = startTimer(static_cast<int>(std::clamp(delay, 0.0, 2147483647.0)), Timer::Token);
}

void Client::openSocket() {
    socketOpen_ = false;
    // The newest token; after a loss, the device's place back if the server keeps it.
    resuming_ = state_ == State::Reconnecting && !deviceId_.empty();
    url_ = url::signaling(options_.websocketUrl, options_.token, options_.client,
                          options_.sdkVersion, options_.uniqueId, resuming_ ? deviceId_ : "",
                          resumeSecret_, options_.loopback);
    platform_.socket.open(
        url_, [this, alive = token()](SocketEvent event, int code, const std::string& text) {
            if (alive.expired()) return;
            Scope scope(events_);
            if (event == SocketEvent::Open)
                onOpen();
            else if (event == SocketEvent::Close)
                onClose(code);
            else if (!rpc_.handleFrame(text))
                log(LogLevel::Warn, "Ignoring a frame that is not JSON-RPC 2.0");
        });
}

void Client::onOpen() {
    socketOpen_ = true;
    heldOffers_.clear();
    // A resumed device is the server's to greet (`resumed`): its preferences are kept. A greeting
    // that never comes (the connect timeout) counts as a failed attempt.
    if (resuming_) {
        connectTimer_ = startTimer(options_.connectTimeoutMs, Timer::Connect);
        return;
    }
    // The stock SDK sends this once per connect (reference §2.6); we send it on every open
    // because a new socket is a new device session for the server.
    rpc_.request(method::kSetMediaPreferences,
                 *Json::parse(R"({"protocol":"WEBRTC","resumable":true})"),
                 [this, alive = token()](const Error& e, const Json& result) {
                     if (alive.expired()) return;
                     if (!e.failed()) {
                         const Json& resume = result["resume"];
                         deviceId_ = resume["deviceId"].asString();
                         resumeSecret_ = resume["resumeSecret"].asString();
                         configurePeers(result);
                         return onReady();
                     }
                     if (state_ == State::Connecting) return failConnection(e);
                     if (state_ == State::Reconnecting) {
                         socketOpen_ = false;
                         platform_.socket.close(1000);
                         scheduleReconnect();
                     }
                 });
}

void Client::onReady() {
    if (state_ != State::Connecting && state_ != State::Reconnecting) return;
    cancelTimer(connectTimer_);
    attempts_ = 0;
    // A new device session numbers its offers afresh; a resumed one carries on.
    if (state_ == State::Reconnecting && !resuming_) subscriber_->acceptAnyRevision();
    transition(Event::Opened);
    schedulePing();
    if (!qualityTimer_) qualityTimer_ = startTimer(kQualityIntervalMs, Timer::Quality);
    settleConnect(noError());
    // By index, the size read each time: handleOffer copies the offer first, and a failure
    // inside it may clear the list (teardown). Connected now: nothing is added meanwhile.
    for (std::size_t i = 0; i < heldOffers_.size(); ++i) subscriber_->handleOffer(heldOffers_[i]);
    heldOffers_.clear();
}

// The application's RTCConfiguration, with the ICE servers of the setMediaPreferences result
// (docs/protocol.md "ICE servers (TURN)") when the application gave none of its own: an
// application that passes `iceServers`, even an empty list, keeps exactly what it passed.
// Connections that exist already keep their configuration; the next ones get this one.
void Client::configurePeers(const Json& preferences) {
    auto configuration = Json::parse(options_.peerConfigurationJson);
    const Json& offered = preferences["iceServers"];
    if (!configuration || !configuration->isObject() || configuration->has("iceServers") ||
        !offered.isArray())
        return;
    Json servers = Json::array();
    for (const auto& entry : offered.values()) {
        // Only the members of RTCIceServer (W3C WebRTC §4.2.2) that are well-formed: anything
        // else would make the RTCPeerConnection constructor throw.
        const Json& urls = entry["urls"];
        bool urlsValid = urls.isString() || (urls.isArray() && urls.size() > 0);
        // values(): an array's elements; a string has none, an object is refused above.
        for (const auto& u : urls.values()) urlsValid = urlsValid && u.isString();
        if (!urlsValid) continue;
        Json server = Json::object();
        server.set("urls", urls);
        const Json& username = entry["username"];
        if (username.isString()) server.set("username", username);
        const Json& credential = entry["credential"];
        if (credential.isString()) server.set("credential", credential);
        servers.push(std::move(server));
    }
    iceServers_ = static_cast<int>(servers.size());
    if (servers.size() == 0) return;
    log(LogLevel::Debug,
        "Using the server's " + decimal(static_cast<long>(servers.size())) + " ICE server(s)");
    configuration->set("iceServers", std::move(servers));
    publisher_->configure(configuration->dump(), options_.iceRestarts);
    subscriber_->configure(configuration->dump(), options_.iceRestarts);
}

void Client::onClose(int code) {
    socketOpen_ = false;
    rpc_.failAll(errors::socketClosed());
    cancelTimer(pingTimer_);
    log(LogLevel::Info, "Signaling socket closed with code " + decimal(code));
    switch (state_) {
        case State::Connecting:
            probeAndFail(false);
            break;
        case State::Reconnecting:
            probeAndFail(true);
            break;
        case State::Connected:
            // The server ended the call on purpose: 1000 as the stock SDK knows it, or one of our
            // 4000 + HTTP status codes (participant or session deleted, resumed elsewhere;
            // docs/errors.md). A reconnect could only be refused: no reconnect.
            if (code == 1000 || code >= 4000) {
                Error why = code < 4000 ? errors::socketClosed() : errors::endedByServer(code);
                teardown(why);
                transition(Event::Disconnect, why);
            } else {
                transition(Event::Lost);
                scheduleReconnect();
            }
            break;
        default:
            break;
    }
}

void Client::probeAndFail(bool retryIfReachable) {
    // Browsers hide the status of a refused upgrade; the same URL over plain HTTP tells why
    // (docs/protocol.md extension).
    platform_.http.get(url::probe(url_), [this, alive = token(), retryIfReachable](
                                             int status, const std::string& body) {
        if (alive.expired()) return;
        Scope scope(events_);
        Error error = url::classifyProbe(status, body, options_.websocketUrl);
        if (state_ == State::Connecting) {
            failConnection(error);
        } else if (state_ == State::Reconnecting && retryIfReachable) {
            // A refused token (401, 403) or resume (403, 410) will not get better by retrying,
            // and a device that cannot resume has lost its media (not taken back as a new
            // device: the application is told); anything else might, 409 resume_pending
            // included.
            if (status == 401 || status == 403 || status == 410)
                failConnection(error);
            else
                scheduleReconnect();
        }
    });
}

void Client::scheduleReconnect() {
    if (attempts_ >= kMaxReconnectAttempts)
        return failConnection(errors::serverUnreachable(options_.websocketUrl));
    int cap = std::min(kFirstReconnectDelayMs << std::min(attempts_, 8), kMaxReconnectDelayMs);
    jitter_ = jitter_ * 1103515245u + 12345u;  // a linear congruential generator is enough here
    int delay = cap / 2 + static_cast<int>((jitter_ >> 8) % static_cast<unsigned>(cap / 2 + 1));
    ++attempts_;
    reconnectTimer_ = startTimer(delay, Timer::Reconnect);
}

void Client::schedulePing() {
    pingTimer_ = startTimer(kPingIntervalMs, Timer::Ping);
}

int Client::startTimer(int delayMs, Timer which) {
    return platform_.timers.start(delayMs, [this, alive = token(), which]() {
        if (alive.expired()) return;
        Scope scope(events_);
        onTimer(which);
    });
}

void Client::onTimer(Timer which) {
    switch (which) {
        case Timer::Connect:
            connectTimer_ = 0;
            if (state_ == State::Connecting) return failConnection(errors::connectTimeout());
            if (state_ == State::Reconnecting && socketOpen_) {
                // Not 1000, which releases the device: the server may have taken the resume and
                // lost only its greeting, and the next attempt resumes it.
                socketOpen_ = false;
                platform_.socket.close(protocol::kCloseKeepForResume);
                scheduleReconnect();
            }
            break;
        case Timer::Reconnect:
            reconnectTimer_ = 0;
            if (state_ == State::Reconnecting) openSocket();
            break;
        case Timer::Ping:
            pingTimer_ = 0;
            if (state_ != State::Connected) return;
            rpc_.request(method::kPing, Json::object(), nullptr);
            schedulePing();
            break;
        case Timer::Token:
            tokenTimer_ = 0;
            if (listener_.onTokenWillExpire) listener_.onTokenWillExpire(options_.token);
            break;
        case Timer::Quality:
            qualityTimer_ = startTimer(kQualityIntervalMs, Timer::Quality);
            sampleQuality();
            break;
        case Timer::MediaFail: {
            mediaFailTimer_ = 0;
            if (state_ != State::Connected && state_ != State::Reconnecting) return;
            // Signaling may still work: the server is told, as by disconnect(), so it releases
            // the device at once.
            Error error = std::move(mediaError_);
            return failConnection(error, Event::IceFailed);
        }
    }
}

void Client::settleConnect(const Error& error) {
    if (!connectDone_) return;
    emit(std::move(connectDone_), state_, error);
    connectDone_ = nullptr;
}

void Client::emit(Done done, State state, const Error& error) {
    // One callable type for connect()'s `done` and the state changes (bench/size/).
    events_.post([this, done = std::move(done), state, error]() {
        if (done) return done(error);
        if (listener_.onStateChange) listener_.onStateChange(state, error);
    });
}

// The one way to the end of a connection: a failure to connect or reconnect (Failure), a media
// failure (IceFailed) or disconnect(). The last two send `leave` first while the socket is open;
// connect()'s promise, if still pending, settles with `error`.
void Client::failConnection(const Error& error, Event event) {
    if (event != Event::Disconnect) log(LogLevel::Error, "Connection failed: " + error.message);
    if (event != Event::Failure && socketOpen_) rpc_.notify(method::kLeave, Json());
    socketOpen_ = false;
    platform_.socket.close(1000);
    teardown(error);
    transition(event, event == Event::Disconnect ? noError() : error);
    settleConnect(error);
}

void Client::mediaFailed(const Error& error) {
    // Called from inside a peer connection's event: the release waits for the next turn, so
    // that connection is not closed under its own handler.
    if (mediaFailTimer_) return;
    mediaError_ = error;
    mediaFailTimer_ = startTimer(0, Timer::MediaFail);
}

void Client::mediaChanged() {
    bool restarting = publisher_->restarting() || subscriber_->restarting();
    if (restarting == mediaRestarting_) return;
    mediaRestarting_ = restarting;
    if (state_ == State::Connected)
        emit(nullptr, restarting ? State::Reconnecting : State::Connected, noError());
}

void Client::networkOnline() {
    Scope scope(events_);
    if (reconnectTimer_) {
        // The signaling is waiting for its next attempt: the network is back, so try now rather
        // than after the rest of the back-off (bench/reconnect/resume).
        cancelTimer(reconnectTimer_);
        return openSocket();
    }
    if (state_ != State::Connected) return;
    publisher_->restartIce(false);
    subscriber_->restartIce();
}

void Client::teardown(const Error& reason, bool notify) {
    mediaRestarting_ = false;
    cancelTimer(connectTimer_);
    cancelTimer(mediaFailTimer_);
    cancelTimer(reconnectTimer_);
    cancelTimer(pingTimer_);
    cancelTimer(tokenTimer_);
    cancelTimer(qualityTimer_);
    ++qualitySample_;
    // Connections first: their pending callbacks are invalidated before the requests fail.
    publisher_->close(notify);
    subscriber_->close();
    heldOffers_.clear();
    rpc_.failAll(reason);
}

void Client::disconnect() {
    Scope scope(events_);
    if (state_ == State::Idle || state_ == State::Disconnected) return;
    failConnection(errors::disconnected(), Event::Disconnect);
}

void Client::publish(const LocalStream& stream, const std::string& alias,
                     const std::string& codecPreferencesJson, Publisher::PublishDone done) {
    Scope scope(events_);
    if (state_ != State::Connected)
        return done(errors::invalidState("publish() needs a connected client"), noStream());
    publisher_->publish(stream, alias, codecPreferencesJson, std::move(done));
}

void Client::publishMedia(const std::string& constraintsJson, const std::string& alias,
                          const std::string& codecPreferencesJson,
                          const Publisher::PublishDone& done) {
    Scope scope(events_);
    if (state_ != State::Connected)
        return done(errors::invalidState("publish() needs a connected client"), noStream());
    platform_.media.getUserMedia(constraintsJson, [this, alive = token(), alias,
                                                   codecPreferencesJson, done](
                                                      const Error& e, const LocalStream& stream) {
        if (alive.expired()) return;
        if (e.failed()) return done(e, noStream());
        if (state_ != State::Connected) {
            platform_.media.stopStream(stream.id);
            return done(errors::invalidState("The client disconnected during getUserMedia()"),
                        noStream());
        }
        // A stream captured here that could not be published is stopped: the application never
        // received it, so it could not turn the microphone and camera off itself.
        publish(stream, alias, codecPreferencesJson,
                [this, alive, id = stream.id, done](const Error& failure, const StreamInfo& info) {
                    if (failure.failed() && !alive.expired()) platform_.media.stopStream(id);
                    done(failure, info);
                });
    });
}

void Client::switchDevice(const std::string& kind, const std::string& deviceId,
                          const std::string& streamId, Publisher::PublishDone done) {
    Scope scope(events_);
    // Without signaling too (reconnecting): replaceTrack needs no server.
    if (state_ != State::Connected && state_ != State::Reconnecting)
        return done(errors::invalidState("Switching a device needs a connected client"),
                    noStream());
    publisher_->switchDevice(kind, deviceId, streamId, std::move(done));
}

void Client::unpublish(std::vector<std::string> streamIds, Done done) {
    Scope scope(events_);
    publisher_->unpublish(std::move(streamIds), std::move(done));
}

bool Client::sendDtmf(const std::string& tones, const std::string& streamId) {
    Scope scope(events_);
    if (publisher_->sendDtmf(tones, streamId)) return true;
    if (publisher_->streamCount() == 0 || (!streamId.empty() && !publisher_->has(streamId)))
        return false;
    // Janus negotiates no telephone-event with browsers, so RTCDTMFSender cannot send; the
    // server carries the tones to the phones that hear us (docs/protocol.md `sendDtmf`).
    Json params = Json::object();
    params.set("tones", tones);
    rpc_.notify(method::kSendDtmf, std::move(params));
    return true;
}

void Client::setTracksEnabled(const std::string& kind, bool enabled, const std::string& streamId) {
    Scope scope(events_);
    if (kind == "audio") micEnabled_ = enabled;
    publisher_->setTracksEnabled(kind, enabled, streamId);
}

void Client::getStats(const std::string& which, Fn<void(const Error&, const std::string&)> done) {
    if (which == "subscribe")
        subscriber_->getStats(std::move(done));
    else
        publisher_->getStats(std::move(done));
}

bool Client::transition(Event event, const Error& cause) {
    auto next = nextState(state_, event);
    // One message appended to in place rather than a chain of temporaries (size, bench/size/).
    std::string message = next ? "Connection " : "Ignoring event '";
    if (!next) {
        message += toString(event);
        message += "' in state ";
    }
    message += toString(state_);
    if (next) {
        message += " -> ";
        message += toString(*next);
    }
    log(next ? LogLevel::Info : LogLevel::Debug, message);
    if (!next) return false;
    state_ = *next;
    // Emitted after the transition is committed and, under a Scope, after the whole step.
    emit(nullptr, *next, cause);
    return true;
}

void Client::cancelTimer(int& id) {
    if (id) platform_.timers.cancel(id);
    id = 0;
}

void Client::log(LogLevel level, const std::string& message) const {
    if (listener_.onLog) listener_.onLog(level, message);
}

}  // namespace sb::sdk
