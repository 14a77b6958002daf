// The demo softphone: "Join" asks the demo application (POST /demo/join) for a device token,
// connects with the Switchboard SDK, publishes the microphone (and camera), and plays what it
// receives, with a level meter and a quality badge per participant. phone.js calls phones and
// sends DTMF, devices.js picks devices, quality.js shows call quality, preflight.js runs the
// preflight. Features of newer SDKs (device switching, quality, remote mute, active speaker,
// preflight) are used when the SDK has them and said to be missing when it does not.
import { SwitchboardRtc } from '../dist/index.js';
import { setUpDevices, devicesForSdk, publishConstraints, refreshDevices, applySpeaker } from './devices.js';
import { setUpPhone, phoneConnected, phoneStreamAvailable, phoneStreamUnavailable } from './phone.js';
import { watchLevel, stopLevel, stopAllLevels } from './meters.js';
import { watchQuality } from './quality.js';
import { setUpPreflight } from './preflight.js';

const $ = (id) => document.getElementById(id);
let rtc = null;
let published = null;
let muted = false;
let stopQuality = () => {};
const streams = new Map(); // endpointId -> {mediaStream, li, quality, participantId}

function setState(state, error) {
  $('state').textContent = state;
  $('state').className = `state ${state}`;
  if (state === 'failed' && error) showError(`Connection failed: ${error.message}`);
  if (state === 'reconnecting') notice('The connection dropped: reconnecting…');
  if (state === 'connected') notice('');
}

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = !message;
}

function notice(message) {
  $('notice').textContent = message;
  $('notice').hidden = !message;
}

function addStream(stream) {
  const phoneLabel = phoneStreamAvailable(stream);
  const li = document.createElement('li');
  li.id = `stream-${stream.endpointId}`;
  li.dataset.participant = stream.participantId;
  const name = document.createElement('span');
  name.className = 'who';
  name.textContent = phoneLabel || `${stream.participantId} — ${stream.mediaTypes.join(' + ')}${stream.alias ? ` (${stream.alias})` : ''}`;
  const flags = document.createElement('span');
  flags.className = 'flags';
  const meter = document.createElement('meter');
  meter.min = 0;
  meter.max = 1;
  meter.value = 0;
  meter.setAttribute('aria-label', `Level of ${name.textContent}`);
  const quality = document.createElement('span');
  quality.className = 'quality';
  quality.textContent = '–';
  quality.setAttribute('aria-label', `Quality of ${name.textContent}`);
  li.append(name, flags, meter, quality);
  $('streams').appendChild(li);

  const hasVideo = stream.mediaTypes.includes('VIDEO');
  const el = document.createElement(hasVideo ? 'video' : 'audio');
  el.autoplay = true;
  el.playsInline = true;
  el.id = `media-${stream.endpointId}`;
  el.srcObject = stream.mediaStream;
  $('media').appendChild(el);
  streams.set(stream.endpointId, { mediaStream: stream.mediaStream, li, quality, participantId: stream.participantId });
  watchLevel(stream.endpointId, stream.mediaStream, meter);
  applySpeaker(el);
}

function removeStream(endpointId) {
  stopLevel(endpointId);
  streams.delete(endpointId);
  $(`stream-${endpointId}`)?.remove();
  $(`media-${endpointId}`)?.remove();
  phoneStreamUnavailable(endpointId);
}

// The rows an event about a participant's stream applies to.
function rowsOf({ endpointId, participantId }) {
  const entry = streams.get(endpointId);
  if (entry) return [entry.li];
  return [...streams.values()].filter((s) => s.participantId === participantId).map((s) => s.li);
}

function setFlag(li, name, on, text) {
  li.classList.toggle(name, on);
  const flags = li.querySelector('.flags');
  flags.querySelector(`.${name}`)?.remove();
  if (on) {
    const badge = document.createElement('span');
    badge.className = `badge ${name}`;
    badge.textContent = text;
    flags.appendChild(badge);
  }
}

// Remote mute and active speaker (newer SDKs): listened to when the SDK knows the events.
function listenParticipants() {
  const listeners = {
    remoteMuteChange: (e) => {
      if (e.kind === 'audio') for (const li of rowsOf(e)) setFlag(li, 'muted', e.muted, 'muted');
    },
    activeSpeakerChange: (e) => {
      for (const li of rowsOf(e)) setFlag(li, 'speaking', e.speaking, 'speaking');
    },
  };
  for (const [name, fn] of Object.entries(listeners)) {
    try {
      rtc.on(name, fn);
    } catch { /* an SDK without this event */ }
  }
}

async function demoToken() {
  const res = await fetch('/demo/join', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: $('name').value || undefined }),
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.error || body.message || `join failed (${res.status})`);
  return body;
}

async function join() {
  showError('');
  $('join').disabled = true;
  try {
    const body = await demoToken();
    rtc = new SwitchboardRtc();
    rtc.onConnectionStateChange(setState);
    rtc.onStreamAvailable(addStream);
    rtc.onStreamUnavailable(removeStream);
    listenParticipants();
    setState('connecting');
    await rtc.connect({ deviceToken: body.token });
    setState(rtc.connectionState || 'connected');
    published = await rtc.publish(publishConstraints($('camera').checked), undefined, 'demo');
    $('me').textContent = `You are ${body.participantId} in session ${body.sessionId}, sending ${published.mediaTypes.join(' + ').toLowerCase()}.`;
    watchLevel('me', published.mediaStream, $('meLevel'));
    stopQuality = watchQuality(rtc, streams);
    devicesForSdk(rtc);
    refreshDevices(); // the labels are there once the page may use the devices
    $('leave').disabled = false;
    $('mute').disabled = false;
    phoneConnected(true);
  } catch (e) {
    showError(e.message);
    setState('failed');
    leave();
  }
}

function leave() {
  stopQuality();
  stopQuality = () => {};
  stopAllLevels();
  try {
    rtc?.disconnect();
  } catch { /* never connected */ }
  rtc = null;
  published = null;
  streams.clear();
  $('streams').replaceChildren();
  $('media').replaceChildren();
  $('me').textContent = 'Not connected.';
  if ($('state').textContent !== 'failed') setState('disconnected');
  $('join').disabled = false;
  $('leave').disabled = true;
  setMuted(false);
  $('mute').disabled = true;
  phoneConnected(false);
  devicesForSdk(null);
}

function setMuted(on) {
  muted = on;
  $('mute').textContent = muted ? 'Unmute' : 'Mute';
  $('mute').setAttribute('aria-pressed', String(muted));
  $('mute').classList.toggle('active', muted);
}

function toggleMute() {
  if (!rtc) return;
  rtc.setMicEnabled(muted);
  setMuted(!muted);
}

$('join').addEventListener('click', join);
$('leave').addEventListener('click', leave);
$('mute').addEventListener('click', toggleMute);
const page = {
  rtc: () => rtc,
  published: () => published,
  connected: () => !!published,
  SdkClass: SwitchboardRtc,
  showError,
  notice,
  // A switched microphone: the local meter follows the published stream's new track.
  inputSwitched: (kind) => {
    if (kind === 'audioinput' && published) watchLevel('me', published.mediaStream, $('meLevel'));
  },
};
setUpPhone(page);
setUpDevices(page);
setUpPreflight(SwitchboardRtc, async () => (await demoToken()).token, showError);
// For the tests and the curious: the SDK object and the published stream.
window.switchboardDemo = { join, leave, get rtc() { return rtc; }, get published() { return published; } };
