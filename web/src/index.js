// @switchboard/webrtc-browser: the public API, method for method and event for event the one of
// Bandwidth's browser SDK (reference §1.2-1.3), plus connection state and clear connect errors.
// The work happens in the wasm core (wasm/core/); this file shapes it into idiomatic JS.
import { BandwidthRtcError, coreError } from './errors.js';
import { AudioLevel, watchAudioLevel } from './audioLevel.js';
import { loadCore } from './loader.js';

export { AudioLevel, BandwidthRtcError, BandwidthRtcError as SwitchboardRtcError };
export const MediaType = Object.freeze({ AUDIO: 'AUDIO', VIDEO: 'VIDEO', APPLICATION: 'APPLICATION' });
export const MediaAggregationType = Object.freeze({ NONE: 'NONE', COMPOSITE: 'COMPOSITE' });
export const SDK_VERSION = '0.1.0';

// In a page, the wasm core is fetched and compiled when this module is imported, as a JS-only
// SDK's code would be, rather than by the first connect() (about 20 ms sooner to first audio,
// bench/ttfa). A failure here is retried, and reported, by connect().
if (globalThis.document) loadCore().catch(() => {});

const LEVELS = ['off', 'error', 'warn', 'info', 'debug'];
let logLevel = 2; // warn, the stock default
const CONSOLE = [null, 'error', 'warn', 'info', 'debug'];

function log(level, ...args) {
  if (level <= logLevel) console[CONSOLE[level]]('[switchboard]', ...args);
}

// Application callbacks run from inside the wasm's event dispatch: an exception must not unwind
// through it (it is built without exception support), so it is reported here.
function safely(fn, ...args) {
  try {
    fn?.(...args);
  } catch (error) {
    console.error('[switchboard] an event handler threw', error);
  }
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

const streamId = (s) => (typeof s === 'string' ? s : s?.endpointId ?? '');

export class SwitchboardRtc {
  constructor(level) {
    if (level) this.setLogLevel(level);
    this._on = {};
    this._state = 'idle';
    this._meters = new Map();
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

  onStreamAvailable(callback) {
    this._on.available = callback;
  }

  onStreamUnavailable(callback) {
    this._on.unavailable = callback;
  }

  onConnectionStateChange(callback) {
    this._on.state = callback;
  }

  // DTMF from a phone this device hears: ({participantId, endpointId, tone}) => void.
  onDtmf(callback) {
    this._on.dtmf = callback;
  }

  // A server offer of the subscribing connection failed: ({error, endpointIds}) => void, error.code
  // "subscribe_failed". The streams already playing go on; see web/README.md "Failures".
  onSubscribeFailed(callback) {
    this._on.subscribeFailed = callback;
  }

  async connect(authParams, options = {}) {
    const token = authParams?.deviceToken;
    if (typeof token !== 'string' || !token) throw new BandwidthRtcError('authParams.deviceToken is required', 'invalid_argument');
    const websocketUrl = options.websocketUrl || defaultWebsocketUrl();
    const core = await loadCore();
    // The core's events (wasm/browser/pre.js): 0 state change, 1 stream available, 2 stream
    // unavailable, 3 log line, 4 DTMF from a phone, 5 subscribe failed.
    this._sdk ||= new core.SdkHandle((kind, level, a, b, mediaStream) => {
      if (kind === 0) {
        this._state = a;
        log(a === 'failed' ? 1 : 3, 'connection', a, b);
        safely(this._on.state, a, b ? coreError(b) : undefined);
      } else if (kind === 1) {
        safely(this._on.available, { ...JSON.parse(a), mediaStream });
      } else if (kind === 2) {
        safely(this._on.unavailable, a);
      } else if (kind === 4) {
        safely(this._on.dtmf, JSON.parse(a));
      } else if (kind === 5) {
        const error = coreError(a);
        log(2, 'subscribe failed', error.message);
        safely(this._on.subscribeFailed, { error, endpointIds: JSON.parse(b) });
      } else {
        log(level + 1, a);
      }
    });
    // Without iceServers of the application's own, the core uses those the server gives in the
    // setMediaPreferences result (docs/protocol.md "ICE servers (TURN)").
    const rtcConfiguration = { bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' };
    if (options.iceServers) rtcConfiguration.iceServers = options.iceServers;
    if (options.iceTransportPolicy) rtcConfiguration.iceTransportPolicy = options.iceTransportPolicy;
    this._unload ||= () => this._sdk.disconnect();
    globalThis.addEventListener?.('beforeunload', this._unload);
    // ICE restart policy (web/README.md "Failures"); the core bounds both numbers.
    const maxIceRestarts = Number.isInteger(options.maxIceRestarts) ? options.maxIceRestarts : 5;
    const iceRestartDelayMs = Number.isInteger(options.iceRestartDelayMs) ? options.iceRestartDelayMs : 5000;
    await this._sdk.connect(websocketUrl, token, uniqueId(), SDK_VERSION, JSON.stringify(rtcConfiguration), options.timeoutMs || 15000,
      maxIceRestarts, iceRestartDelayMs)
      .catch(rethrow);
  }

  async publish(input, audioLevelChangeHandler, alias, codecPreferences) {
    const sdk = this._connected('publish');
    const prefs = codecPreferences ? JSON.stringify(codecPreferences) : '';
    const stream = await (globalThis.MediaStream && input instanceof MediaStream
      ? sdk.publishStream(input, alias || '', prefs)
      : sdk.publishMedia(JSON.stringify(input || { audio: true, video: true }), alias || '', prefs)).catch(rethrow);
    if (audioLevelChangeHandler) this._meters.set(stream.endpointId, watchAudioLevel(stream.mediaStream, audioLevelChangeHandler));
    return stream;
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
    this._connected('sendDtmf').sendDtmf(tone, streamId(stream));
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
    return JSON.parse(await sdk.getStats(which).catch(rethrow));
  }

  async getMediaDevices(filter) {
    const devices = await navigator.mediaDevices.enumerateDevices();
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

  disconnect() {
    this._connected('disconnect').disconnect();
    globalThis.removeEventListener?.('beforeunload', this._unload);
    for (const stop of this._meters.values()) stop();
    this._meters.clear();
  }

  // The stock SDK's guard (reference §1.2): these methods need connect() first.
  _connected(method) {
    if (!this._sdk) throw new BandwidthRtcError(`You must call 'connect' before '${method}'`, 'not_connected');
    return this._sdk;
  }
}

export { SwitchboardRtc as BandwidthRtc };
export default SwitchboardRtc;
