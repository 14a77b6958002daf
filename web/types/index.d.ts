// Public types of @switchboard/webrtc-browser. The API is that of @bandwidth/webrtc-browser
// 0.12.0-beta.1 (method names, arguments and event payloads), plus connection state, getStats and
// coded errors.

export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug';

export declare const MediaType: Readonly<{ AUDIO: 'AUDIO'; VIDEO: 'VIDEO'; APPLICATION: 'APPLICATION' }>;
export type MediaType = (typeof MediaType)[keyof typeof MediaType];

export declare const AudioLevel: Readonly<{ SILENT: 'silent'; LOW: 'low'; HIGH: 'high' }>;
export type AudioLevel = (typeof AudioLevel)[keyof typeof AudioLevel];

/** Kept for source compatibility with the stock SDK (only its v2 signaling used it). */
export declare const MediaAggregationType: Readonly<{ NONE: 'NONE'; COMPOSITE: 'COMPOSITE' }>;
export type MediaAggregationType = (typeof MediaAggregationType)[keyof typeof MediaAggregationType];

export declare const SDK_VERSION: string;

export interface RtcAuthParams {
  deviceToken: string;
}

export interface RtcOptions {
  /** Base URL of the device endpoint, without /v3/. Default: ws(s)://location.host of the page. */
  websocketUrl?: string;
  iceServers?: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** How long connect() waits for the server before rejecting with "connect_timeout" (ms, default 15000). */
  timeoutMs?: number;
  /**
   * ICE restarts of the publishing connection once it failed before the connection state becomes
   * "failed" with error code "ice_failed" (default 5, at most 20). The subscribing connection,
   * which cannot restart ICE itself, is given maxIceRestarts x iceRestartDelayMs for the server
   * to restore it.
   */
  maxIceRestarts?: number;
  /** Delay between two ICE restarts (ms, default 5000, from 100 to 60000). */
  iceRestartDelayMs?: number;
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

export interface CodecPreferences {
  audio?: RTCRtpCodecCapability[];
  video?: RTCRtpCodecCapability[];
}

export type AudioLevelChangeHandler = (level: AudioLevel) => void;

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'failed';

/**
 * Error codes: "not_connected", "invalid_argument", "invalid_state", "server_unreachable",
 * "connect_timeout", "websocket_failed", "server_refused", the server's token codes
 * ("token_expired", "token_malformed", "token_bad_signature", "token_algorithm_not_allowed",
 * "token_wrong_issuer", "token_unsupported_version", "token_participant_gone"), "rpc_error"
 * (a JSON-RPC error object: see rpcCode and data), "request_timeout", "socket_closed",
 * "negotiation_failed", "media_failed", "disconnected"; getUserMedia's "permission_denied"
 * (NotAllowedError, SecurityError) and "no_device" (NotFoundError, OverconstrainedError), its
 * other failures being "media_failed" (NotReadableError included), each with data: {name,
 * message} of the browser's error; "ice_failed" (connection state "failed": a peer connection
 * lost its media path for good); "subscribe_failed" (onSubscribeFailed).
 */
export declare class BandwidthRtcError extends Error {
  constructor(message: string, code?: string, details?: object);
  code?: string;
  /** JSON-RPC error code, for code "rpc_error". */
  rpcCode?: number;
  data?: unknown;
}
export { BandwidthRtcError as SwitchboardRtcError };

export declare class SwitchboardRtc {
  constructor(logLevel?: LogLevel);
  /** Resolves once connected; rejects with a coded BandwidthRtcError (never hangs). */
  connect(authParams: RtcAuthParams, options?: RtcOptions): Promise<void>;
  setLogLevel(level: LogLevel): void;
  onStreamAvailable(callback: (event: RtcStream) => void): void;
  onStreamUnavailable(callback: (streamId: string) => void): void;
  /** Not in the stock SDK. `error` is set for "failed" (and for a server-side close). */
  onConnectionStateChange(callback: (state: ConnectionState, error?: BandwidthRtcError) => void): void;
  /** DTMF from a phone this device hears (Switchboard extension). */
  onDtmf(callback: (event: { participantId: string; endpointId: string; tone: string }) => void): void;
  /**
   * A server offer of the subscribing connection could not be applied (error.code
   * "subscribe_failed"); endpointIds are the streams it described (Switchboard extension).
   */
  onSubscribeFailed(callback: (event: { error: BandwidthRtcError; endpointIds: string[] }) => void): void;
  readonly connectionState: ConnectionState;
  publish(
    input?: MediaStreamConstraints | MediaStream,
    audioLevelChangeHandler?: AudioLevelChangeHandler,
    alias?: string,
    codecPreferences?: CodecPreferences,
  ): Promise<RtcStream>;
  unpublish(...streams: RtcStream[] | string[]): Promise<void>;
  getMediaDevices(filter?: MediaDeviceKind): Promise<MediaDeviceInfo[]>;
  getAudioInputs(): Promise<MediaDeviceInfo[]>;
  getVideoInputs(): Promise<MediaDeviceInfo[]>;
  getAudioOutputs(): Promise<MediaDeviceInfo[]>;
  sendDtmf(tone: string, streamId?: string): void;
  setMicEnabled(enabled: boolean, stream?: RtcStream | string): void;
  setCameraEnabled(enabled: boolean, stream?: RtcStream | string): void;
  /** Not in the stock SDK: the stats of the publishing or subscribing RTCPeerConnection. */
  getStats(which?: 'publish' | 'subscribe'): Promise<RTCStats[]>;
  disconnect(): void;
}
export { SwitchboardRtc as BandwidthRtc };
export default SwitchboardRtc;
