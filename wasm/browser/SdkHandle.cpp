#include "wasm/browser/SdkHandle.hpp"

#include "wasm/core/Errors.hpp"

namespace sb::sdk::browser {

namespace {

// The objects are built as JavaScript values (val) and, where text crosses, JSON.stringify'd.
std::string errorJson(const Error& e) {
    if (!e.failed()) return {};
    val j = val::object();
    js::set(j, "code", val(e.code));
    js::set(j, "message", val(e.message));
    if (e.rpcCode) js::set(j, "rpcCode", val(e.rpcCode));
    if (!e.data.empty()) js::set(j, "data", val(e.data));
    return web::stringifyJson(j);
}

val strings(const std::vector<std::string>& list) {
    val array = val::array();
    for (const auto& s : list) web::jsTry(array, "push", s);
    return array;
}

// RtcStream without its mediaStream (reference §1.1): endpointId is the MediaStream id.
val streamObject(const StreamInfo& s) {
    val j = val::object();
    js::set(j, "endpointId", val(s.streamId));
    if (!s.participantId.empty()) js::set(j, "participantId", val(s.participantId));
    js::set(j, "mediaTypes", strings(s.mediaTypes));
    if (!s.alias.empty()) js::set(j, "alias", val(s.alias));
    return j;
}

// Preflight's clock: Date.now() (ECMA-262 §21.4.3.1).
double now() {
    return web::jsTry(val::global("Date"), "now").value.as<double>();
}

}  // namespace

SdkHandle::SdkHandle(val listener)
    : listener_(std::move(listener)),
      media_(local_),
      peers_(local_, remote_),
      client_(Platform{socket_, timers_, http_, media_, peers_}, makeListener()),
      preflight_(client_, timers_, now) {}

val SdkHandle::promise(Deferred& d) {
    // The executor runs synchronously inside the constructor (§27.2.3.1 step 9), so `d` is filled
    // before this returns.
    int id = js::add(js::to(&d, executor, 0), true);
    return web::jsTryNew(val::global("Promise"), js::onTwo(id)).value;
}

void SdkHandle::executor(void* deferred, int, const val& resolve, const val& reject) {
    auto* d = static_cast<Deferred*>(deferred);
    d->resolve = resolve;
    d->reject = reject;
}

Fn<void(const Error&, const std::string&)> SdkHandle::textDone(const Deferred& d) {
    return [d](const Error& e, const std::string& text) { settle(d, e, val(text)); };
}

Done SdkHandle::done(const Deferred& d) {
    return [d](const Error& e) { settle(d, e, val::undefined()); };
}

void SdkHandle::settle(const Deferred& d, const Error& e, const val& result) {
    if (e.failed())
        web::jsTry(d.reject, "call", val::undefined(), errorJson(e));
    else
        web::jsTry(d.resolve, "call", val::undefined(), result);
}

void SdkHandle::emit(int kind, int num, const std::string& a, const std::string& b) const {
    // The facade's listener guards its own callbacks; caught anyway, as it is the application's
    // code that runs below it. The MediaStream of `b` is for kind 1 (stream available, `b` its
    // id); the facade reads it for that kind alone, so it is looked up for every kind.
    web::jsTry(listener_, "call", val::undefined(), kind, num, a, b, remote_.get(b));
}

ClientListener SdkHandle::makeListener() {
    // One callback type for the events with a string (kind 2: a stream id, 4: DTMF params,
    // 6: the token that will expire, 7: a call-quality sample, 8: a quality warning, 9: the name
    // of a warning cleared, 10: remoteMuteChange params, 11: activeSpeakerChange params).
    auto text = [this](int kind) {
        return Fn<void(const std::string&)>([this, kind](const std::string& a) {
            if (kind == 7) preflight_.sampled(a);
            emit(kind, 0, a);
            if (kind == 2) remote_.erase(a);
        });
    };
    // Built in place (designated members, in ClientListener's order): no assignment of each.
    return ClientListener{
        .onStateChange =
            [this](State state, const Error& cause) {
                if (state == State::Failed) preflight_.failed(cause);
                emit(0, 0, toString(state), errorJson(cause));
            },
        .onStreamAvailable =
            [this](const StreamInfo& s) {
                emit(1, 0, web::stringifyJson(streamObject(s)), s.streamId);
            },
        .onStreamUnavailable = text(2),
        .onDtmf = text(4),
        .onRemoteMuteChange = text(10),
        .onActiveSpeakerChange = text(11),
        .onSubscribeFailed =
            [this](const Error& e, const std::vector<std::string>& ids) {
                emit(5, 0, errorJson(e), web::stringifyJson(strings(ids)));
            },
        .onTokenWillExpire = text(6),
        .onCallStats = text(7),
        .onQualityWarning = text(8),
        .onQualityWarningCleared = text(9),
        .onDeviceFallback = [this](const Error& e,
                                   const std::string& json) { emit(13, 0, json, errorJson(e)); },
        .onLog = [this](LogLevel level,
                        const std::string& message) { emit(3, static_cast<int>(level), message); },
    };
}

val SdkHandle::connect(const std::string& websocketUrl, const std::string& token,
                       const std::string& uniqueId, const std::string& sdkVersion,
                       const std::string& rtcConfigurationJson, int timeoutMs, int maxIceRestarts,
                       int iceRestartDelayMs, int iceDisconnectedMs, int tokenExpiryMarginMs,
                       double nowMs, const std::string& qualityThresholdsJson) {
    ConnectOptions o;
    o.websocketUrl = websocketUrl;
    o.token = token;
    o.uniqueId = uniqueId;
    o.sdkVersion = sdkVersion;
    o.peerConfigurationJson = rtcConfigurationJson;
    o.connectTimeoutMs = timeoutMs;
    // Bounded by connect().
    o.iceRestarts = IceRestartPolicy{maxIceRestarts, iceRestartDelayMs, iceDisconnectedMs};
    if (tokenExpiryMarginMs > 0) o.tokenExpiryMarginMs = tokenExpiryMarginMs;  // else the default
    o.nowMs = nowMs;
    o.qualityThresholds.read(qualityThresholdsJson);
    Deferred d;
    val p = promise(d);
    client_.connect(o, done(d));
    return p;
}

Publisher::PublishDone SdkHandle::publishDone(const Deferred& d) {
    return [this, d](const Error& e, const StreamInfo& s) {
        // On a failure the stream (empty) is built too, and settle() rejects without it.
        val stream = streamObject(s);
        js::set(stream, "mediaStream", local_.get(s.streamId));
        settle(d, e, stream);
    };
}

val SdkHandle::publishMedia(const std::string& constraintsJson, const std::string& alias,
                            const std::string& codecPreferencesJson) {
    Deferred d;
    val p = promise(d);
    client_.publishMedia(constraintsJson, alias, codecPreferencesJson, publishDone(d));
    return p;
}

val SdkHandle::publishStream(const val& stream, const std::string& alias,
                             const std::string& codecPreferencesJson) {
    Deferred d;
    val p = promise(d);
    client_.publish(media_.adopt(stream), alias, codecPreferencesJson, publishDone(d));
    return p;
}

val SdkHandle::unpublish(const val& streamIds) {
    std::vector<std::string> ids;
    for (int i = 0, n = js::length(streamIds); i < n; ++i)
        ids.push_back(js::text(js::at(streamIds, i)));
    Deferred d;
    val p = promise(d);
    client_.unpublish(std::move(ids), done(d));
    return p;
}

val SdkHandle::switchDevice(const std::string& kind, const std::string& deviceId,
                            const std::string& streamId) {
    Deferred d;
    val p = promise(d);
    client_.switchDevice(kind, deviceId, streamId, publishDone(d));  // the facade drops the value
    return p;
}

bool SdkHandle::sendDtmf(const std::string& tones, const std::string& streamId) {
    return client_.sendDtmf(tones, streamId);
}

void SdkHandle::setTracksEnabled(const std::string& kind, bool enabled,
                                 const std::string& streamId) {
    client_.setTracksEnabled(kind, enabled, streamId);
}

val SdkHandle::getStats(const std::string& which) {
    Deferred d;
    val p = promise(d);
    client_.getStats(which, textDone(d));
    return p;
}

void SdkHandle::updateToken(const std::string& token, double nowMs) {
    client_.updateToken(token, nowMs);
}

void SdkHandle::disconnect() {
    client_.disconnect();
}

val SdkHandle::preflight(const std::string& websocketUrl, const std::string& token,
                         const std::string& uniqueId, const std::string& sdkVersion,
                         const std::string& rtcConfigurationJson, int durationMs, double nowMs,
                         const std::string& qualityThresholdsJson) {
    Deferred d;
    val p = promise(d);
    preflight_.run(websocketUrl, token, uniqueId, sdkVersion, rtcConfigurationJson, durationMs,
                   nowMs, qualityThresholdsJson, textDone(d));
    return p;
}

}  // namespace sb::sdk::browser
