// The C API of the wasm (STYLE.md 13: registrations only, conversions elsewhere): what pre.js's
// Module.SdkHandle calls. Exported by name with -sEXPORTED_FUNCTIONS in wasm/build.sh, so no
// Emscripten header is needed here. String arguments are malloc'ed UTF-8 that JavaScript hands
// over (js::take frees them); `promise` ids are settled later through sb_settle.

#include "wasm/browser/SdkHandle.hpp"

using sb::sdk::ConnectOptions;
using sb::sdk::browser::SdkHandle;
using sb::sdk::browser::js::split;
using sb::sdk::browser::js::take;

extern "C" {

SdkHandle* sb_new(int listener) {
    return new SdkHandle(listener);
}

void sb_connect(SdkHandle* h, int promise, char* websocketUrl, char* token, char* uniqueId,
                char* sdkVersion, char* rtcConfigurationJson, int timeoutMs, int maxIceRestarts,
                int iceRestartDelayMs) {
    ConnectOptions o;
    o.websocketUrl = take(websocketUrl);
    o.token = take(token);
    o.uniqueId = take(uniqueId);
    o.sdkVersion = take(sdkVersion);
    o.peerConfigurationJson = take(rtcConfigurationJson);
    o.connectTimeoutMs = timeoutMs;
    o.iceRestarts =
        sb::sdk::IceRestartPolicy{maxIceRestarts, iceRestartDelayMs};  // bounded by connect()
    h->connect(promise, o);
}

void sb_publish_media(SdkHandle* h, int promise, char* constraintsJson, char* alias,
                      char* codecPreferencesJson) {
    h->publishMedia(promise, take(constraintsJson), take(alias), take(codecPreferencesJson));
}

void sb_publish_stream(SdkHandle* h, int promise, char* stream, char* alias,
                       char* codecPreferencesJson) {
    h->publishStream(promise, take(stream), take(alias), take(codecPreferencesJson));
}

// `streamIds`: newline-separated; empty for every published stream.
void sb_unpublish(SdkHandle* h, int promise, char* streamIds) {
    std::string ids = take(streamIds);
    h->unpublish(promise, ids.empty() ? std::vector<std::string>() : split(ids));
}

int sb_send_dtmf(SdkHandle* h, char* tones, char* streamId) {
    return h->client().sendDtmf(take(tones), take(streamId));
}

void sb_set_tracks_enabled(SdkHandle* h, char* kind, int enabled, char* streamId) {
    h->client().setTracksEnabled(take(kind), enabled != 0, take(streamId));
}

// `which`: "publish" or "subscribe".
void sb_get_stats(SdkHandle* h, int promise, char* which) {
    h->getStats(promise, take(which));
}

void sb_disconnect(SdkHandle* h) {
    h->client().disconnect();
}

}  // extern "C"
