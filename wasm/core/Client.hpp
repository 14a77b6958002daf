#pragma once
// The SDK core as one object: connection state machine, signaling over JSON-RPC, the publishing
// and subscribing connections and the remote stream registry. It is what the exported handle
// wraps; every method and every port callback enters through an EventQueue::Scope so that
// application events are emitted after the work is done, never from inside it.

#include <memory>
#include <string>
#include <vector>

#include "wasm/core/Alive.hpp"
#include "wasm/core/CallQuality.hpp"
#include "wasm/core/EventQueue.hpp"
#include "wasm/core/JsonRpcClient.hpp"
#include "wasm/core/Ports.hpp"
#include "wasm/core/Publisher.hpp"
#include "wasm/core/StreamRegistry.hpp"
#include "wasm/core/Subscriber.hpp"

namespace sb::sdk {

struct ClientListener {
    Fn<void(State state, const Error& cause)> onStateChange;
    Fn<void(const StreamInfo& stream)> onStreamAvailable;
    Fn<void(const std::string& streamId)> onStreamUnavailable;
    // DTMF from a phone this device hears (docs/protocol.md `dtmf`): the notification's params.
    Fn<void(const std::string& paramsJson)> onDtmf;
    // A stream this device receives was muted or unmuted by its publisher, or started or stopped
    // speaking (docs/protocol.md `remoteMuteChange`, `activeSpeakerChange`): the params.
    Fn<void(const std::string& paramsJson)> onRemoteMuteChange;
    Fn<void(const std::string& paramsJson)> onActiveSpeakerChange;
    // A server offer of the subscribing connection failed (subscribe_failed); `streamIds` are
    // the endpointIds it described (Subscriber.hpp says what happens next).
    Fn<void(const Error& error, const std::vector<std::string>& streamIds)> onSubscribeFailed;
    // The token (the one given last) expires within ConnectOptions::tokenExpiryMarginMs: the
    // application gets a fresh one and passes it to updateToken().
    Fn<void(const std::string& token)> onTokenWillExpire;
    // Call quality (CallQuality.hpp, docs/sdk.md "Call quality"): the sample's JSON once a
    // second while connected; a warning raised ({name, …details} JSON); its name when cleared.
    Fn<void(const std::string& sampleJson)> onCallStats;
    Fn<void(const std::string& warningJson)> onQualityWarning;
    Fn<void(const std::string& name)> onQualityWarningCleared;
    // A published track's fallback to the default device (Publisher::trackEnded): its JSON
    // report, with the error when the default device could not be captured or sent.
    Fn<void(const Error& error, const std::string& json)> onDeviceFallback;
    LogFn onLog;
};

struct ConnectOptions {
    std::string websocketUrl;  // e.g. wss://host:port, without /v3/
    std::string token;
    std::string uniqueId;  // kept across reconnects, so the server recognises the device (§2.1)
    std::string sdkVersion;
    std::string client = "browser";
    std::string peerConfigurationJson = "{}";  // RTCConfiguration: iceServers, iceTransportPolicy
    int connectTimeoutMs = 15000;
    // Bounded by connect(): maxRestarts to [0, kMaxIceRestartsLimit], delayMs to
    // [kMinIceRestartDelayMs, kMaxIceRestartDelayMs], disconnectedMs to [kMinIceDisconnectedMs,
    // kMaxIceRestartDelayMs].
    IceRestartPolicy iceRestarts;
    // onTokenWillExpire fires this long before the token's `exp` (at once if that is past).
    int tokenExpiryMarginMs = 60000;
    // The quality warnings' thresholds and hysteresis (CallQuality.hpp).
    QualityThresholds qualityThresholds;
    // The wall clock at connect(), ms since the epoch: the core has no clock of its own. It
    // places onTokenWillExpire and seeds the reconnect jitter.
    double nowMs = 0;
    // The server also sends this device its own streams (`loopback=1`, docs/protocol.md
    // "Connecting"): preflight's round-trip media check.
    bool loopback = false;
};

class Client {
  public:
    static constexpr int kPingIntervalMs = 300000;  // reference §2.5
    // One call-quality sample per interval: the warnings' counts are samples, so seconds.
    static constexpr int kQualityIntervalMs = 1000;
    // Reconnect attempt n (from 0) waits a random time in [d/2, d], d = min(first << n, max):
    // capped exponential backoff with jitter, about 30 to 61 s in all, longer than the server's
    // 30 s resume grace period. The cap is low (1 s) so that a network that comes back is found
    // within a second (bench/reconnect/resume, after a 3 s outage: 2.3 s median with a 5 s cap,
    // 1.25 s with 2 s); an attempt while the network is away costs a refused connection.
    static constexpr int kMaxReconnectAttempts = 62;
    static constexpr int kFirstReconnectDelayMs = 250;
    static constexpr int kMaxReconnectDelayMs = 1000;
    static constexpr int kMaxIceRestartsLimit = 20;
    // The server takes one `restartIce` a second per device (docs/protocol.md "Restarting ICE"):
    // a shorter delay would spend the subscriber's restarts on refusals.
    static constexpr int kMinIceRestartDelayMs = 1000;
    static constexpr int kMinIceDisconnectedMs = 100;
    static constexpr int kMaxIceRestartDelayMs = 60000;

    Client(Platform platform, ClientListener listener);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    // `done` once: connected, or the reason it cannot be (never hangs: errors + timeout).
    void connect(const ConnectOptions& options, Done done);
    void publish(const LocalStream& stream, const std::string& alias,
                 const std::string& codecPreferencesJson, Publisher::PublishDone done);
    // getUserMedia(constraints) first, then publish the stream it gives.
    void publishMedia(const std::string& constraintsJson, const std::string& alias,
                      const std::string& codecPreferencesJson, const Publisher::PublishDone& done);
    void unpublish(std::vector<std::string> streamIds, Done done);
    // Publisher::switchDevice, once connected.
    void switchDevice(const std::string& kind, const std::string& deviceId,
                      const std::string& streamId, Publisher::PublishDone done);
    bool sendDtmf(const std::string& tones, const std::string& streamId);
    void setTracksEnabled(const std::string& kind, bool enabled, const std::string& streamId);
    // "publish" or "subscribe" connection stats as a JSON array.
    void getStats(const std::string& which, Fn<void(const Error&, const std::string&)> done);
    // Sends `leave`, closes the socket (1000), stops published tracks, closes both connections.
    void disconnect();
    // The token of the next (re)connection, a resume included; the call goes on.
    // onTokenWillExpire is placed anew from its `exp`. `nowMs`: as ConnectOptions::nowMs.
    void updateToken(const std::string& token, double nowMs);
    // The network came back (the browser's `online` event, HTML §8.10.1.5): both peer
    // connections restart ICE, as their old candidate pairs may be gone (IceRestarter.hpp).
    void networkOnline();
    // Preflight (Preflight.hpp): how many ICE servers the server's setMediaPreferences result
    // gave, and the publishing connection's TURN error (IceErrorLogger::last).
    int iceServerCount() const { return iceServers_; }
    int iceError() const { return publisher_->iceError(); }

    // `reconnecting` also while a peer connection restarts ICE (the signaling stays connected).
    State state() const {
        return state_ == State::Connected && mediaRestarting_ ? State::Reconnecting : state_;
    }

  private:
    bool transition(Event event, const Error& cause = noError());
    void openSocket();
    void onOpen();
    void onClose(int code);
    void onReady();
    // A server notification: sdpOffer, dtmf, resumed, mediaReset, remoteMuteChange,
    // activeSpeakerChange; others are ignored.
    void onNotification(const std::string& method, const Json& params);
    void watchToken(double nowMs);
    void configurePeers(const Json& preferences);
    void failConnection(const Error& error, Event event = Event::Failure);
    // A peer connection gave up (ice_failed): everything is released, state `failed`.
    void mediaFailed(const Error& error);
    // A peer connection started or stopped restarting ICE: `reconnecting` / `connected` to the
    // application while the signaling is connected.
    void mediaChanged();
    void probeAndFail(bool retryIfReachable);
    void scheduleReconnect();
    void schedulePing();
    void teardown(const Error& reason, bool notify = true);
    // connect()'s `done`, if still due, with `error` (none: connected).
    void settleConnect(const Error& error);
    // Emits, after the current step: done(error) if there is a `done`, else the state change.
    void emit(Done done, State state, const Error& error);
    // The Client's timers share one callback, which tells them apart by `which` (size: one
    // callable type rather than one per timer, bench/size/).
    enum class Timer { Connect, Reconnect, Ping, MediaFail, Token, Quality };
    int startTimer(int delayMs, Timer which);
    void onTimer(Timer which);
    void cancelTimer(int& id);
    void log(LogLevel level, const std::string& message) const;
    // Both connections' getStats(), then one CallQuality sample and its events (ClientQuality.cpp).
    void sampleQuality();
    Fn<void(const Error&, const std::string&)> qualityReportDone(bool subscribing);
    void onQualityReport(const std::string& json, bool subscribing);
    Watch token() const { return alive_.watch(); }

    Platform platform_;
    ClientListener listener_;
    EventQueue events_;
    JsonRpcClient rpc_;
    StreamRegistry registry_;
    std::unique_ptr<Publisher> publisher_;
    std::unique_ptr<Subscriber> subscriber_;
    State state_ = State::Idle;
    ConnectOptions options_;
    std::string url_;
    Done connectDone_;
    std::vector<Json> heldOffers_;  // sdpOffer notifications that came before onReady
    bool socketOpen_ = false;
    int attempts_ = 0;
    int connectTimer_ = 0;
    int reconnectTimer_ = 0;
    int pingTimer_ = 0;
    int mediaFailTimer_ = 0;
    int tokenTimer_ = 0;
    int qualityTimer_ = 0;
    int qualitySample_ = 0;      // the number of the latest sample: older answers are dropped
    std::string qualityReport_;  // the publishing connection's, while the other one's is due
    bool micEnabled_ = true;     // the last setTracksEnabled("audio", …)
    CallQuality quality_;
    // docs/protocol.md "Resuming a device": what setMediaPreferences' `resume` gave (none: a
    // reconnect is a new device, as with a server that keeps no devices), the secret renewed by
    // each `resumed`; resuming_ while the socket being opened asks to resume. Only a lost socket
    // of a device that is connected resumes, so a device released (failed, disconnected) keeps
    // them until the next connect's setMediaPreferences replaces them, unused.
    std::string deviceId_;
    std::string resumeSecret_;
    bool resuming_ = false;
    int iceServers_ = 0;            // iceServerCount()
    unsigned jitter_ = 1;           // the state of the reconnect delays' pseudo-random numbers
    Error mediaError_;              // what mediaFailed() reports when its timer fires
    bool mediaRestarting_ = false;  // what the application was last told of the restarts
    Alive alive_;
};

}  // namespace sb::sdk
