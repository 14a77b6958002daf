// Recordings (issue 9, item 3): <Record> and the call-recording verbs write WAV files of the
// phone's audio, served by Bandwidth's recordings REST endpoints under the account's auth, with
// recordComplete / recordingAvailable events; storage limits fail the recording, not the call.
// A sipp UAS behind the trunk answers; the test's RTP socket is its media and streams a tone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { startSwitchboard, call, LOOPBACK_CALLBACKS } from '../support/server.mjs';
import { sipp, freeUdpPort, phoneMedia } from '../support/phone.mjs';
import { until } from '../support/api.mjs';
import { tempDir } from '../support/tempdir.mjs';
import { startAppServer } from '../support/app-server.mjs';

const A = { id: '9900000', username: 'test-user', password: 'test-password-1', allowedDestinations: ['\\+1555\\d{7}'],
  maxCallsPerMinute: 60, allowedCallbackNetworks: LOOPBACK_CALLBACKS };
const B = { id: '9900001', username: 'other-user', password: 'other-password-1', allowedDestinations: ['\\+1555\\d{7}'],
  maxCallsPerMinute: 60, allowedCallbackNetworks: LOOPBACK_CALLBACKS };

// 1 s of a 1 kHz tone, 8 kHz mono 16-bit: what the phone hears during <PlayAudio>.
const TONE_WAV = (() => {
  const n = 8000;
  const b = Buffer.alloc(44 + 2 * n);
  b.write('RIFF', 0); b.writeUInt32LE(36 + 2 * n, 4); b.write('WAVE', 8);
  b.write('fmt ', 12); b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22);
  b.writeUInt32LE(8000, 24); b.writeUInt32LE(16000, 28); b.writeUInt16LE(2, 32); b.writeUInt16LE(16, 34);
  b.write('data', 36); b.writeUInt32LE(2 * n, 40);
  for (let i = 0; i < n; i++) b.writeInt16LE(Math.round(10000 * Math.sin((2 * Math.PI * 1000 * i) / 8000)), 44 + 2 * i);
  return b;
})();

let app;
let trunkPort;
const events = [];  // { path, ...body }
let reply = () => '';

before(async () => {
  app = await startAppServer(({ url, event }) => {
    events.push({ path: url, ...event });
    return url === '/tone.wav' ? TONE_WAV : reply(url, event);
  });
  trunkPort = await freeUdpPort();
});
// Phones still open when a test failed half-way: an open socket would keep this file running.
const phones = [];
after(() => {
  app?.close();
  for (const p of phones) { try { p.close(); } catch { /* already closed */ } }
});

const appUrl = () => `http://127.0.0.1:${app.address().port}`;

async function start(extra = {}, dataDir) {
  return startSwitchboard({
    dataDir,
    config: { sipListen: '127.0.0.1:0', sipTrunk: `sip:127.0.0.1:${trunkPort}`, rtpPortMin: 45200, rtpPortMax: 45399,
      accounts: [A, B], ...extra },
  });
}

// SIGTERM ends the server cleanly (exit 0: also no sanitizer report under build-asan).
async function stopClean(sb, cleanup = true) {
  const { code, signal } = await sb.stop();
  const logs = sb.logs();
  if (cleanup) sb.cleanup();
  assert.equal(code, 0, `exit ${code} ${signal}: ${logs.slice(-3000)}`);
}

// A phone behind the trunk: answers one call, its media is `phone` (streams a tone once
// switchboard sends it audio), and waits for the BYE.
async function phoneCall(sb, account, { stream = true, sippTimeoutMs = 30000 } = {}) {
  const phone = await phoneMedia();
  phones.push(phone);
  const dir = tempDir('sb-rec-');
  const csv = path.join(dir, 'ports.csv');
  writeFileSync(csv, `SEQUENTIAL\n${phone.port};;\n`);
  const uas = sipp({ target: '', scenario: 'uas_answer_inf.xml', calls: 1, timeoutMs: sippTimeoutMs, extra: ['-p', String(trunkPort), '-inf', csv] });
  await new Promise((r) => setTimeout(r, 300));
  const created = await call(`${sb.base}/v1/accounts/${account.id}/calls`, {
    method: 'POST', account,
    body: { from: '+15550001111', to: '+15551234567', answerUrl: `${appUrl()}/answer`, disconnectUrl: `${appUrl()}/disconnect` },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  if (!stream) return { callId: created.body.callId, phone, uas };
  await until(() => phone.stats.peer, { timeout: 10000, what: 'audio from switchboard' });
  phone.stream();
  return { callId: created.body.callId, phone, uas };
}

async function ended(sb, account, callId) {
  return until(async () => {
    const r = await call(`${sb.base}/v1/accounts/${account.id}/calls/${callId}`, { account });
    return r.body.state === 'disconnected' ? r.body : null;
  }, { timeout: 20000, what: `call ${callId} to end` });
}

const eventFor = (callId, type) => until(() => events.find((e) => e.callId === callId && e.eventType === type),
  { timeout: 20000, what: `${type} for ${callId}` });

// The WAV's format and samples (RIFF chunks; PCM 16-bit).
function parseWav(buf) {
  assert.equal(buf.toString('ascii', 0, 4), 'RIFF');
  assert.equal(buf.toString('ascii', 8, 12), 'WAVE');
  let off = 12;
  let fmt = null;
  let data = null;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    if (id === 'fmt ') fmt = { format: buf.readUInt16LE(off + 8), channels: buf.readUInt16LE(off + 10), rate: buf.readUInt32LE(off + 12), bits: buf.readUInt16LE(off + 22) };
    if (id === 'data') data = buf.subarray(off + 8, off + 8 + size);
    off += 8 + size + (size & 1);
  }
  const samples = new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
  return { ...fmt, samples, seconds: samples.length / fmt.channels / fmt.rate };
}

function rms(samples, channels = 1, channel = 0) {
  let sum = 0;
  let n = 0;
  for (let i = channel; i < samples.length; i += channels) { sum += samples[i] * samples[i]; n++; }
  return Math.sqrt(sum / Math.max(1, n));
}

const isoSeconds = (d) => {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(d);
  assert.ok(m, `ISO 8601 duration: ${d}`);
  return (Number(m[1] || 0) * 3600) + (Number(m[2] || 0) * 60) + Number(m[3] || 0);
};

test('<Record maxDuration="3">: the WAV has the phone\'s audio and lasts 3 s; REST lists, serves, deletes; another account gets 404', async (t) => {
  const sb = await start();
  try {
    reply = (p) => (p === '/answer'
      ? '<Response><Record maxDuration="3" recordCompleteUrl="/complete" recordingAvailableUrl="/available" tag="rec-1"/><Hangup/></Response>'
      : '');
    const { callId, phone, uas } = await phoneCall(sb, A);
    const complete = await eventFor(callId, 'recordComplete');
    const available = await eventFor(callId, 'recordingAvailable');
    const c = await ended(sb, A, callId);
    phone.close();
    await uas;
    assert.equal(c.disconnectCause, 'hangup', 'the empty recordComplete reply continued with <Hangup>');
    for (const e of [complete, available]) {
      assert.equal(e.accountId, A.id);
      assert.match(e.recordingId, /^r-/);
      assert.equal(e.fileFormat, 'wav');
      assert.equal(e.channels, 1);
      assert.equal(e.status, 'complete');
      assert.equal(e.tag, 'rec-1');
      assert.ok(Math.abs(isoSeconds(e.duration) - 3) <= 0.3, e.duration);
      assert.equal(e.mediaUrl, `${sb.base}/api/v2/accounts/${A.id}/calls/${callId}/recordings/${e.recordingId}/media`);
      for (const f of ['eventTime', 'startTime', 'endTime', 'callUrl', 'from', 'to', 'direction']) assert.ok(e[f], f);
    }
    const rid = available.recordingId;
    const v2 = `${sb.base}/api/v2/accounts/${A.id}`;

    const media = await fetch(available.mediaUrl, { headers: { authorization: `Basic ${Buffer.from(`${A.username}:${A.password}`).toString('base64')}` } });
    assert.equal(media.status, 200);
    assert.match(media.headers.get('content-type'), /audio\/(vnd\.wave|wav)/);
    const wav = parseWav(Buffer.from(await media.arrayBuffer()));
    assert.deepEqual([wav.format, wav.channels, wav.rate, wav.bits], [1, 1, 8000, 16]);
    assert.ok(Math.abs(wav.seconds - 3) <= 0.3, `duration ${wav.seconds} s`);
    // The tone is ±8000 (RMS ≈ 5657); the first packets may arrive after the recording started.
    const level = rms(wav.samples);
    t.diagnostic(`Record: ${wav.seconds.toFixed(3)} s, RMS ${level.toFixed(0)}, event duration ${available.duration}`);
    assert.ok(level > 3000, `the phone's tone is in the file (RMS ${level.toFixed(0)})`);

    const list = await call(`${v2}/recordings`, { account: A });
    assert.equal(list.status, 200);
    assert.ok(list.body.some((r) => r.recordingId === rid && r.callId === callId));
    const ofCall = await call(`${v2}/calls/${callId}/recordings`, { account: A });
    assert.deepEqual(ofCall.body.map((r) => r.recordingId), [rid]);
    const meta = await call(`${v2}/calls/${callId}/recordings/${rid}`, { account: A });
    assert.equal(meta.status, 200);
    assert.equal(meta.body.status, 'complete');
    assert.equal(meta.body.direction, 'outbound');
    const filtered = await call(`${v2}/recordings?minStartTime=2999-01-01T00:00:00Z`, { account: A });
    assert.deepEqual(filtered.body, []);
    const badFilter = await call(`${v2}/recordings?minStartTime=yesterday`, { account: A });
    assert.equal(badFilter.status, 400);
    assert.match(JSON.stringify(badFilter.body), /minStartTime/);

    // Another account: its own path knows nothing of it; A's path refuses its credentials.
    const otherV2 = `${sb.base}/api/v2/accounts/${B.id}`;
    assert.equal((await call(`${otherV2}/calls/${callId}/recordings/${rid}`, { account: B })).status, 404);
    assert.equal((await call(`${otherV2}/calls/${callId}/recordings/${rid}/media`, { account: B })).status, 404);
    assert.deepEqual((await call(`${otherV2}/recordings`, { account: B })).body, []);
    assert.ok([401, 403].includes((await call(`${v2}/calls/${callId}/recordings/${rid}`, { account: B })).status));
    assert.equal((await call(`${otherV2}/calls/${callId}/recordings/${rid}`, { method: 'DELETE', account: B })).status, 404);

    // Survives a restart (JSON sidecars).
    assert.equal((await sb.stop()).code, 0);
    const again = await start({}, sb.dataDir);
    try {
      const after = await call(`${again.base}/api/v2/accounts/${A.id}/calls/${callId}/recordings/${rid}`, { account: A });
      assert.equal(after.status, 200);
      assert.equal(after.body.status, 'complete');
      const file = path.join(sb.dataDir, 'recordings', A.id, callId, `${rid}.wav`);
      assert.ok(existsSync(file));
      const base2 = `${again.base}/api/v2/accounts/${A.id}/calls/${callId}/recordings/${rid}`;
      assert.equal((await call(`${base2}/media`, { method: 'DELETE', account: A })).status, 204);
      assert.ok(!existsSync(file), 'the WAV is gone');
      assert.equal((await call(`${base2}/media`, { account: A })).status, 404);
      assert.equal((await call(base2, { account: A })).body.mediaUrl, null);
      assert.equal((await call(base2, { method: 'DELETE', account: A })).status, 204);
      assert.equal((await call(base2, { account: A })).status, 404);
      assert.equal((await call(`${again.base}/api/v2/accounts/${A.id}/recordings`, { account: A })).body.length, 0);
    } finally {
      await stopClean(again, false);
    }
  } finally {
    await stopClean(sb);
  }
});

test('StartRecording … PauseRecording … ResumeRecording … StopRecording: two channels, the paused time left out', async (t) => {
  const sb = await start();
  try {
    reply = (p) => (p === '/answer'
      ? `<Response><StartRecording recordingAvailableUrl="/available" multiChannel="true"/><PlayAudio>/tone.wav</PlayAudio>
         <PauseRecording/><Pause duration="1.5"/><ResumeRecording/><Pause duration="1"/><StopRecording/>
         <Pause duration="0.5"/><Hangup/></Response>`
      : '');
    const { callId, phone, uas } = await phoneCall(sb, A);
    const available = await eventFor(callId, 'recordingAvailable');
    await ended(sb, A, callId);
    phone.close();
    await uas;
    assert.equal(available.status, 'complete');
    assert.equal(available.channels, 2);
    const r = await call(`${sb.base}/api/v2/accounts/${A.id}/calls/${callId}/recordings/${available.recordingId}/media`, { account: A });
    assert.equal(r.status, 200);
    const media = await fetch(available.mediaUrl, { headers: { authorization: `Basic ${Buffer.from(`${A.username}:${A.password}`).toString('base64')}` } });
    const wav = parseWav(Buffer.from(await media.arrayBuffer()));
    assert.equal(wav.channels, 2);
    // 1 s (the tone played) + 1 s recorded; the 1.5 s pause is not in the file.
    t.diagnostic(`StartRecording: ${wav.seconds.toFixed(3)} s, left RMS ${rms(wav.samples, 2, 0).toFixed(0)}, right RMS ${rms(wav.samples, 2, 1).toFixed(0)}`);
    assert.ok(Math.abs(wav.seconds - 2) <= 0.3, `duration ${wav.seconds} s`);
    assert.ok(Math.abs(isoSeconds(available.duration) - wav.seconds) < 0.05, available.duration);
    assert.ok(rms(wav.samples, 2, 0) > 2000, 'the phone (left channel) is in the file');
    // What the phone heard (right channel): the played tone, in the first second only.
    const right = (from, to) => rms(wav.samples.subarray(from * 16000, to * 16000), 2, 1);
    t.diagnostic(`right channel RMS: first 0.9 s ${right(0.05, 0.95).toFixed(0)}, last 0.9 s ${right(1.05, 1.95).toFixed(0)}`);
    assert.ok(right(0.05, 0.95) > 5000, 'the tone the phone heard is in the right channel');
    assert.ok(right(1.05, 1.95) < 100, 'and not after it ended');
  } finally {
    await stopClean(sb);
  }
});

test('PUT …/calls/{callId}/recording pauses and resumes a <StartRecording>; errors are clear', async (t) => {
  const sb = await start();
  try {
    reply = (p) => (p === '/answer'
      ? '<Response><StartRecording recordingAvailableUrl="/available"/><Pause duration="4"/><StopRecording/><Pause duration="0.3"/><Hangup/></Response>'
      : '');
    const { callId, phone, uas } = await phoneCall(sb, A);
    const url = `${sb.base}/api/v2/accounts/${A.id}/calls/${callId}/recording`;
    await new Promise((r) => setTimeout(r, 1000));
    const bad = await call(url, { method: 'PUT', account: A, body: { state: 'stopped' } });
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /state/);
    assert.equal((await call(`${sb.base}/api/v2/accounts/${B.id}/calls/${callId}/recording`, { method: 'PUT', account: B, body: { state: 'paused' } })).status, 404);
    assert.equal((await call(url, { method: 'PUT', account: A, body: { state: 'paused' } })).status, 200);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await call(url, { method: 'PUT', account: A, body: { state: 'recording' } })).status, 200);
    const available = await eventFor(callId, 'recordingAvailable');
    await ended(sb, A, callId);
    phone.close();
    await uas;
    const seconds = isoSeconds(available.duration);
    t.diagnostic(`4 s with 1.5 s paused over REST: ${seconds} s recorded`);
    assert.ok(Math.abs(seconds - 2.5) <= 0.4, available.duration);
    const after = await call(url, { method: 'PUT', account: A, body: { state: 'paused' } });
    assert.equal(after.status, 409, 'the call has ended: nothing to pause');
    assert.match(after.body.error ?? JSON.stringify(after.body), /no recording in progress/);
  } finally {
    await stopClean(sb);
  }
});

test('a terminating digit from the phone ends <Record>; the recording holds the time until then', async (t) => {
  const sb = await start();
  try {
    reply = (p) => (p === '/answer'
      ? '<Response><Record maxDuration="20" terminatingDigits="#" recordCompleteUrl="/complete"/><Hangup/></Response>'
      : '');
    const { callId, phone, uas } = await phoneCall(sb, A);
    await new Promise((r) => setTimeout(r, 1500));
    phone.sendDigit('#');
    const complete = await eventFor(callId, 'recordComplete');
    await ended(sb, A, callId);
    phone.close();
    await uas;
    const seconds = isoSeconds(complete.duration);
    t.diagnostic(`ended by # after ${seconds} s`);
    assert.equal(complete.status, 'complete');
    assert.ok(seconds > 1 && seconds < 2.5, complete.duration);
  } finally {
    await stopClean(sb);
  }
});

test('a full account quota fails the recording with the callbacks saying why; the call goes on', async () => {
  const sb = await start({ recordingMaxBytesPerAccount: 5000 });
  try {
    reply = (p) => {
      if (p === '/answer') return '<Response><Record maxDuration="5" recordCompleteUrl="/complete" recordingAvailableUrl="/available"/><Hangup/></Response>';
      if (p === '/complete') return '<Response><Redirect redirectUrl="/next"/></Response>';
      if (p === '/next') return '<Response><Pause duration="0.2"/><Hangup/></Response>';
      return '';
    };
    const { callId, phone, uas } = await phoneCall(sb, A);
    const complete = await eventFor(callId, 'recordComplete');
    const available = await eventFor(callId, 'recordingAvailable');
    const c = await ended(sb, A, callId);
    phone.close();
    await uas;
    for (const e of [complete, available]) {
      assert.equal(e.status, 'error');
      assert.match(e.errorMessage, /account's recording storage limit is reached/);
    }
    assert.ok(events.some((e) => e.callId === callId && e.path === '/next'), 'the recordComplete reply ran');
    assert.equal(c.disconnectCause, 'hangup');
    assert.deepEqual((await call(`${sb.base}/api/v2/accounts/${A.id}/calls/${callId}/recordings`, { account: A })).body, []);
  } finally {
    await stopClean(sb);
  }
});

test('bad recording attributes end the call with a disconnect callback saying why', async () => {
  const sb = await start();
  try {
    const cases = [
      // The disconnect callback never repeats the document's values: they read "…".
      ['<Record maxDuration="0"/>', /verb 1 <Record>: maxDuration "…" is out of range: must be between 1 and 10800 seconds/],
      ['<Record fileFormat="mp3"/>', /verb 1 <Record>: fileFormat "…" is not supported by this server: use wav/],
      ['<StartRecording multiChannel="yes"/>', /verb 1 <StartRecording>: multiChannel "…" must be true or false/],
      ['<Record terminatingDigits="x"/>', /verb 1 <Record>: terminatingDigits: '…' is not a DTMF digit/],
    ];
    for (const [verb, why] of cases) {
      reply = (p) => (p === '/answer' ? `<Response>${verb}</Response>` : '');
      const { callId, phone, uas } = await phoneCall(sb, A, { stream: false });
      const c = await ended(sb, A, callId);
      phone.close();
      await uas;
      assert.equal(c.disconnectCause, 'invalid-bxml', verb);
      const d = await eventFor(callId, 'disconnect');
      assert.match(d.errorMessage, why, `${verb}: ${d.errorMessage}`);
    }
  } finally {
    await stopClean(sb);
  }
});

test('a server stopped mid-recording exits cleanly; after a restart the recording is listed as partial and plays', async () => {
  const dataDir = tempDir('sb-rec-data-');
  const sb = await start({}, dataDir);
  reply = (p) => (p === '/answer' ? '<Response><StartRecording/><Pause duration="60"/></Response>' : '');
  // No BYE comes when the server stops: this phone gives up after 8 s.
  const { callId, phone, uas } = await phoneCall(sb, A, { sippTimeoutMs: 8000 });
  await new Promise((r) => setTimeout(r, 1500));
  await stopClean(sb, false);
  phone.close();
  const again = await start({}, dataDir);
  try {
    const list = await call(`${again.base}/api/v2/accounts/${A.id}/calls/${callId}/recordings`, { account: A });
    assert.equal(list.body.length, 1);
    assert.equal(list.body[0].status, 'partial');
    const media = await call(`${again.base}/api/v2/accounts/${A.id}/calls/${callId}/recordings/${list.body[0].recordingId}/media`, { account: A });
    assert.equal(media.status, 200);
    const r = await fetch(list.body[0].mediaUrl.replace(sb.base, again.base), { headers: { authorization: `Basic ${Buffer.from(`${A.username}:${A.password}`).toString('base64')}` } });
    const wav = parseWav(Buffer.from(await r.arrayBuffer()));
    assert.ok(wav.seconds > 1 && wav.seconds < 2.5, `${wav.seconds} s written before the stop`);
  } finally {
    await stopClean(again);
    await uas;
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('<StopRecording> or <PauseRecording> right after <StartRecording> takes effect at once', async (t) => {
  const sb = await start();
  try {
    // Both used to be lost: they reached the recorder before the start queued on the call's strand.
    reply = (p) => (p === '/answer'
      ? `<Response><StartRecording recordingAvailableUrl="/available" tag="stopped"/><StopRecording/><Pause duration="2"/>
         <StartRecording recordingAvailableUrl="/available" tag="paused"/><PauseRecording/><Pause duration="2"/><Hangup/></Response>`
      : '');
    const { callId, phone, uas } = await phoneCall(sb, A);
    const c = await ended(sb, A, callId);
    const available = await until(() => {
      const got = events.filter((e) => e.callId === callId && e.path === '/available');
      return got.length === 2 ? got : null;
    }, { timeout: 10000, what: 'both recordingAvailable events' });
    phone.close();
    await uas;
    assert.equal(c.disconnectCause, 'hangup');
    const byTag = Object.fromEntries(available.map((e) => [e.tag, e]));
    t.diagnostic(`stopped: ${byTag.stopped.duration}, paused: ${byTag.paused.duration}`);
    assert.equal(byTag.stopped.status, 'complete');
    assert.ok(isoSeconds(byTag.stopped.duration) < 0.3, `stopped at once, not at hangup 4 s later: ${byTag.stopped.duration}`);
    assert.ok(Date.parse(byTag.stopped.endTime) < Date.parse(byTag.paused.startTime), 'the first ended before the second began');
    assert.ok(isoSeconds(byTag.paused.duration) < 0.3, `paused at once, not 2 s later at hangup: ${byTag.paused.duration}`);
  } finally {
    await stopClean(sb);
  }
});
