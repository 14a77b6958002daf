// Public types of @switchboard/webrtc-browser. Every export of @bandwidth/webrtc-browser
// 0.12.0-beta.1 is here with the same name, kind (enum, class, interface) and signature, so an
// application written for it type-checks after swapping the import; what Switchboard adds is
// marked "Switchboard". The API, events and error codes are described in docs/sdk.md.
// Self-contained: it needs TypeScript's DOM library only (no @types/node).

export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug';

export declare enum AudioLevel {
  SILENT = 'silent',
  LOW = 'low',
  HIGH = 'high',
}

/** Kept for source compatibility with the stock SDK (only its v2 signaling used it). */
export declare enum MediaAggregationType {
  NONE = 'NONE',
  COMPOSITE = 'COMPOSITE',
}

export declare enum MediaType {
  AUDIO = 'AUDIO',
  VIDEO = 'VIDEO',
  APPLICATION = 'APPLICATION',
}

/** Switchboard: the package version, also sent to the server as `sdkVersion` at connect. */
export declare const SDK_VERSION: string;

export type AudioLevelChangeHandler = {
  (audioLevel: AudioLevel): void;
};

export interface RtcAuthParams {
  deviceToken: string;
}

export interface RtcOptions {
  /** Base URL of the device endpoint, without /v3/. Default: ws(s)://location.host of the page. */
  websocketUrl?: string;
  iceServers?: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** Switchboard: how long connect() waits for the server before rejecting with "connect_timeout" (ms, default 15000; at most 600000, other values mean the default). */
  timeoutMs?: number;
  /**
   * Switchboard: where switchboard.wasm is fetched from, when not next to the SDK's script
   * (default: `new URL('switchboard.wasm', <URL of dist/index.js, or of the script that bundles dist/index.cjs>)`).
   */
  wasmUrl?: string | URL;
  /**
   * Switchboard: ICE restarts of each peer connection (when it is "failed", stays "disconnected"
   * for iceDisconnectedMs, or the browser goes back online) before the connection state becomes
   * "failed" with error code "ice_failed" (default 5, at most 20). The state is "reconnecting"
   * while they run.
   */
  maxIceRestarts?: number;
  /** Delay between two ICE restarts (ms, default 5000, from 100 to 60000). */
  iceRestartDelayMs?: number;
  /** How long a peer connection may stay "disconnected" before an ICE restart (ms, default 2500, from 100 to 60000). */
  iceDisconnectedMs?: number;
  /**
   * Switchboard: how long before the token's `exp` the tokenWillExpire event fires (ms, default
   * 60000; anything but a positive integer means the default). Fired at once if that is past.
   */
  tokenExpiryMarginMs?: number;
  /** Switchboard: the call-quality warnings' thresholds and hysteresis (docs/sdk.md "Call quality"). */
  qualityThresholds?: QualityThresholds;
}

/** Switchboard: members out of bounds (or not numbers) keep their default. */
export interface QualityThresholds {
  /** high-rtt above this round trip (ms, default 400, 1..60000). */
  rttMs?: number;
  /** high-jitter above this jitter (ms, default 30, 1..10000). */
  jitterMs?: number;
  /** high-packet-loss above this fraction lost in a second (default 0.05, 0.001..1). */
  packetLoss?: number;
  /** low-mos below this MOS (default 3.5, 1..4.5). */
  mos?: number;
  /** Seconds (samples) in a row a condition must hold before its warning is raised (default 3, 1..60). */
  raiseAfter?: number;
  /** Seconds in a row without it before the warning is cleared (default 3, 1..60). */
  clearAfter?: number;
  /** Seconds of silence before silent-microphone or no-inbound-audio (default 5, 1..60). */
  silenceAfter?: number;
}

export type QualityWarningName =
  | 'high-rtt'
  | 'high-jitter'
  | 'high-packet-loss'
  | 'low-mos'
  | 'silent-microphone'
  | 'no-inbound-audio';

/** Measured warnings: the value that raised it and the threshold; silences: how long they lasted. */
export interface QualityWarningDetails {
  value?: number;
  threshold?: number;
  seconds?: number;
}

/** Switchboard: one RTP stream of a call-quality sample; null where the browser's report has no value. */
export interface StreamQuality {
  /** The RtcStream's endpointId ("" when the browser's report does not name the track). */
  endpointId: string;
  direction: 'inbound' | 'outbound';
  kind: 'audio' | 'video';
  rttMs: number | null;
  jitterMs: number | null;
  /** Lost over the last second, 0..1 (null on a stream's first sample). */
  packetLoss: number | null;
  bitrateKbps: number | null;
  /** 0..1, audio only. */
  audioLevel: number | null;
  /** ITU-T G.107 E-model estimate, 1..4.5, audio only. */
  mos: number | null;
}

/** Switchboard: a call-quality sample (getCallStats(), the callStats event, once a second). */
export interface CallStats {
  /** ms since the epoch (the reports' time). */
  timestamp: number | null;
  rttMs: number | null;
  jitterMs: number | null;
  packetLoss: number | null;
  bitrateKbps: { inbound: number | null; outbound: number | null };
  audioLevel: { inbound: number | null; outbound: number | null };
  /** The lowest of the audio streams' MOS. */
  mos: number | null;
  streams: StreamQuality[];
}

export interface RtcStream {
  /** The MediaStream id (msid), on the publishing and on the receiving side. */
  endpointId: string;
  mediaTypes: MediaType[];
  mediaStream: MediaStream;
  alias?: string;
  /** Set on received streams. */
  participantId?: string;
}

/**
 * A codec as RTCRtpSender.getCapabilities() lists it (W3C WebRTC §5.2 RTCRtpCodec; older DOM
 * libraries call it RTCRtpCodecCapability). Declared here so that these types do not depend on
 * which of the two names the application's TypeScript DOM library has.
 */
export interface CodecCapability {
  mimeType: string;
  clockRate: number;
  channels?: number;
  sdpFmtpLine?: string;
}

export interface CodecPreferences {
  audio?: CodecCapability[];
  video?: CodecCapability[];
}

/** Switchboard: the state of the connection to the server (docs/sdk.md "Connection state"). */
export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'failed';

/**
 * Switchboard: the `code` of every BandwidthRtcError the SDK raises (catalogue with causes and
 * fixes in docs/errors.md "SDK errors").
 *
 * Calls made too early or wrongly: "not_connected" (a method needs connect() first),
 * "invalid_argument", "invalid_state" (e.g. connect() twice), "unsupported_protocol"
 * (BandwidthRtcV2: Switchboard serves the device API v3 only).
 *
 * Connecting: "wasm_load_failed" (switchboard.wasm could not be fetched or compiled),
 * "server_unreachable", "connect_timeout", "websocket_failed" (the server accepts the token, the
 * WebSocket fails anyway), "server_refused" (an HTTP error without a code), and the
 * server's own refusals: "token_missing", "token_malformed", "token_bad_signature",
 * "token_algorithm_not_allowed", "token_wrong_issuer", "token_unsupported_version",
 * "token_expired", "token_participant_gone", "token_invalid", "too_many_devices",
 * "too_many_connections" (the server has its maximum of connections open), "loopback_invalid"
 * (the preflight's `loopback` URL parameter was refused).
 *
 * Once connected: "rpc_error" (a JSON-RPC error object: see `rpcCode` and `data`),
 * "request_timeout", "bad_response", "socket_closed", "disconnected" (disconnect() was called).
 *
 * Reconnecting after the signaling connection was lost (connection state "failed", the call is
 * over): "resume_expired" (the server no longer keeps this device: its grace period is over, or
 * it was released), "resume_refused" (the server refused to give this device back), and the
 * token's refusals above (e.g. "token_expired": pass a fresh token to updateToken() before).
 *
 * Media: "permission_denied" (getUserMedia refused by the user or the page's permissions),
 * "no_device" (NotFoundError, OverconstrainedError: no capture device matches), "media_failed"
 * (other getUserMedia and media errors, NotReadableError included; `data` has the browser error's
 * name and message), "negotiation_failed" (SDP offer/answer), "ice_failed" (a peer
 * connection stayed `failed` after the last ICE restart; connection state "failed"),
 * "subscribe_failed" (a stream to receive could not be negotiated; the subscribeFailed event),
 * "sink_unsupported" (setSpeaker() where the browser has no HTMLMediaElement.setSinkId).
 */
export type ErrorCode =
  | 'not_connected'
  | 'invalid_argument'
  | 'invalid_state'
  | 'unsupported_protocol'
  | 'wasm_load_failed'
  | 'server_unreachable'
  | 'connect_timeout'
  | 'websocket_failed'
  | 'server_refused'
  | 'token_missing'
  | 'token_malformed'
  | 'token_bad_signature'
  | 'token_algorithm_not_allowed'
  | 'token_wrong_issuer'
  | 'token_unsupported_version'
  | 'token_expired'
  | 'token_participant_gone'
  | 'token_invalid'
  | 'too_many_devices'
  | 'too_many_connections'
  | 'loopback_invalid'
  | 'rpc_error'
  | 'request_timeout'
  | 'bad_response'
  | 'socket_closed'
  | 'disconnected'
  | 'ended_by_server'
  | 'resume_expired'
  | 'resume_refused'
  | 'permission_denied'
  | 'no_device'
  | 'media_failed'
  | 'negotiation_failed'
  | 'ice_failed'
  | 'subscribe_failed'
  | 'sink_unsupported'
  | 'turn_refused'
  | 'turn_unreachable'
  | 'no_turn_server'
  | 'no_media'
  | 'check_skipped';

/** Switchboard: SwitchboardRtc.runPreflight's options (docs/sdk.md "Preflight"). */
export interface PreflightOptions {
  deviceToken: string;
  /** ws(s)://host:port of the server; default: this page's host. */
  websocketUrl?: string;
  /** How long the round-trip media is sampled (ms, default 3000, 1000..30000). */
  durationMs?: number;
  /** ICE servers for the relay check instead of the server's (the host check uses none). */
  iceServers?: RTCIceServer[];
  /** The media check's thresholds (QualityThresholds: rttMs, jitterMs, packetLoss, mos). */
  qualityThresholds?: QualityThresholds;
  /** Where the .wasm is (as connect()'s wasmUrl). */
  wasmUrl?: string;
}

/** Switchboard: 'skipped' when a check it needs failed (error.code "check_skipped"). */
export type PreflightStatus = 'pass' | 'warn' | 'fail' | 'skipped';

export interface PreflightCheck {
  status: PreflightStatus;
  /** How long the check took (ms); not on skipped checks. */
  ms?: number;
  /** Why it warns, fails or was skipped (skipped: `message` names the check that failed). */
  error?: { code: ErrorCode | QualityWarningName; message: string };
}

export interface PreflightMediaCheck extends PreflightCheck {
  /** Averages over the samples of the own audio that came back; null when unknown. */
  rttMs: number | null;
  jitterMs: number | null;
  packetLoss: number | null;
  mos: number | null;
}

export interface PreflightResult {
  /** The worst of the checks' statuses. */
  status: 'pass' | 'warn' | 'fail';
  checks: {
    signaling: PreflightCheck;
    microphone: PreflightCheck;
    iceHost: PreflightCheck;
    iceRelay: PreflightCheck;
    media: PreflightMediaCheck;
  };
}

export declare class BandwidthRtcError extends Error {
  constructor(message?: string, code?: ErrorCode, details?: { rpcCode?: number; data?: unknown });
  /** Switchboard: what went wrong, machine-readable (set on every error the SDK raises). */
  code: ErrorCode;
  /** Switchboard: the JSON-RPC error code, for code "rpc_error". */
  rpcCode?: number;
  /** Switchboard: the JSON-RPC error's data, for code "rpc_error". */
  data?: unknown;
}
export { BandwidthRtcError as SwitchboardRtcError };

/** Switchboard: DTMF from a phone this device hears. */
export interface DtmfEvent {
  participantId: string;
  endpointId: string;
  tone: string;
}

/** Switchboard: streams this device should receive and could not negotiate. */
export interface SubscribeFailedEvent {
  /** code "subscribe_failed" */
  error: BandwidthRtcError;
  endpointIds: string[];
}

/**
 * Switchboard: a stream this device receives was muted or unmuted by its publisher
 * (setMicEnabled / setCameraEnabled there); also told on receiving a stream that is muted.
 */
export interface RemoteMuteChangeEvent {
  endpointId: string;
  participantId: string;
  kind: 'audio' | 'video';
  muted: boolean;
}

/** Switchboard: the audio of a stream this device receives started or stopped speaking. */
export interface ActiveSpeakerChangeEvent {
  endpointId: string;
  participantId: string;
  speaking: boolean;
}

/** Switchboard: the devices after a `devicechange`, by MediaDeviceInfo.kind. */
export interface DevicesChangedEvent {
  audioinput: MediaDeviceInfo[];
  audiooutput: MediaDeviceInfo[];
  videoinput: MediaDeviceInfo[];
}

/**
 * Switchboard: a published track ended on its own (its device went away) and the default device
 * of its kind replaced it; or could not (`error` set, `deviceId` '').
 */
export interface DeviceFallbackEvent {
  kind: 'audio' | 'video';
  /** The lost track's device ('' when it had none, e.g. a track the application made). */
  lostDeviceId: string;
  deviceId: string;
  /** The published stream the track belongs to. */
  endpointId: string;
  error?: BandwidthRtcError;
}

/** Switchboard: the names on() and off() take, with their listeners' signatures. */
export interface SwitchboardRtcEventMap {
  streamAvailable: (event: RtcStream) => void;
  streamUnavailable: (streamId: string) => void;
  connectionStateChange: (state: ConnectionState, error?: BandwidthRtcError) => void;
  dtmf: (event: DtmfEvent) => void;
  subscribeFailed: (event: SubscribeFailedEvent) => void;
  tokenWillExpire: () => void;
  remoteMuteChange: (event: RemoteMuteChangeEvent) => void;
  activeSpeakerChange: (event: ActiveSpeakerChangeEvent) => void;
  callStats: (sample: CallStats) => void;
  qualityWarning: (name: QualityWarningName, details: QualityWarningDetails) => void;
  qualityWarningCleared: (name: QualityWarningName) => void;
  devicesChanged: (event: DevicesChangedEvent) => void;
  deviceFallback: (event: DeviceFallbackEvent) => void;
}

/**
 * The SDK. Also exported as `default`, `BandwidthRtc` and `BandwidthRtcV3`: Switchboard speaks
 * the device API v3, so the stock default class and its v3 client are the same class here.
 */
export declare class SwitchboardRtc {
  constructor(logLevel?: LogLevel);
  /** Resolves once connected; rejects with a coded BandwidthRtcError (never hangs). */
  connect(authParams: RtcAuthParams, options?: RtcOptions): Promise<void>;
  setLogLevel(logLevel: LogLevel): void;
  /** Sets the one callback of the event (replacing the previous one); on() adds more. */
  onStreamAvailable(callback: { (event: RtcStream): void }): void;
  onStreamUnavailable(callback: { (streamId: string): void }): void;
  /** Switchboard. `error` is set for "failed" (and for a server-side close). */
  onConnectionStateChange(callback: (state: ConnectionState, error?: BandwidthRtcError) => void): void;
  /** Switchboard: DTMF from a phone this device hears. */
  onDtmf(callback: (event: DtmfEvent) => void): void;
  /** Switchboard: a stream this device should receive could not be negotiated. */
  onSubscribeFailed(callback: (event: SubscribeFailedEvent) => void): void;
  /**
   * Switchboard: the token expires within RtcOptions.tokenExpiryMarginMs (its `exp` claim): get
   * a fresh one (your server mints it: POST /v1/accounts/{accountId}/participants/{id}/tokens)
   * and pass it to updateToken(). Fires once per token.
   */
  onTokenWillExpire(callback: () => void): void;
  /** Switchboard: a stream this device receives was muted or unmuted by its publisher. */
  onRemoteMuteChange(callback: (event: RemoteMuteChangeEvent) => void): void;
  /** Switchboard: a stream this device receives started or stopped speaking (the server measures). */
  onActiveSpeakerChange(callback: (event: ActiveSpeakerChangeEvent) => void): void;
  /**
   * Switchboard: the token used from now on, by the next reconnect (a resume) included; the call
   * goes on. The tokenWillExpire event is placed anew from its `exp`.
   */
  updateToken(token: string): void;
  /**
   * Switchboard: adds a listener (the same function twice counts once); the setter's callback
   * runs first, then the listeners in the order they were added.
   */
  on(name: 'streamAvailable', listener: (event: RtcStream) => void): this;
  on(name: 'streamUnavailable', listener: (streamId: string) => void): this;
  on(name: 'connectionStateChange', listener: (state: ConnectionState, error?: BandwidthRtcError) => void): this;
  on(name: 'dtmf', listener: (event: DtmfEvent) => void): this;
  on(name: 'subscribeFailed', listener: (event: SubscribeFailedEvent) => void): this;
  on(name: 'tokenWillExpire', listener: () => void): this;
  on(name: 'remoteMuteChange', listener: (event: RemoteMuteChangeEvent) => void): this;
  on(name: 'activeSpeakerChange', listener: (event: ActiveSpeakerChangeEvent) => void): this;
  on(name: 'callStats', listener: (sample: CallStats) => void): this;
  on(name: 'qualityWarning', listener: (name: QualityWarningName, details: QualityWarningDetails) => void): this;
  on(name: 'qualityWarningCleared', listener: (name: QualityWarningName) => void): this;
  on(name: 'devicesChanged', listener: (event: DevicesChangedEvent) => void): this;
  on(name: 'deviceFallback', listener: (event: DeviceFallbackEvent) => void): this;
  /** Switchboard: removes a listener added with on(). */
  off(name: 'streamAvailable', listener: (event: RtcStream) => void): this;
  off(name: 'streamUnavailable', listener: (streamId: string) => void): this;
  off(name: 'connectionStateChange', listener: (state: ConnectionState, error?: BandwidthRtcError) => void): this;
  off(name: 'dtmf', listener: (event: DtmfEvent) => void): this;
  off(name: 'subscribeFailed', listener: (event: SubscribeFailedEvent) => void): this;
  off(name: 'tokenWillExpire', listener: () => void): this;
  off(name: 'remoteMuteChange', listener: (event: RemoteMuteChangeEvent) => void): this;
  off(name: 'activeSpeakerChange', listener: (event: ActiveSpeakerChangeEvent) => void): this;
  off(name: 'callStats', listener: (sample: CallStats) => void): this;
  off(name: 'qualityWarning', listener: (name: QualityWarningName, details: QualityWarningDetails) => void): this;
  off(name: 'qualityWarningCleared', listener: (name: QualityWarningName) => void): this;
  /** Switchboard: the latest call-quality sample (once a second while connected), or null. */
  getCallStats(): CallStats | null;
  /** Switchboard: a call-quality warning was raised (once, until it is cleared). */
  onQualityWarning(callback: (name: QualityWarningName, details: QualityWarningDetails) => void): void;
  /** Switchboard: a call-quality warning was cleared. */
  onQualityWarningCleared(callback: (name: QualityWarningName) => void): void;
  off(name: 'devicesChanged', listener: (event: DevicesChangedEvent) => void): this;
  off(name: 'deviceFallback', listener: (event: DeviceFallbackEvent) => void): this;
  /** Switchboard. */
  readonly connectionState: ConnectionState;
  publish(
    input?: MediaStreamConstraints | MediaStream,
    audioLevelChangeHandler?: AudioLevelChangeHandler,
    alias?: string,
    codecPreferences?: CodecPreferences,
  ): Promise<RtcStream>;
  /** Leave empty to unpublish all streams. */
  unpublish(...streams: RtcStream[] | string[]): Promise<void>;
  getVideoInputs(): Promise<MediaDeviceInfo[]>;
  getAudioInputs(): Promise<MediaDeviceInfo[]>;
  getAudioOutputs(): Promise<MediaDeviceInfo[]>;
  /** @param filter a MediaDeviceInfo.kind ("audioinput", "videoinput", "audiooutput") */
  getMediaDevices(filter?: string): Promise<MediaDeviceInfo[]>;
  sendDtmf(tone: string, streamId?: string): void;
  setMicEnabled(enabled: boolean, stream?: RtcStream | string): void;
  setCameraEnabled(enabled: boolean, stream?: RtcStream | string): void;
  /** Switchboard: the stats of the publishing or subscribing RTCPeerConnection. */
  getStats(which?: 'publish' | 'subscribe'): Promise<RTCStats[]>;
  /**
   * Switchboard: the published microphone (of `stream`, else of the first stream with one)
   * becomes a capture of `deviceId` (a MediaDeviceInfo.deviceId of getAudioInputs()), sent with
   * RTCRtpSender.replaceTrack: no renegotiation, the same endpointId at the subscribers, the mute
   * state kept; the RtcStream's mediaStream holds the new track.
   */
  switchMicrophone(deviceId: string, stream?: RtcStream | string): Promise<void>;
  /** Switchboard: as switchMicrophone, for the camera (getVideoInputs()). */
  switchCamera(deviceId: string, stream?: RtcStream | string): Promise<void>;
  /**
   * Switchboard: plays the elements' audio on the output `deviceId` (getAudioOutputs();
   * HTMLMediaElement.setSinkId). Rejects with "sink_unsupported" where the browser cannot.
   */
  setSpeaker(deviceId: string, ...mediaElements: HTMLMediaElement[]): Promise<void>;
  /** Switchboard: whether setSpeaker() can work in this browser (HTMLMediaElement.setSinkId). */
  static readonly canSelectSpeaker: boolean;
  /**
   * Switchboard: checks the microphone, signaling, ICE (host and relay through the deployment's
   * TURN) and round-trip media before a call (docs/sdk.md "Preflight"). Rejects only on bad
   * options ("invalid_argument"), a core that cannot load, or a run already going ("invalid_state").
   */
  static runPreflight(options: PreflightOptions): Promise<PreflightResult>;
  /** Switchboard: the devices after a change (`devicechange`); connect() is not needed. */
  onDevicesChanged(callback: (event: DevicesChangedEvent) => void): void;
  /** Switchboard: a published track's device went away; the default device replaced it. */
  onDeviceFallback(callback: (event: DeviceFallbackEvent) => void): void;
  disconnect(): void;
}
export { SwitchboardRtc as BandwidthRtc, SwitchboardRtc as BandwidthRtcV3 };
export default SwitchboardRtc;

/**
 * The stock package's client of Bandwidth's device API v2, with its signatures. Switchboard
 * serves the device API v3 only: connect() always rejects with code "unsupported_protocol".
 * @deprecated use the default export (BandwidthRtc) with a v3 device token.
 */
export declare class BandwidthRtcV2 {
  constructor();
  /** Always rejects with code "unsupported_protocol". */
  connect(authParams: RtcAuthParams, options?: RtcOptions): Promise<void>;
  onStreamAvailable(callback: { (event: RtcStream): void }): void;
  onStreamUnavailable(callback: { (endpointId: string): void }): void;
  publish(input?: MediaStreamConstraints | MediaStream, audioLevelChangeHandler?: AudioLevelChangeHandler, alias?: string): Promise<RtcStream>;
  unpublish(...streams: string[]): Promise<void>;
  getVideoInputs(): Promise<MediaDeviceInfo[]>;
  getAudioInputs(): Promise<MediaDeviceInfo[]>;
  getAudioOutputs(): Promise<MediaDeviceInfo[]>;
  getMediaDevices(filter?: string): Promise<MediaDeviceInfo[]>;
  sendDtmf(tone: string, streamId?: string): void;
  setMicEnabled(enabled: boolean, streamId?: string): void;
  setCameraEnabled(enabled: boolean, streamId?: string): void;
  disconnect(): void;
}
