// SpeakSentence streamed (issue 9, "TTS start latency under 150 ms p95"): a sentence never spoken
// before starts playing while the rest is still being synthesized. Asserted as effects the phone
// hears, not as timings (bench/sip/tts_latency.cpp measures those): the cold sentence is heard
// soon after the answer, and sounds as long and as loud as the same sentence again from the
// cache (nothing cut, no gaps); a digit cutting a cold prompt and a hang-up in the middle of one
// stop it cleanly (the ASan build reports nothing).
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
const events = [];
let routes = {};

before(async () => {
  app = await startAppServer(({ path: p, event }) => {
    events.push({ path: p, at: Date.now(), ...event });
    const route = routes[p];
    return typeof route === 'function' ? route(event) : route;
  });
  trunkPort = await freeUdpPort();
  sb = await startSwitchboard({
    config: { sipListen: '127.0.0.1:0', sipTrunk: `sip:127.0.0.1:${trunkPort}`, rtpPortMin: 45600, rtpPortMax: 45799,
      accounts: [ACCOUNT] },
  });
});
after(async () => {
  await sb?.stop();
  const logs = sb?.logs() ?? '';
  sb?.cleanup();
  app?.close();
  assert.doesNotMatch(logs, /Sanitizer|runtime error:/);
});

const appUrl = (p) => `http://127.0.0.1:${app.address().port}${p}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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
    firstSound: (after = 0) => samples.find((s) => s.t > after && s.energy > 0.05)?.t,
    stop: () => clearInterval(timer),
  };
}

function trunkPhone(media) {
  const dir = tempDir('sb-tts-');
  const csv = path.join(dir, 'ports.csv');
  writeFileSync(csv, `SEQUENTIAL\n${media.port};;\n`);
  return sipp({ target: '', scenario: 'uas_answer_inf.xml', timeoutMs: 40000, extra: ['-p', String(trunkPort), '-inf', csv] });
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
const waitEvent = (p, callId, timeout = 30000) => until(async () => eventAt(p, callId), { timeout, what: `${p} callback` });

// A sentence no other test (nor an earlier run of this server) has spoken: cold in the cache.
let serial = 0;
const coldSentence = () => `Thank you for calling the ${['north', 'south', 'east', 'west'][serial % 4]} branch office, `
  + `reference ${1000 + serial++}. Your call is important to us, and an agent will answer shortly. `
  + 'Please have your account number ready, and stay on the line.';

// The spans of sound separated by at least `quietMs` of silence: [{ from, to, energy }].
function spans(samples, quietMs) {
  const out = [];
  let cur = null;
  let quiet = 0;
  for (const s of samples) {
    if (s.energy > 0.02) {
      if (!cur) { cur = { from: s.t, to: s.t, energy: 0 }; out.push(cur); }
      cur.to = s.t;
      cur.energy += s.energy;
      quiet = 0;
    } else if (cur && (quiet += 50) >= quietMs) cur = null;
  }
  return out;
}

test('a cold sentence starts soon and sounds like the same sentence from the cache', async () => {
  const media = await phoneMedia();
  const meter = energyMeter(media);
  const text = `Thank you for calling, reference ${2000 + serial++}. Please stay on the line for the next agent.`;
  routes = { '/answer': `<Response><SpeakSentence>${text}</SpeakSentence><Pause duration="1.5"/>`
    + `<SpeakSentence>${text}</SpeakSentence><Hangup/></Response>` };
  const uas = trunkPhone(media);
  await udpBound(trunkPort);
  const callId = await placeCall();
  const answered = await waitEvent('/answer', callId);
  media.stream();
  const heard = await until(async () => meter.firstSound(answered.at), { timeout: 5000, what: 'the sentence' });
  // Generous: the answer callback's reply, BXML parsing and RTP ticking are in this window too.
  assert.ok(heard - answered.at < 1000, `speech started ${heard - answered.at} ms after the answer callback`);
  const disconnect = await waitEvent('/disconnect', callId);
  meter.stop();
  // The 1.5 s Pause is the only silence that long: two spans, streamed then cached.
  const parts = spans(meter.samples.filter((s) => s.t > answered.at && s.t < disconnect.at + 200), 1000);
  assert.equal(parts.length, 2, JSON.stringify(parts));
  const [cold, cached] = parts;
  const durationRatio = (cold.to - cold.from) / (cached.to - cached.from);
  const energyRatio = cold.energy / cached.energy;
  assert.ok(cached.to - cached.from > 2500, `a sentence of ${cached.to - cached.from} ms`);
  console.log(`cold: heard ${heard - answered.at} ms after the answer callback; cold/cached duration ${durationRatio.toFixed(3)}, energy ${energyRatio.toFixed(3)}`);
  assert.ok(durationRatio > 0.9 && durationRatio < 1.1, `durations cold/cached ${durationRatio}`);
  assert.ok(energyRatio > 0.8 && energyRatio < 1.25, `energy cold/cached ${energyRatio}`);
  media.close();
  await uas;
});

test('a digit cuts a cold Gather prompt mid-synthesis; a hang-up ends one mid-sentence', async () => {
  const media = await phoneMedia();
  const meter = energyMeter(media);
  routes = {
    '/answer': `<Response><Gather gatherUrl="/gather" maxDigits="1" firstDigitTimeout="10"><SpeakSentence>${coldSentence()}`
      + `</SpeakSentence></Gather><SpeakSentence>${coldSentence()} ${coldSentence()}</SpeakSentence></Response>`,
    '/gather': '',  // continue with the verb after the Gather
  };
  const uas = trunkPhone(media);
  await udpBound(trunkPort);
  const callId = await placeCall();
  const answered = await waitEvent('/answer', callId);
  media.stream();
  const heard = await until(async () => meter.firstSound(answered.at), { timeout: 5000, what: 'the prompt' });
  await sleep(150);
  media.sendDigit('7');
  const gather = await waitEvent('/gather', callId);
  assert.equal(gather.digits, '7');
  // The second sentence starts (cold too), and the call is hung up in the middle of it.
  await until(async () => meter.firstSound(gather.at + 100), { timeout: 5000, what: 'the second sentence' });
  await sleep(300);
  const r = await call(`${sb.base}/v1/accounts/${ACCOUNT.id}/calls/${callId}`, { method: 'POST', account: ACCOUNT, body: { state: 'completed' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const disconnect = await waitEvent('/disconnect', callId);
  assert.ok(disconnect.at - heard < 8000, 'neither sentence played to its end');
  meter.stop();
  media.close();
  await uas;
  // The server is still well: a new call hears a new sentence.
  const media2 = await phoneMedia();
  const meter2 = energyMeter(media2);
  routes = { '/answer': `<Response><SpeakSentence>${coldSentence()}</SpeakSentence><Hangup/></Response>` };
  const uas2 = trunkPhone(media2);
  await udpBound(trunkPort);
  const callId2 = await placeCall();
  const answered2 = await waitEvent('/answer', callId2);
  media2.stream();
  await until(async () => meter2.firstSound(answered2.at), { timeout: 5000, what: 'the next call\'s sentence' });
  await waitEvent('/disconnect', callId2);
  meter2.stop();
  media2.close();
  await uas2;
});
