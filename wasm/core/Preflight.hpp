#pragma once
// SwitchboardRtc.runPreflight (docs/sdk.md "Preflight"): before a call, whether this browser can
// make one here. Five checks, in this order: signaling (connect() with the token), the microphone
// (captured and published), ICE over host candidates only and round-trip media (one connection with
// `iceServers: []` and the server's loopback, docs/protocol.md "Connecting": the device receives
// its own microphone back through the media server), then ICE through the deployment's TURN
// server (a second connection with `iceTransportPolicy: "relay"`). Each connection is a Client of
// its own (the same Client, twice) that ends with disconnect(): `leave`, then a 1000 close, so the
// server releases the device rather than keeping it for a resume. The measurements are the
// call-quality samples (CallQuality.hpp) of that Client; the verdicts are the functions below,
// tested natively.

#include <string>

#include "wasm/core/Client.hpp"

namespace sb::sdk {

namespace preflight {

// The checks in the order they run; the result names them (kNames in Preflight.cpp).
enum Check { Signaling, Microphone, IceHost, Media, IceRelay, kChecks };
// Worse is larger: the overall status is the largest (a skipped check always follows a failed
// one, so it never decides).
enum Status { Pending, Pass, Warn, Skipped, Fail };

struct Outcome {
    Status status = Pending;
    double ms = -1;  // how long the check took; -1: not measured
    Error error;     // why it warns, fails or was skipped
};

// What the media check measured: the sums of the known values of its samples, averaged in the
// result. rtt, jitter, loss, mos: the order of CallQuality's measured warnings.
struct Measure {
    int samples = 0;  // samples in which the own audio came back
    double sums[4] = {};
    int counts[4] = {};
    // One call-quality sample (its JSON): the inbound stream `endpointId` (the loopback of the
    // published microphone), if its bitrate was above 0. False when it was not.
    bool add(const Json& sample, const std::string& endpointId);
    double average(int i) const { return counts[i] ? sums[i] / counts[i] : -1; }
};

// The sample's stream `endpointId` (or one the report does not name: endpointId "") in that
// direction with a bitrate above 0, if any: for outbound, the connection's ICE and DTLS are up
// and packets leave (webrtc-stats bytesSent grew). The checks' device publishes one stream; a
// participant in a session with others may receive theirs too, hence the id.
const Json* flowing(const Json& sample, const std::string& endpointId, bool inbound);

// The media check from what it measured: fail without any sample of the own audio (no_media);
// warn when an average is past its threshold (`rttMs`, `jitterMs`, `packetLoss` above, `mos`
// below), fail past twice the threshold (a MOS more than 1 below it); the error's code is the
// quality warning's name (high-rtt, …) of the worst one.
Outcome media(const Measure& measure, const QualityThresholds& thresholds);

// A relayed connection that failed (`cause`): the TURN server's icecandidateerror, when there was
// one (IceErrors.hpp), says why: 401 turn_refused, any other turn_unreachable; else `cause`.
Error relayError(int turnError, const Error& cause);

// The checks from `from` to `to` still pending are skipped, `failed` being the reason.
void skipAfter(Outcome (&checks)[kChecks], Check failed, Check from, Check to);

// The result object: {status, checks: {microphone, signaling, iceHost, iceRelay, media}}, each
// {status, ms?, error?: {code, message}}, media also {rttMs, jitterMs, packetLoss, mos}.
Json result(const Outcome (&checks)[kChecks], const Measure& measure);

}  // namespace preflight

class Preflight {
  public:
    using ResultDone = Fn<void(const Error&, const std::string&)>;
    // `client`: the Client of a handle that runs preflights only, whose owner passes its events
    // on: sampled() each call-quality sample, failed() a `failed` state. `clock`: milliseconds
    // (the core has no clock).
    Preflight(Client& client, TimerPort& timers, double (*clock)())
        : client_(client), timers_(timers), clock_(clock) {}
    Preflight(const Preflight&) = delete;
    Preflight& operator=(const Preflight&) = delete;

    // connect()'s options (ConnectOptions), `configurationJson` the application's
    // RTCConfiguration (its own iceServers replace the server's in the relay check);
    // `durationMs`: how long the media is sampled (bounded to 1-30 s, 3 s if not above 0).
    // `done` once, with no error and the result's JSON; at once with invalid_state while a run
    // is under way (that run goes on).
    void run(const std::string& websocketUrl, const std::string& token, const std::string& uniqueId,
             const std::string& sdkVersion, const std::string& configurationJson, int durationMs,
             double nowMs, const std::string& thresholdsJson, ResultDone done);
    bool running() const { return static_cast<bool>(done_); }
    void sampled(const std::string& sampleJson);
    void failed(const Error& error);

  private:
    enum class Step { Host, Relay };
    void connect(Step step);
    void connected(const Error& error);
    void published(const Error& error, const StreamInfo& stream);
    void timedOut();
    void startTimer(int delayMs);
    // The run's checks are settled: disconnect, then (next turn) the relay run or the end.
    void endRun();
    void next();
    void set(preflight::Check check, preflight::Status status, const Error& error = noError());
    preflight::Check ice() const {
        return step_ == Step::Host ? preflight::IceHost : preflight::IceRelay;
    }

    Client& client_;
    TimerPort& timers_;
    double (*clock_)();
    ConnectOptions options_;
    std::string configuration_;  // the application's RTCConfiguration
    int durationMs_ = 3000;
    ResultDone done_;
    preflight::Outcome checks_[preflight::kChecks];
    preflight::Measure measure_;
    std::string streamId_;
    Step step_ = Step::Host;
    int ownServers_ = -1;    // the application's iceServers (-1: none given, the server's)
    bool settling_ = false;  // the run's checks are settled, its disconnect is on its way
    double start_ = 0;       // when the running check started
    int timer_ = 0;
    Alive alive_;
};

}  // namespace sb::sdk
