// @switchboard/webrtc-browser: the public API, method for method and event for event the one of
// Bandwidth's browser SDK (reference §1.2-1.3), plus connection state, clear connect errors and
// any number of listeners per event. The work happens in the wasm core (wasm/core/); this file
// shapes it into idiomatic JS. docs/sdk.md describes the API.
import { BandwidthRtcError, coreError } from './errors.js';
import { AudioLevel, watchAudioLevel } from './audioLevel.js';
import { Events } from './events.js';
import { loadCore } from './loader.js';

export { AudioLevel, BandwidthRtcError, BandwidthRtcError as SwitchboardRtcError };
export const MediaType = Object.freeze({ AUDIO: 'AUDIO', VIDEO: 'VIDEO', APPLICATION: 'APPLICATION' });
export const MediaAggregationType = Object.freeze({ NONE: 'NONE', COMPOSITE: 'COMPOSITE' });
// web/package.json's "version", put here by web/build.mjs (esbuild define): the one place it is
// written. It is also the sdkVersion that connect() sends (docs/protocol.md "Connecting").
export const SDK_VERSION = SWITCHBOARD_SDK_VERSION;

// In a page, the wasm core is fetched and compiled when this module is imported, as a JS-only
// SDK's code would be, rather than by the first connect() (about 20 ms sooner to first audio,
// bench/ttfa). A failure here is retried, and reported, by connect().
if (globalThis.document) loadCore().catch(() => {});

// A level's name is also its console method (level 0, "off", is never logged).
const LEVELS = ['off', 'error', 'warn', 'info', 'debug'];
let logLevel = 2; // warn, the stock default

function log(level, ...args) {
  if (level <= logLevel) console[LEVELS[level]]('[switchboard]', ...args);
}

function defaultWebsocketUrl() {
  const l = globalThis.location;
  if (!l?.host) throw new BandwidthRtcError('options.websocketUrl is required outside a web page', 'invalid_argument');
  return (l.protocol === 'https:' ? 'wss://' : 'ws://') + l.host;
}

function uniqueId() {
  return globalThis.crypto?.randomUUID?.() ??
    'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace(/x/g, () => ((Math.random() * 16) | 0).toString(16));
}

// The core rejects with the JSON of its error.
const rethrow = (json) => {
  throw coreError(json);
};

// A device token: a non-empty string.
function checkToken(token, what) {
  if (typeof token !== 'string' || !token) throw new BandwidthRtcError(`${what} is required`, 'invalid_argument');
  return token;
}

// Strings for the core: embind refuses anything else (a BindingError, not our error).
const streamId = (s) => String(typeof s === 'string' ? s : s?.endpointId ?? '');
// The core's events whose argument is a server notification's params, as JSON text (the kinds
// of wasm/browser/SdkHandle.hpp): 4 dtmf, 10 remoteMuteChange, 11 activeSpeakerChange.
const PARAMS_EVENTS = { 4: 'dtmf', 10: 'remoteMuteChange', 11: 'activeSpeakerChange' };
// connect()'s timeout: a positive number of ms up to 10 min, else the default (an int for the core).
const timeoutMs = (ms) => (ms > 0 && ms <= 600000 ? Math.round(ms) : 15000);

// The RTCConfiguration as JSON. Without iceServers of the application's own, the core uses those
// the server gives in the setMediaPreferences result (docs/protocol.md "ICE servers (TURN)").
const rtcConfiguration = ({ iceServers, iceTransportPolicy }) =>
  JSON.stringify({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require', iceServers, iceTransportPolicy });
let preflightSdk;

export class SwitchboardRtc {
  constructor(level) {
    if (level) this.setLogLevel(level);
    this._events = new Events();
    this._state = 'idle';
    this._meters = new Map();
    // Devices (docs/sdk.md "Devices"): the lists by kind after a `devicechange` (W3C Media Capture
    // §9.2), here rather than in the core: nothing to decide, and heard before connect().
    globalThis.navigator?.mediaDevices?.addEventListener?.('devicechange', () =>
      this.getMediaDevices().then((list) => {
        const lists = { audioinput: [], audiooutput: [], videoinput: [] };
        for (const d of list) lists[d.kind]?.push(d);
        this._events.emit('devicesChanged', lists);
      }, () => {}));
    // Bound like the stock SDK's, so they can be passed around as callbacks.
    this.setMicEnabled = this.setMicEnabled.bind(this);
    this.setCameraEnabled = this.setCameraEnabled.bind(this);
  }

  /** "idle" | "connecting" | "connected" | "reconnecting" | "disconnected" | "failed" */
  get connectionState() {
    return this._state;
  }

  setLogLevel(level) {
    const index = LEVELS.indexOf(level);
    if (index >= 0) logLevel = index;
  }

  // The stock SDK's setters: one callback per event, a new one replaces the previous one.
  onStreamAvailable(callback) {
    this._events.setCallback('streamAvailable', callback);
  }

  onStreamUnavailable(callback) {
    this._events.setCallback('streamUnavailable', callback);
  }

  onConnectionStateChange(callback) {
    this._events.setCallback('connectionStateChange', callback);
  }

  // DTMF from a phone this device hears: ({participantId, endpointId, tone}) => void.
  onDtmf(callback) {
    this._events.setCallback('dtmf', callback);
  }

  // A stream this device receives was muted or unmuted by its publisher (also told on receiving a
  // stream that is muted): ({endpointId, participantId, kind: 'audio'|'video', muted}) => void.
  onRemoteMuteChange(callback) {
    this._events.setCallback('remoteMuteChange', callback);
  }

  // The audio of a stream this device receives started or stopped speaking, as the media server
  // measures it: ({endpointId, participantId, speaking}) => void.
  onActiveSpeakerChange(callback) {
    this._events.setCallback('activeSpeakerChange', callback);
  }

  // A stream this device should receive could not be negotiated:
  // ({error: BandwidthRtcError with code "subscribe_failed", endpointIds: string[]}) => void.
  onSubscribeFailed(callback) {
    this._events.setCallback('subscribeFailed', callback);
  }

  // The token expires within connect()'s tokenExpiryMarginMs: get a fresh one, pass it to updateToken().
  onTokenWillExpire(callback) {
    this._events.setCallback('tokenWillExpire', callback);
  }

  // Call quality (docs/sdk.md "Call quality"): (name, details) => void when a warning is raised,
  // (name) => void when it is cleared; each once per episode.
  onQualityWarning(callback) {
    this._events.setCallback('qualityWarning', callback);
  }

  onQualityWarningCleared(callback) {
    this._events.setCallback('qualityWarningCleared', callback);
  }

  /** The latest call-quality sample (the `callStats` event's, once a second), or null. */
  getCallStats() {
    return this._callStats ?? null;
  }

  // Any number of listeners per event, besides the setter's callback (docs/sdk.md "Events").
  on(name, listener) {
    this._events.add(name, listener);
    return this;
  }

  off(name, listener) {
    this._events.remove(name, listener);
    return this;
  }

  async connect(authParams, options = {}) {
    const token = checkToken(authParams?.deviceToken, 'authParams.deviceToken');
    const websocketUrl = String(options.websocketUrl || defaultWebsocketUrl());
    const core = await loadCore(options.wasmUrl);
    // The core's events (wasm/browser/SdkHandle.hpp): 0 state change, 1 stream available, 2 stream
    // unavailable, 3 log line, 4 DTMF from a phone, 5 subscribe failed, 6 token will expire, 7 call
    // stats, 8 quality warning raised, 9 cleared, 10 remote mute change, 11 active speaker change
    // (PARAMS_EVENTS).
    // Each event runs the setter's callback, then the listeners (events.js).
    const emit = (...args) => this._events.emit(...args);
    this._sdk ||= new core.SdkHandle((kind, level, a, b, mediaStream) => {
      if (kind === 0) {
        this._state = a;
        // A sample belongs to the call it was taken in: none once that call ended or a new one begins.
        if (a !== 'connected' && a !== 'reconnecting') this._callStats = null;
        log(a === 'failed' ? 1 : 3, 'connection', a, b);
        emit('connectionStateChange', a, b ? coreError(b) : undefined);
      } else if (kind === 1) {
        emit('streamAvailable', { ...JSON.parse(a), mediaStream });
      } else if (kind === 2) {
        emit('streamUnavailable', a);
      } else if (PARAMS_EVENTS[kind]) {
        emit(PARAMS_EVENTS[kind], JSON.parse(a));
      } else if (kind === 6) {
        emit('tokenWillExpire');
      } else if (kind === 7) {
        emit('callStats', (this._callStats = JSON.parse(a)));
      } else if (kind === 8) {
        const { name, ...details } = JSON.parse(a);
        emit('qualityWarning', name, details);
      } else if (kind === 9) {
        emit('qualityWarningCleared', a);
      } else if (kind === 13) {
        // A published track ended (its device went away): {kind, lostDeviceId, deviceId,
        // endpointId}, with `error` when the default device could not replace it.
        const fallback = JSON.parse(a);
        if (b) fallback.error = coreError(b);
        log(b ? 1 : 3, 'device fallback', a, b);
        if (fallback.kind === 'audio') this._renewMeters();
        emit('deviceFallback', fallback);
      } else if (kind === 5) {
        const error = coreError(a);
        log(2, 'subscribe failed', error.message);
        emit('subscribeFailed', { error, endpointIds: JSON.parse(b) });
      } else {
        log(level + 1, a);
      }
    });
    this._unload ||= () => this._sdk.disconnect();
    globalThis.addEventListener?.('beforeunload', this._unload);
    // The network came back (HTML "online" event): a reconnect waiting for its back-off tries at
    // once, and both peer connections restart ICE. Removed by disconnect(), like the unload.
    this._online ||= () => this._sdk?.networkOnline();
    globalThis.addEventListener?.('online', this._online);
    // ICE restart policy (web/README.md "Failures"); the core bounds the numbers. The token's
    // margin is passed as it is: the core takes anything but a positive number as its default.
    const int = (v, d) => (Number.isInteger(v) ? v : d);
    await this._sdk.connect(websocketUrl, token, uniqueId(), SDK_VERSION, rtcConfiguration(options), timeoutMs(options.timeoutMs),
      int(options.maxIceRestarts, 5), int(options.iceRestartDelayMs, 5000), int(options.iceDisconnectedMs, 2500),
      options.tokenExpiryMarginMs, Date.now(), JSON.stringify(options.qualityThresholds ?? {}))
      .catch(rethrow);
  }

  // The token for what follows (a resume after a network change included); the call goes on.
  updateToken(token) {
    this._connected('updateToken').updateToken(checkToken(token, 'The token'), Date.now());
  }

  async publish(input, audioLevelChangeHandler, alias, codecPreferences) {
    const sdk = this._connected('publish');
    const prefs = codecPreferences ? JSON.stringify(codecPreferences) : '';
    const stream = await (globalThis.MediaStream && input instanceof MediaStream
      ? sdk.publishStream(input, alias ? String(alias) : '', prefs)
      : sdk.publishMedia(JSON.stringify(input || { audio: true, video: true }), alias ? String(alias) : '', prefs)).catch(rethrow);
    if (audioLevelChangeHandler) this._meter(stream.endpointId, stream.mediaStream, audioLevelChangeHandler);
    return stream;
  }

  // A level meter that can start again: Web Audio's MediaStreamAudioSourceNode keeps the track it
  // started with, so after a microphone switch the meter is renewed on the stream's new track.
  _meter(id, mediaStream, handler) {
    const stop = watchAudioLevel(mediaStream, handler);
    stop.renew = () => this._meter(id, mediaStream, handler);
    this._meters.set(id, stop);
  }

  _renewMeters() {
    // Renewing sets the same key: no entry added to what the loop visits.
    for (const stop of this._meters.values()) {
      stop();
      stop.renew();
    }
  }

  async unpublish(...streams) {
    const sdk = this._connected('unpublish');
    const ids = streams.flat().map(streamId);
    for (const [id, stop] of this._meters) {
      if (!ids.length || ids.includes(id)) {
        stop();
        this._meters.delete(id);
      }
    }
    await sdk.unpublish(ids).catch(rethrow);
  }

  sendDtmf(tone, stream) {
    this._connected('sendDtmf').sendDtmf(String(tone), streamId(stream)); // embind takes strings only
  }

  setMicEnabled(enabled, stream) {
    this._connected('setMicEnabled').setTracksEnabled('audio', !!enabled, streamId(stream));
  }

  setCameraEnabled(enabled, stream) {
    this._connected('setCameraEnabled').setTracksEnabled('video', !!enabled, streamId(stream));
  }

  /** Stats of the "publish" or "subscribe" connection, as an array of RTCStats dictionaries. */
  async getStats(which = 'publish') {
    const sdk = this._connected('getStats');
    return JSON.parse(await sdk.getStats(String(which)).catch(rethrow));
  }

  // Without navigator.mediaDevices (outside a secure context, W3C Media Capture and Streams §9.2)
  // or when listing fails, a coded error like every other, not the browser's TypeError.
  async getMediaDevices(filter) {
    let devices;
    try {
      devices = await navigator.mediaDevices.enumerateDevices();
    } catch (error) {
      throw new BandwidthRtcError(`Cannot list the media devices: ${error?.message ?? error}`, 'media_failed');
    }
    return filter ? devices.filter((d) => d.kind === filter) : devices;
  }

  getAudioInputs() {
    return this.getMediaDevices('audioinput');
  }

  getVideoInputs() {
    return this.getMediaDevices('videoinput');
  }

  getAudioOutputs() {
    return this.getMediaDevices('audiooutput');
  }

  // Devices (docs/sdk.md "Devices"). The published microphone or camera (of `stream`, or of the
  // first stream that has one) becomes a capture of `deviceId`, sent with replaceTrack: no
  // renegotiation, the same stream at the subscribers, the mute state kept.
  switchMicrophone(deviceId, stream) {
    return this._switch('audio', 'switchMicrophone', deviceId, stream);
  }

  switchCamera(deviceId, stream) {
    return this._switch('video', 'switchCamera', deviceId, stream);
  }

  async _switch(kind, method, deviceId, stream) {
    await this._connected(method).switchDevice(kind, String(deviceId ?? ''), streamId(stream)).catch(rethrow);
    if (kind === 'audio') this._renewMeters();
  }

  // Preflight (docs/sdk.md "Preflight"): the checks run in the core (wasm/core/Preflight.hpp),
  // on a handle of their own, which the page keeps for the next run.
  static async runPreflight(options = {}) {
    const token = checkToken(options.deviceToken, 'options.deviceToken');
    const websocketUrl = String(options.websocketUrl || defaultWebsocketUrl());
    const core = await loadCore(options.wasmUrl);
    preflightSdk ||= new core.SdkHandle((kind, level, a) => kind === 3 && log(level + 1, a));
    return JSON.parse(await preflightSdk.preflight(websocketUrl, token, uniqueId(), SDK_VERSION, rtcConfiguration({ iceServers: options.iceServers }),
      options.durationMs | 0, Date.now(), JSON.stringify(options.qualityThresholds ?? {})).catch(rethrow));
  }

  // HTMLMediaElement.setSinkId (W3C Audio Output Devices API §2.1) on the application's own
  // elements: a browser call with nothing for the core to decide, so it stays in this facade.
  static get canSelectSpeaker() {
    return typeof globalThis.HTMLMediaElement?.prototype.setSinkId === 'function';
  }

  async setSpeaker(deviceId, ...mediaElements) {
    if (!SwitchboardRtc.canSelectSpeaker) throw new BandwidthRtcError('No HTMLMediaElement.setSinkId: this browser cannot choose the speaker', 'sink_unsupported');
    try {
      await Promise.all(mediaElements.flat().map((el) => el.setSinkId(String(deviceId ?? ''))));
    } catch (error) {
      // NotFoundError: no such output (Audio Output Devices §2.1 setSinkId() steps).
      throw new BandwidthRtcError(`Cannot use the audio output '${deviceId}': ${error?.message ?? error}`, error?.name === 'NotFoundError' ? 'no_device' : 'media_failed');
    }
  }

  // ({audioinput, audiooutput, videoinput}) => void: the devices after a change (`devicechange`).
  onDevicesChanged(callback) {
    this._events.setCallback('devicesChanged', callback);
  }

  // ({kind, lostDeviceId, deviceId, endpointId, error?}) => void: a published track's device went
  // away and the default device of its kind replaced it (or could not: `error`, deviceId '').
  onDeviceFallback(callback) {
    this._events.setCallback('deviceFallback', callback);
  }

  disconnect() {
    this._connected('disconnect').disconnect();
    this._callStats = null;
    globalThis.removeEventListener?.('beforeunload', this._unload);
    globalThis.removeEventListener?.('online', this._online);
    for (const stop of this._meters.values()) stop();
    this._meters.clear();
  }

  // The stock SDK's guard (reference §1.2): these methods need connect() first.
  _connected(method) {
    if (!this._sdk) throw new BandwidthRtcError(`You must call 'connect' before '${method}'`, 'not_connected');
    return this._sdk;
  }
}

// The stock package's BandwidthRtcV3 is its device API v3 client; the default class picks it or
// the v2 one from the token. Switchboard speaks v3 only, so here the default class is the v3 one.
export { SwitchboardRtc as BandwidthRtc, SwitchboardRtc as BandwidthRtcV3 };
export default SwitchboardRtc;

// The stock package's client of Bandwidth's device API v2, which Switchboard does not serve
// (its device endpoint is /v3/ only): the class is there so that applications that name it
// still load, and its connect() rejects with "unsupported_protocol" rather than speaking v3 to
// a v2 application or doing nothing.
export class BandwidthRtcV2 extends SwitchboardRtc {
  async connect() {
    throw new BandwidthRtcError('Switchboard serves the device API v3 only: use BandwidthRtc, not BandwidthRtcV2', 'unsupported_protocol');
  }
}
