#pragma once
// The one object the JS facade holds (STYLE.md 13: keep exposed handles to a minimum), an embind
// class (wasm/bindings/Bindings.cpp): the core Client wired to the browser adapters. Methods take
// plain values and return promises; outcomes and errors cross as JSON text (errors) or plain
// objects, which web/src/ shapes into the public API.
//
// `listener(kind, num, a, b, mediaStream)`: kind 0 state change (a: name, b: error JSON or ''),
// 1 stream available (a: RtcStream JSON, with its MediaStream), 2 stream unavailable (a: id),
// 3 log (num: 0 error … 3 debug, a: message), 4 DTMF heard (a: JSON), 5 subscribe failed (a: error
// JSON, b: JSON array of ids), 6 token will expire (a: the token), 7 call stats (a: the sample's
// JSON), 8 quality warning (a: {name, …details} JSON), 9 quality warning cleared (a: its name),
// 10 remote mute change and 11 active speaker change (a: the notification's params JSON),
// 13 device fallback (a: {kind, lostDeviceId, deviceId, endpointId} JSON, b: error JSON or '').
// 12 (devicesChanged) is the facade's own: a `devicechange` listener with nothing for the core to
// decide. Rejections carry an error as JSON text ({code, message, rpcCode?, data?}). `nowMs`:
// Date.now(), the core has no clock.

#include <string>

#include "wasm/browser/BrowserHttp.hpp"
#include "wasm/browser/BrowserMedia.hpp"
#include "wasm/browser/BrowserPeerConnection.hpp"
#include "wasm/browser/BrowserSocket.hpp"
#include "wasm/browser/BrowserTimers.hpp"
#include "wasm/core/Client.hpp"
#include "wasm/core/Preflight.hpp"

namespace sb::sdk::browser {

class SdkHandle {
  public:
    explicit SdkHandle(val listener);
    SdkHandle(const SdkHandle&) = delete;
    SdkHandle& operator=(const SdkHandle&) = delete;

    val connect(const std::string& websocketUrl, const std::string& token,
                const std::string& uniqueId, const std::string& sdkVersion,
                const std::string& rtcConfigurationJson, int timeoutMs, int maxIceRestarts,
                int iceRestartDelayMs, int iceDisconnectedMs, int tokenExpiryMarginMs, double nowMs,
                const std::string& qualityThresholdsJson);
    void updateToken(const std::string& token, double nowMs);
    // getUserMedia(constraints) then publish; resolves to the RtcStream with its mediaStream.
    val publishMedia(const std::string& constraintsJson, const std::string& alias,
                     const std::string& codecPreferencesJson);
    val publishStream(const val& stream, const std::string& alias,
                      const std::string& codecPreferencesJson);
    // `streamIds`: an array of ids; empty for every published stream.
    val unpublish(const val& streamIds);
    // Client::switchDevice; resolves to undefined.
    val switchDevice(const std::string& kind, const std::string& deviceId,
                     const std::string& streamId);
    bool sendDtmf(const std::string& tones, const std::string& streamId);
    void setTracksEnabled(const std::string& kind, bool enabled, const std::string& streamId);
    // `which`: "publish" or "subscribe"; resolves to the JSON text of an array of RTCStats.
    val getStats(const std::string& which);
    void disconnect();
    // The facade's window `online` listener (Client::networkOnline).
    void networkOnline() { client_.networkOnline(); }
    // SwitchboardRtc.runPreflight (wasm/core/Preflight.hpp) on this handle's Client; resolves to
    // the result's JSON text. One at a time per handle: invalid_state while one runs.
    val preflight(const std::string& websocketUrl, const std::string& token,
                  const std::string& uniqueId, const std::string& sdkVersion,
                  const std::string& rtcConfigurationJson, int durationMs, double nowMs,
                  const std::string& qualityThresholdsJson);

  private:
    // A new Promise and its resolving functions (ECMA-262 §27.2.1.3).
    struct Deferred {
        val resolve = val::undefined();
        val reject = val::undefined();
    };
    static val promise(Deferred& d);
    // The promise executor (js::to): keeps the resolving functions in the Deferred.
    static void executor(void* deferred, int, const val& resolve, const val& reject);
    static Done done(const Deferred& d);
    // Resolves with the text as a string (getStats, preflight): one callable type for both.
    static Fn<void(const Error&, const std::string&)> textDone(const Deferred& d);
    static void settle(const Deferred& d, const Error& e, const val& result);
    ClientListener makeListener();
    Publisher::PublishDone publishDone(const Deferred& d);
    void emit(int kind, int num, const std::string& a, const std::string& b = {}) const;

    val listener_;
    JsObjects local_;
    JsObjects remote_;
    BrowserSocket socket_;
    BrowserTimers timers_;
    BrowserHttp http_;
    BrowserMedia media_;
    BrowserPeerFactory peers_;
    Client client_;
    // Runs on client_: the facade gives preflights a handle of their own (docs/sdk.md).
    Preflight preflight_;
};

}  // namespace sb::sdk::browser
