// The demo page: "Join" asks the demo application (POST /demo/join) for a device token, connects
// with the Switchboard SDK, publishes the microphone (and camera), and plays what it receives.
import { SwitchboardRtc } from '../dist/index.js';

const $ = (id) => document.getElementById(id);
let rtc = null;
let published = null;
let muted = false;

function setState(state) {
  $('state').textContent = state;
  $('state').className = `state ${state}`;
}

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = !message;
}

function addStream(stream) {
  const li = document.createElement('li');
  li.id = `stream-${stream.endpointId}`;
  li.textContent = `${stream.participantId} — ${stream.mediaTypes.join(' + ')}${stream.alias ? ` (${stream.alias})` : ''}`;
  $('streams').appendChild(li);
  const hasVideo = stream.mediaTypes.includes('VIDEO');
  const el = document.createElement(hasVideo ? 'video' : 'audio');
  el.autoplay = true;
  el.playsInline = true;
  el.id = `media-${stream.endpointId}`;
  el.srcObject = stream.mediaStream;
  $('media').appendChild(el);
}

function removeStream(streamId) {
  $(`stream-${streamId}`)?.remove();
  $(`media-${streamId}`)?.remove();
}

async function join() {
  showError('');
  $('join').disabled = true;
  try {
    const res = await fetch('/demo/join', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: $('name').value || undefined }),
    });
    const body = await res.json();
    if (!res.ok) throw new Error(body.error || body.message || `join failed (${res.status})`);
    rtc = new SwitchboardRtc();
    rtc.onConnectionStateChange?.(setState);
    rtc.onStreamAvailable(addStream);
    rtc.onStreamUnavailable(removeStream);
    setState('connecting');
    await rtc.connect({ deviceToken: body.token });
    setState(rtc.connectionState || 'connected');
    published = await rtc.publish({ audio: true, video: $('camera').checked }, undefined, 'demo');
    $('me').textContent = `Participant ${body.participantId} in session ${body.sessionId}, publishing ${published.mediaTypes.join(' + ')}.`;
    $('leave').disabled = false;
    $('mute').disabled = false;
    $('call').disabled = false;
  } catch (e) {
    showError(e.message);
    setState('failed');
    $('join').disabled = false;
  }
}

// "Call a phone": the demo application places the call; its answer callback transfers the call
// into this session, so the phone shows up as one more stream.
async function callPhone() {
  showError('');
  const res = await fetch('/demo/call', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ to: $('phone').value }),
  });
  const body = await res.json();
  if (!res.ok) return showError(body.error || body.message || `call failed (${res.status})`);
  $('callStatus').textContent = `calling… (${body.callId})`;
}

function leave() {
  rtc?.disconnect();
  rtc = null;
  $('streams').replaceChildren();
  $('media').replaceChildren();
  $('me').textContent = 'Not connected.';
  setState('disconnected');
  $('join').disabled = false;
  $('leave').disabled = true;
  $('mute').disabled = true;
}

function toggleMute() {
  muted = !muted;
  rtc?.setMicEnabled(!muted);
  $('mute').textContent = muted ? 'Unmute' : 'Mute';
}

$('join').addEventListener('click', join);
$('leave').addEventListener('click', leave);
$('mute').addEventListener('click', toggleMute);
$('call').addEventListener('click', callPhone);
window.switchboardDemo = { join, leave, get rtc() { return rtc; } };
