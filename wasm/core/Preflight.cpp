#include "wasm/core/Preflight.hpp"

#include <algorithm>

#include "wasm/core/Errors.hpp"

namespace sb::sdk {

namespace preflight {

namespace {

const char* const kNames[] = {"signaling", "microphone", "iceHost", "media", "iceRelay"};
const char* const kStatus[] = {"skipped", "pass", "warn", "skipped", "fail"};
// The sample's names of the measured values, in Measure's order.
// Views (size: no strlen when read from a sample); literals, so .data() ends with a 0.
constexpr std::string_view kValues[] = {"rttMs", "jitterMs", "packetLoss", "mos"};
// How long ICE may take to let media through before its check fails: a relayed path needs the
// TURN allocation first (RFC 8656 §7), and a refused credential is reported only after it.
constexpr int kIceTimeoutMs = 10000;

}  // namespace

const Json* flowing(const Json& sample, const std::string& endpointId, bool inbound) {
    for (const auto& s : sample["streams"].values()) {
        // "" where the browser's report does not name the track (Firefox has no media-source
        // for sent tracks, CallQuality.cpp): then any stream of that direction.
        const std::string& id = s["endpointId"].asString();
        if ((id == endpointId || id.empty()) &&
            (s["direction"].asString() == "inbound") == inbound && s["bitrateKbps"].asNumber(0) > 0)
            return &s;
    }
    return nullptr;
}

bool Measure::add(const Json& sample, const std::string& endpointId) {
    const Json* stream = flowing(sample, endpointId, true);
    if (!stream) return false;
    ++samples;
    for (int i = 0; i < 4; ++i) {
        double v = (*stream)[kValues[i]].asNumber(-1);
        if (v < 0) continue;
        sums[i] += v;
        ++counts[i];
    }
    return true;
}

Outcome media(const Measure& measure, const QualityThresholds& t) {
    Outcome out;
    if (!measure.samples) {
        out.status = Fail;
        out.error = errors::make("no_media", "No audio came back");
        return out;
    }
    out.status = Pass;
    const double limits[] = {t.rttMs, t.jitterMs, t.packetLoss, t.mos};
    for (int i = 0; i < 4; ++i) {
        double v = measure.average(i);
        if (v < 0) continue;
        // How far past the threshold, and past how much more it fails: a MOS by 1, the others
        // by the threshold again.
        double past = i == 3 ? limits[i] - v : v - limits[i];
        Status status = past > (i == 3 ? 1 : limits[i]) ? Fail : past > 0 ? Warn : Pass;
        if (status <= out.status) continue;
        out.status = status;
        // The values are in the result, the thresholds the application's: the message names
        // the value only.
        out.error = errors::make(toString(static_cast<QualityWarning>(i)), kValues[i].data());
    }
    return out;
}

Error relayError(int turnError, const Error& cause) {
    if (!turnError) return cause;
    std::string text = "TURN error " + decimal(turnError);
    if (turnError == 401) return errors::make("turn_refused", std::move(text));
    return errors::make("turn_unreachable", std::move(text));
}

void skipAfter(Outcome (&checks)[kChecks], Check failed, Check from, Check to) {
    for (int c = from; c <= to; ++c)
        if (checks[c].status == Pending) {
            checks[c].status = Skipped;  // a pending check has no ms
            checks[c].error = errors::make("check_skipped", kNames[failed]);
        }
}

Json result(const Outcome (&checks)[kChecks], const Measure& measure) {
    Json out;
    Json& all = out.set("checks", Json());
    int worst = Pass;
    for (int c = 0; c < kChecks; ++c) {
        const Outcome& o = checks[c];
        worst = std::max(worst, static_cast<int>(o.status));
        Json& j = all.set(kNames[c], Json());
        j.set("status", kStatus[o.status]);
        if (o.ms >= 0) j.set("ms", Json(o.ms));
        if (o.error.failed()) {
            Json& error = j.set("error", Json());
            error.set("code", o.error.code);
            error.set("message", o.error.message);
        }
        if (c == Media)
            for (int i = 0; i < 4; ++i) {
                double v = measure.average(i);
                j.set(kValues[i].data(), v < 0 ? Json() : Json(v));
            }
    }
    out.set("status", kStatus[worst]);
    return out;
}

}  // namespace preflight

using namespace preflight;

void Preflight::run(const std::string& websocketUrl, const std::string& token,
                    const std::string& uniqueId, const std::string& sdkVersion,
                    const std::string& configurationJson, int durationMs, double nowMs,
                    const std::string& thresholdsJson, ResultDone done) {
    if (running()) return done(errors::invalidState("A preflight is running"), {});
    options_.websocketUrl = websocketUrl;
    options_.token = token;
    options_.uniqueId = uniqueId;
    options_.sdkVersion = sdkVersion;
    options_.nowMs = nowMs;
    options_.qualityThresholds.read(thresholdsJson);
    // A check fails at the first ICE failure: no restarts.
    options_.iceRestarts.maxRestarts = 0;
    configuration_ = configurationJson;
    durationMs_ = durationMs > 0 ? std::clamp(durationMs, 1000, 30000) : 3000;
    done_ = std::move(done);
    for (auto& c : checks_) {
        c.status = Pending;  // members assigned (size: no Outcome made and moved)
        c.ms = -1;
        c.error = noError();
    }
    measure_ = {};
    alive_.renew();
    connect(Step::Host);
}

void Preflight::connect(Step step) {
    step_ = step;
    settling_ = false;
    // Not an object: set() makes it one.
    Json config = Json::parse(configuration_).value_or(Json());
    // The relay check uses the application's iceServers if it gave some (-1: the server's).
    ownServers_ = config.has("iceServers") ? static_cast<int>(config["iceServers"].size()) : -1;
    options_.loopback = step == Step::Host;
    if (options_.loopback)
        config.set("iceServers", Json::array());  // host candidates only
    else
        config.set("iceTransportPolicy", Json("relay"));  // W3C WebRTC §4.2.5
    options_.peerConfigurationJson = config.dump();
    start_ = clock_();
    client_.connect(options_, [this, alive = alive_.watch()](const Error& e) {
        if (!alive.expired()) connected(e);
    });
}

void Preflight::connected(const Error& e) {
    if (step_ == Step::Host) {
        set(Signaling, e.failed() ? Fail : Pass, e);
        if (e.failed()) {
            skipAfter(checks_, Signaling, Microphone, IceRelay);
            return endRun();
        }
    } else if (e.failed()) {
        set(IceRelay, Fail, e);
        return endRun();
    } else if ((ownServers_ < 0 ? client_.iceServerCount() : ownServers_) == 0) {
        set(IceRelay, Warn, errors::make("no_turn_server", "No TURN server"));
        return endRun();
    }
    start_ = clock_();
    // Each run captures the microphone and publishes it (Client::publishMedia): getUserMedia's
    // errors are the microphone check's.
    client_.publishMedia(
        R"({"audio":true})", "", "",
        [this, alive = alive_.watch()](const Error& error, const StreamInfo& stream) {
            if (!alive.expired()) published(error, stream);
        });
}

void Preflight::published(const Error& error, const StreamInfo& stream) {
    if (settling_) return;
    Check check = step_ == Step::Host ? Microphone : IceRelay;
    if (error.failed()) {
        set(check, Fail, error);
        skipAfter(checks_, check, IceHost, IceRelay);
        return endRun();
    }
    if (check == Microphone) set(Microphone, Pass);
    streamId_ = stream.streamId;
    startTimer((step_ == Step::Host ? durationMs_ : 0) + kIceTimeoutMs);
}

void Preflight::startTimer(int delayMs) {
    timer_ = timers_.start(delayMs, [this, alive = alive_.watch()] {
        if (alive.expired()) return;
        // One callback for both timers (size): the next turn after a run, or the wait for media
        // (timer_ still set: failed() acts while it is).
        if (!settling_) return timedOut();
        timer_ = 0;
        next();
    });
}

void Preflight::sampled(const std::string& sampleJson) {
    if (settling_ || !timer_) return;
    auto sample = Json::parse(sampleJson);
    if (!sample) return;
    if (checks_[ice()].status == Pending) {
        if (!flowing(*sample, streamId_, false)) return;
        set(ice(), Pass);
        if (step_ == Step::Relay) return endRun();
    }
    if (measure_.add(*sample, streamId_) && measure_.samples >= (durationMs_ + 999) / 1000)
        timedOut();  // ICE passed: the media check from what was measured, as at the time's end
}

void Preflight::failed(const Error& error) {
    // Only while a run waits for its media: a failed connect or publish settles with its own
    // callback.
    if (settling_ || !timer_) return;
    if (checks_[ice()].status == Pending) {
        // The host run has no TURN error (0): its own error.
        set(ice(), Fail, relayError(step_ == Step::Relay ? client_.iceError() : 0, error));
        skipAfter(checks_, ice(), Media, Media);
    } else if (checks_[Media].status == Pending) {
        // Members assigned (size: no Outcome made and moved); a pending check has no ms.
        checks_[Media].status = Fail;
        checks_[Media].error = error;
    }
    endRun();
}

void Preflight::timedOut() {
    if (checks_[ice()].status == Pending) {
        // No media within the time: as if the connection had failed, without a restart.
        return failed(errors::iceFailed(step_ == Step::Host ? "host" : "relay", 0));
    }
    Outcome o = media(measure_, options_.qualityThresholds);
    checks_[Media].status = o.status;  // members assigned, as above; the media check has no ms
    checks_[Media].error = std::move(o.error);
    endRun();
}

void Preflight::endRun() {
    if (settling_) return;
    settling_ = true;
    if (timer_) timers_.cancel(timer_);
    // `leave` and a 1000 close: the server releases the device at once.
    client_.disconnect();
    // The next run or the result from a later turn: not from inside the Client's callback.
    startTimer(0);
}

void Preflight::next() {
    if (step_ == Step::Host && checks_[IceRelay].status == Pending) return connect(Step::Relay);
    // Moved out (done_ empty: not running) before it runs, as it may start the next run.
    auto done = std::move(done_);
    if (done) done(noError(), result(checks_, measure_).dump());
}

void Preflight::set(Check check, Status status, const Error& error) {
    Outcome& o = checks_[check];
    o.status = status;
    o.ms = clock_() - start_;
    o.error = error;
}

}  // namespace sb::sdk
