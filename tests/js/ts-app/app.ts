// A browser application written against @bandwidth/webrtc-browser 0.12.0-beta.1, the way its
// README and TypeScript types lead one to write it: every export, enum and method an application
// uses. tests/js/typescript.test.mjs type-checks it against the stock package as it is, and
// against ours with only the module name in the import below changed.
import BandwidthRtc, {
  AudioLevel,
  BandwidthRtcError,
  BandwidthRtcV2,
  BandwidthRtcV3,
  MediaAggregationType,
  MediaType,
  type AudioLevelChangeHandler,
  type RtcAuthParams,
  type RtcOptions,
  type RtcStream,
} from '@bandwidth/webrtc-browser';

const rtc: BandwidthRtc = new BandwidthRtc('warn');
rtc.setLogLevel('debug');

const remote = new Map<string, HTMLMediaElement>();

rtc.onStreamAvailable((stream: RtcStream) => {
  const element = document.createElement(stream.mediaTypes.includes(MediaType.VIDEO) ? 'video' : 'audio');
  element.autoplay = true;
  element.srcObject = stream.mediaStream;
  element.title = `${stream.participantId ?? 'someone'} ${stream.alias ?? ''}`;
  document.body.append(element);
  remote.set(stream.endpointId, element);
});

rtc.onStreamUnavailable((endpointId: string) => {
  remote.get(endpointId)?.remove();
  remote.delete(endpointId);
});

const speaking: AudioLevelChangeHandler = (level: AudioLevel) => {
  switch (level) {
    case AudioLevel.HIGH:
      document.body.classList.add('speaking');
      break;
    case AudioLevel.LOW:
    case AudioLevel.SILENT:
      document.body.classList.remove('speaking');
      break;
  }
};

export async function join(deviceToken: string, websocketUrl?: string): Promise<RtcStream | undefined> {
  const auth: RtcAuthParams = { deviceToken };
  const options: RtcOptions = { iceTransportPolicy: 'all', iceServers: [{ urls: 'stun:stun.example.org' }] };
  if (websocketUrl) options.websocketUrl = websocketUrl;
  try {
    await rtc.connect(auth, options);
  } catch (error) {
    if (error instanceof BandwidthRtcError) console.error('cannot connect:', error.message);
    return undefined;
  }
  const microphones: MediaDeviceInfo[] = await rtc.getMediaDevices('audioinput');
  const constraints: MediaStreamConstraints = {
    audio: microphones[0] ? { deviceId: { exact: microphones[0].deviceId } } : true,
    video: false,
  };
  const mic = await rtc.publish(constraints, speaking, 'microphone');
  const isAudio: boolean = mic.mediaTypes.every((t) => t === MediaType.AUDIO || t === MediaType.APPLICATION);
  console.log(isAudio, MediaAggregationType.NONE, mic.mediaStream.getAudioTracks().length);
  return mic;
}

export async function shareScreen(): Promise<RtcStream> {
  const screen: MediaStream = await navigator.mediaDevices.getDisplayMedia({ video: true });
  const opus = (RTCRtpSender.getCapabilities('audio')?.codecs ?? []).filter((c) => c.mimeType === 'audio/opus');
  return rtc.publish(screen, undefined, 'screen', { audio: opus });
}

// The kind chosen in a <select>: a string, as the stock getMediaDevices takes.
export async function devicesOfKind(select: HTMLSelectElement): Promise<string[]> {
  const devices = await rtc.getMediaDevices(select.value);
  return devices.map((d) => d.label);
}

export async function devices(): Promise<number> {
  const [inputs, cameras, outputs] = await Promise.all([rtc.getAudioInputs(), rtc.getVideoInputs(), rtc.getAudioOutputs()]);
  return inputs.length + cameras.length + outputs.length;
}

export function controls(mic: RtcStream): void {
  rtc.setMicEnabled(false);
  rtc.setMicEnabled(true, mic);
  rtc.setCameraEnabled(false, mic.endpointId);
  const mute = rtc.setMicEnabled; // bound in the SDK: callable detached
  mute(false);
  rtc.sendDtmf('1');
  rtc.sendDtmf('#', mic.endpointId);
}

export async function leave(mic: RtcStream, screen: RtcStream): Promise<void> {
  await rtc.unpublish(mic);
  await rtc.unpublish(screen.endpointId);
  await rtc.unpublish();
  rtc.disconnect();
}

// The protocol-specific clients the stock package also exports.
export function v3Client(): BandwidthRtcV3 {
  const v3 = new BandwidthRtcV3('info');
  v3.onStreamAvailable((s) => console.log(s.endpointId));
  return v3;
}

export async function v2Client(token: string): Promise<BandwidthRtcV2> {
  const v2 = new BandwidthRtcV2();
  v2.onStreamUnavailable((endpointId) => console.log(endpointId));
  await v2.connect({ deviceToken: token });
  v2.setMicEnabled(false, 'endpoint');
  await v2.unpublish('endpoint');
  return v2;
}
