// IVR verbs over SIP (issue 9, ivr): a sipp phone behind the trunk answers switchboard's call;
// the test's RTP socket is its media (energy it hears, RFC 4733 digits it sends). The
// application server is the test's HTTP server: its gather callback picks the branch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { startSwitchboard, call, LOOPBACK_CALLBACKS } from '../support/server.mjs';
import { sipp, freeUdpPort, phoneMedia, udpBound } from '../support/phone.mjs';
import { until } from '../support/api.mjs';
import { tempDir } from '../support/tempdir.mjs';
import { startAppServer } from '../support/app-server.mjs';

const ACCOUNT = { id: '9900000', username: 'test-user', password: 'test-password-1', allowedDestinations: ['\\+1555\\d{7}'],
  maxCallsPerMinute: 120, allowedCallbackNetworks: LOOPBACK_CALLBACKS };

let sb;
let app;
let trunkPort;
const events = [];  // { path, at, ...body }
let routes = {};    // path → BXML (string) or function(event) → BXML
const files = {};   // path → Buffer served as audio/wav

before(async () => {
  app = await startAppServer(({ path: p, event }) => {
    if (files[p]) return files[p];
    events.push({ path: p, at: Date.now(), ...event });
    const route = routes[p];
    return typeof route === 'function' ? route(event) : route;
  });
  trunkPort = await freeUdpPort();
  sb = await startSwitchboard({
    config: { sipListen: '127.0.0.1:0', sipTrunk: `sip:127.0.0.1:${trunkPort}`, rtpPortMin: 45400, rtpPortMax: 45599,
      accounts: [ACCOUNT] },
  });
});
after(async () => {
  for (const uas of opened.sipps) await uas.kill();
  for (const media of opened.media) media.close();
  await sb?.stop();
  // Under SWITCHBOARD_BIN=build-asan/switchboard: no sanitizer report from the speech workers or decoder.
  const logs = sb?.logs() ?? '';
  sb?.cleanup();
  app?.close();
  assert.doesNotMatch(logs, /Sanitizer|runtime error:/);
});

const appUrl = (p) => `http://127.0.0.1:${app.address().port}${p}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A phone behind the trunk whose media is `media`'s socket; it waits for switchboard's BYE.
// Phones and their sipp UASes, closed in after() too: a failed test leaves them open, and an open
// socket would keep this file's process alive.
const opened = { media: [], sipps: [] };
async function openPhone() {
  const media = await phoneMedia();
  opened.media.push(media);
  return media;
}

function trunkPhone(media) {
  const dir = tempDir('sb-ivr-');
  const csv = path.join(dir, 'ports.csv');
  writeFileSync(csv, `SEQUENTIAL\n${media.port};;\n`);
  const uas = sipp({ target: '', scenario: 'uas_answer_inf.xml', timeoutMs: 30000, extra: ['-p', String(trunkPort), '-inf', csv] });
  opened.sipps.push(uas);
  return uas;
}

async function placeCall() {
  const r = await call(`${sb.base}/v1/accounts/${ACCOUNT.id}/calls`, {
    method: 'POST', account: ACCOUNT,
    body: { from: '+15550001111', to: '+15551234567', answerUrl: appUrl('/answer'), disconnectUrl: appUrl('/disconnect') },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.callId;
}

const eventAt = (p, callId) => events.find((e) => e.path === p && e.callId === callId);
const waitEvent = (p, callId, timeout = 20000) => until(async () => eventAt(p, callId), { timeout, what: `${p} callback` });

// Samples the energy the phone hears every 50 ms: [{ t, energy }] (energy since the previous sample).
function energyMeter(media) {
  const samples = [];
  let last = media.stats.energy;
  const timer = setInterval(() => {
    samples.push({ t: Date.now(), energy: media.stats.energy - last });
    last = media.stats.energy;
  }, 50);
  timer.unref();  // a failed test never stops its meter: it must not keep this file's process alive
  return {
    samples,
    between: (from, to) => samples.filter((s) => s.t > from && s.t <= to).reduce((a, s) => a + s.energy, 0),
    // The first time the phone heard sound (a 50 ms window with clear energy).
    firstSound: (after = 0) => samples.find((s) => s.t > after && s.energy > 0.05)?.t,
    stop: () => clearInterval(timer),
  };
}

// 16-bit PCM WAV, `rate` Hz, `channels` channels, a 440 Hz sine in every channel.
function wav({ rate, channels, seconds }) {
  const frames = Math.round(rate * seconds);
  const data = Buffer.alloc(frames * channels * 2);
  for (let i = 0; i < frames; i++) {
    const v = Math.round(12000 * Math.sin((2 * Math.PI * 440 * i) / rate));
    for (let c = 0; c < channels; c++) data.writeInt16LE(v, (i * channels + c) * 2);
  }
  const h = Buffer.alloc(44);
  h.write('RIFF', 0); h.writeUInt32LE(36 + data.length, 4); h.write('WAVE', 8);
  h.write('fmt ', 12); h.writeUInt32LE(16, 16); h.writeUInt16LE(1, 20); h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(rate, 24); h.writeUInt32LE(rate * channels * 2, 28); h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34); h.write('data', 36); h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

const MENU = '<Response><Gather gatherUrl="/gather" maxDigits="1" firstDigitTimeout="10">'
  + '<SpeakSentence>Press 1 for sales, press 2 for support.</SpeakSentence></Gather><Hangup/></Response>';

test('IVR: the phone hears the prompt, presses 2 (RFC 4733) and reaches the support branch', async () => {
  const media = await openPhone();
  const meter = energyMeter(media);
  routes = {
    '/answer': MENU,
    '/gather': (e) => (e.digits === '1' ? '<Response><Redirect redirectUrl="/sales"/></Response>'
      : e.digits === '2' ? '<Response><Redirect redirectUrl="/support"/></Response>' : '<Response><Hangup/></Response>'),
    '/sales': '<Response><SpeakSentence>Sales.</SpeakSentence><Hangup/></Response>',
    '/support': '<Response><SpeakSentence voice="paul">Support.</SpeakSentence><Hangup/></Response>',
  };
  const uas = trunkPhone(media);
  await udpBound(trunkPort);
  const callId = await placeCall();
  const answered = await waitEvent('/answer', callId);
  media.stream();
  // The prompt is heard within a few hundred ms of the answer (synthesis on the workers).
  const heard = await until(async () => meter.firstSound(answered.at), { timeout: 5000, what: 'the prompt' });
  assert.ok(heard - answered.at < 1500, `prompt started ${heard - answered.at} ms after the answer callback`);
  await sleep(700);
  media.sendDigit('2');
  const gather = await waitEvent('/gather', callId);
  assert.equal(gather.eventType, 'gather');
  assert.equal(gather.digits, '2');
  assert.equal(gather.terminatingDigit, '');
  assert.equal(gather.callId, callId);
  assert.equal(gather.accountId, ACCOUNT.id);
  await waitEvent('/support', callId);
  assert.equal(eventAt('/sales', callId), undefined);
  const disconnect = await waitEvent('/disconnect', callId);
  assert.equal(disconnect.cause, 'hangup');
  // "Support." was spoken after the branch was taken. One short word measures 0.26-0.45 here (less
  // when the machine is busy and frames straddle the window's ends); a silent line measures ~0.
  const branch = meter.between(eventAt('/support', callId).at, disconnect.at + 200);
  assert.ok(branch > 0.15, `the branch prompt was heard (energy ${branch})`);
  meter.stop();
  media.close();
  await uas;
});

test('SpeakSentence is heard after a Pause, and not before', async () => {
  const media = await openPhone();
  const meter = energyMeter(media);
  routes = { '/answer': '<Response><Pause duration="1.5"/><SpeakSentence>Hello from the speech engine.</SpeakSentence><Hangup/></Response>' };
  const uas = trunkPhone(media);
  await udpBound(trunkPort);
  const callId = await placeCall();
  const answered = await waitEvent('/answer', callId);
  const disconnect = await waitEvent('/disconnect', callId);
  meter.stop();
  const silent = meter.between(answered.at, answered.at + 1300);
  const spoken = meter.between(answered.at + 1500, disconnect.at + 200);
  assert.ok(silent < 0.05, `silence during the Pause (energy ${silent})`);
  assert.ok(spoken > 1, `speech after it (energy ${spoken})`);
  assert.ok(disconnect.at - answered.at > 2000, 'the sentence took time to say');
  media.close();
  await uas;
});

test('Gather with no digits repeats the prompt repeatCount times, then sends empty digits', async () => {
  const media = await openPhone();
  const meter = energyMeter(media);
  routes = {
    '/answer': '<Response><Gather gatherUrl="/gather" firstDigitTimeout="1" repeatCount="2">'
      + '<SpeakSentence>Anyone there?</SpeakSentence></Gather></Response>',
    '/gather': '<Response><Hangup/></Response>',
  };
  const uas = trunkPhone(media);
  await udpBound(trunkPort);
  const callId = await placeCall();
  const answered = await waitEvent('/answer', callId);
  const gather = await waitEvent('/gather', callId);
  meter.stop();
  assert.equal(gather.digits, '');
  assert.equal(gather.terminatingDigit, '');
  // Two prompts (each about a second) and two 1 s waits.
  assert.ok(gather.at - answered.at > 2500, `gather event after ${gather.at - answered.at} ms`);
  // Sound, then a silent second, then sound again.
  const first = meter.firstSound(answered.at);
  assert.ok(first, 'the prompt was heard');
  const gaps = meter.samples.filter((s) => s.t > first && s.t < gather.at && s.energy < 0.01).length;
  assert.ok(gaps >= 10, `a silent gap between the repetitions (${gaps} silent 50 ms windows)`);
  // The prompt again: clear sound some time after a run of ten silent windows. (Not "right after":
  // the window where speech starts can be between silent and clear.)
  let silent = 0;
  let afterGap = false;
  const second = meter.samples.find((s) => {
    if (s.t <= first) return false;
    if (afterGap && s.energy > 0.05) return true;
    silent = s.energy < 0.01 ? silent + 1 : 0;
    if (silent >= 10) afterGap = true;
    return false;
  });
  assert.ok(second, 'the prompt played again after the gap');
  media.close();
  await uas;
});

test('PlayAudio of a 16 kHz stereo WAV is heard by the phone', async () => {
  const media = await openPhone();
  const meter = energyMeter(media);
  files['/tone16k.wav'] = wav({ rate: 16000, channels: 2, seconds: 1.5 });
  routes = { '/answer': '<Response><PlayAudio>/tone16k.wav</PlayAudio><Hangup/></Response>' };
  const uas = trunkPhone(media);
  await udpBound(trunkPort);
  const callId = await placeCall();
  const answered = await waitEvent('/answer', callId);
  const disconnect = await waitEvent('/disconnect', callId);
  meter.stop();
  assert.equal(disconnect.cause, 'hangup', JSON.stringify(disconnect));
  const played = disconnect.at - answered.at;
  assert.ok(played >= 1400 && played < 4000, `played for ${played} ms`);
  // A 12000-amplitude sine is about 0.067 mean square per packet: 1.5 s is 75 packets.
  const heard = meter.between(answered.at, disconnect.at + 200);
  assert.ok(heard > 2, `energy ${heard}`);
  media.close();
  await uas;
});

test('bad Gather attributes and an unsupported WAV end the call with a disconnect callback saying why', async () => {
  for (const [bxml, cause, why] of [
    ['<Response><Gather maxDigits="0"/></Response>', 'invalid-bxml', /<Gather>: maxDigits "…" is out of range: must be between 1 and 50/],
    ['<Response><SpeakSentence gender="robot">Hi</SpeakSentence></Response>', 'invalid-bxml', /gender "…" must be male or female/],
    ['<Response><PlayAudio>/not-a-wav</PlayAudio></Response>', 'application-error', /<PlayAudio> failed: unsupported audio file: WAV: not a readable audio file/],
  ]) {
    const media = await openPhone();
    files['/not-a-wav'] = Buffer.from('this is text, not audio');
    routes = { '/answer': bxml };
    const uas = trunkPhone(media);
    await udpBound(trunkPort);
    const callId = await placeCall();
    const disconnect = await waitEvent('/disconnect', callId);
    assert.equal(disconnect.cause, cause, JSON.stringify(disconnect));
    assert.match(disconnect.errorMessage, why);
    media.close();
    await uas;
  }
});
