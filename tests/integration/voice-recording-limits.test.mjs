// Recording storage (issue 9): recordings reserve storage as their files grow, so more than six
// 3-hour <StartRecording>s run at once on one account under the 1 GiB default (each used to
// reserve its longest size, 173 MB); a budget spent mid-recording ends that recording with the
// callbacks saying why while the call goes on; blocks the disk writer drops are in /metrics and
// the recording's metadata; a phone that goes silent ends <Record silenceTimeout>; a full disk (a
// small tmpfs over the recordings folder, in a mount namespace of the server's own) fails the
// recording with callbacks saying why, and the call goes on.
// One sipp UAS behind the trunk answers every call; the test's RTP sockets are the phones.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, writeFileSync, statSync, chmodSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { startSwitchboard, call, binary, LOOPBACK_CALLBACKS } from '../support/server.mjs';
import { sipp, freeUdpPort, phoneMedia } from '../support/phone.mjs';
import { until } from '../support/api.mjs';
import { tempDir } from '../support/tempdir.mjs';
import { startAppServer } from '../support/app-server.mjs';

const A = { id: '9900000', username: 'test-user', password: 'test-password-1', allowedDestinations: ['\\+1555\\d{7}'],
  maxCallsPerMinute: 120, maxConcurrentCalls: 20, allowedCallbackNetworks: LOOPBACK_CALLBACKS };
const AUTH = `Basic ${Buffer.from(`${A.username}:${A.password}`).toString('base64')}`;

let app;
let trunkPort;
const events = [];
let reply = () => '';
const phones = [];
const phoneSipps = [];  // every sipp UAS started, stopped with its test's server (a failed test's would hold the trunk port)

before(async () => {
  app = await startAppServer(({ url, event }) => {
    events.push({ path: url, ...event });
    return reply(url, event);
  });
  trunkPort = await freeUdpPort();
});
after(() => {
  app?.close();
  for (const p of phones) { try { p.close(); } catch { /* already closed */ } }
});

const appUrl = () => `http://127.0.0.1:${app.address().port}`;

function start(extra = {}, options = {}) {
  return startSwitchboard({
    config: { sipListen: '127.0.0.1:0', sipTrunk: `sip:127.0.0.1:${trunkPort}`, rtpPortMin: 45400, rtpPortMax: 45599,
      accounts: [A], ...extra },
    ...options,
  });
}

async function stopClean(sb) {
  for (const uas of phoneSipps.splice(0)) await uas.kill();
  const { code, signal } = await sb.stop();
  const logs = sb.logs();
  sb.cleanup();
  assert.equal(code, 0, `exit ${code} ${signal}: ${logs.slice(-3000)}`);
}

// `n` calls answered by one sipp UAS (a phone per call, ports from its -inf file); every phone
// streams a tone once switchboard sends it audio. Resolves with the call ids.
async function placeCalls(sb, n) {
  const media = [];
  for (let i = 0; i < n; i++) media.push(await phoneMedia());
  phones.push(...media);
  const dir = tempDir('sb-recl-');
  const csv = path.join(dir, 'ports.csv');
  writeFileSync(csv, `SEQUENTIAL\n${media.map((p) => `${p.port};;`).join('\n')}\n`);
  const uas = sipp({ target: '', scenario: 'uas_answer_inf.xml', calls: n, timeoutMs: 40000, extra: ['-p', String(trunkPort), '-inf', csv] });
  phoneSipps.push(uas);
  await new Promise((r) => setTimeout(r, 300));
  const callIds = [];
  for (let i = 0; i < n; i++) {
    const created = await call(`${sb.base}/v1/accounts/${A.id}/calls`, {
      method: 'POST', account: A,
      body: { from: '+15550001111', to: '+15551234567', answerUrl: `${appUrl()}/answer`, disconnectUrl: `${appUrl()}/disconnect` },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    callIds.push(created.body.callId);
  }
  for (const p of media) {
    await until(() => p.stats.peer, { timeout: 20000, what: 'audio from switchboard' });
    p.stream();
  }
  return { callIds, media, uas };
}

async function ended(sb, callId) {
  return until(async () => {
    const r = await call(`${sb.base}/v1/accounts/${A.id}/calls/${callId}`, { account: A });
    return r.body.state === 'disconnected' ? r.body : null;
  }, { timeout: 30000, what: `call ${callId} to end` });
}

const eventFor = (callId, type) => until(() => events.find((e) => e.callId === callId && e.eventType === type),
  { timeout: 30000, what: `${type} for ${callId}` });

const isoSeconds = (d) => {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(d);
  assert.ok(m, `ISO 8601 duration: ${d}`);
  return (Number(m[1] || 0) * 3600) + (Number(m[2] || 0) * 60) + Number(m[3] || 0);
};

async function finishCalls(sb, calls) {
  for (const id of calls.callIds) await ended(sb, id);
  for (const p of calls.media) p.close();
  await calls.uas;
}

test('ten 3-hour <StartRecording>s at once on one account under the default 1 GiB budget all record', async (t) => {
  const sb = await start();
  try {
    reply = (p) => (p === '/answer'
      ? '<Response><StartRecording recordingAvailableUrl="/available"/><Pause duration="3"/><StopRecording/><Pause duration="0.3"/><Hangup/></Response>'
      : '');
    const calls = await placeCalls(sb, 10);
    const available = [];
    for (const id of calls.callIds) available.push(await eventFor(id, 'recordingAvailable'));
    await finishCalls(sb, calls);
    for (const e of available) {
      assert.equal(e.status, 'complete', e.errorMessage);
      assert.ok(isoSeconds(e.duration) > 2.5, e.duration);
    }
    t.diagnostic(`durations: ${available.map((e) => e.duration).join(' ')}`);
    // What stays counted is the files' real size, not reservations.
    const list = await call(`${sb.base}/api/v2/accounts/${A.id}/recordings`, { account: A });
    assert.equal(list.body.length, 10);
  } finally {
    await stopClean(sb);
  }
});

test('a budget spent mid-recording ends <Record> there: recordComplete says why, the call goes on, the file fits the budget', async (t) => {
  const budget = 40000;  // 2.5 s of mono audio and the header
  const sb = await start({ recordingMaxBytesPerAccount: budget });
  try {
    reply = (p) => {
      if (p === '/answer') return '<Response><Record maxDuration="20" recordCompleteUrl="/complete" recordingAvailableUrl="/available"/><Hangup/></Response>';
      if (p === '/complete') return '<Response><Redirect redirectUrl="/next"/></Response>';
      if (p === '/next') return '<Response><Pause duration="0.2"/><Hangup/></Response>';
      return '';
    };
    const calls = await placeCalls(sb, 1);
    const [callId] = calls.callIds;
    const t0 = Date.now();
    const complete = await eventFor(callId, 'recordComplete');
    const waited = (Date.now() - t0) / 1000;
    const available = await eventFor(callId, 'recordingAvailable');
    const c = await ended(sb, callId);
    await finishCalls(sb, calls);
    t.diagnostic(`recordComplete after ${waited.toFixed(2)} s: ${complete.duration}, ${complete.errorMessage}`);
    assert.ok(waited < 6, 'the recording ended when the budget was spent, not at maxDuration');
    for (const e of [complete, available]) {
      assert.equal(e.status, 'error');
      assert.equal(e.errorMessage, "recording stopped: the account's recording storage limit is reached (0 bytes left)");
      assert.ok(Math.abs(isoSeconds(e.duration) - 2.48) < 0.05, e.duration);
    }
    assert.ok(events.some((e) => e.callId === callId && e.path === '/next'), 'the recordComplete reply ran');
    assert.equal(c.disconnectCause, 'hangup');
    const file = path.join(sb.dataDir, 'recordings', A.id, callId, `${complete.recordingId}.wav`);
    assert.ok(statSync(file).size <= budget, `${statSync(file).size} bytes on disk`);
    const media = await fetch(complete.mediaUrl, { headers: { authorization: AUTH } });
    assert.equal(media.status, 200);
    assert.equal((await media.arrayBuffer()).byteLength, statSync(file).size);
    // Deleting it gives the budget back: the next recording gets it all again.
    const one = `${sb.base}/api/v2/accounts/${A.id}/calls/${callId}/recordings/${complete.recordingId}`;
    assert.equal((await call(one, { method: 'DELETE', account: A })).status, 204);
    reply = (p) => (p === '/answer' ? '<Response><Record maxDuration="1" recordCompleteUrl="/complete"/><Hangup/></Response>' : '');
    const again = await placeCalls(sb, 1);
    const next = await eventFor(again.callIds[0], 'recordComplete');
    await finishCalls(sb, again);
    assert.equal(next.status, 'complete', next.errorMessage);
  } finally {
    await stopClean(sb);
  }
});

test('blocks the disk writer drops are counted in /metrics and in each recording\'s metadata', async (t) => {
  // A queue of one block for all calls: sixteen calls ticking together overflow it (two-channel blocks take the writer longer).
  const sb = await start({ recordingQueueFrames: 1 });
  try {
    reply = (p) => (p === '/answer'
      ? '<Response><StartRecording multiChannel="true" recordingAvailableUrl="/available"/><Pause duration="3"/><StopRecording/><Pause duration="0.3"/><Hangup/></Response>'
      : '');
    const calls = await placeCalls(sb, 16);
    const available = [];
    for (const id of calls.callIds) available.push(await eventFor(id, 'recordingAvailable'));
    await finishCalls(sb, calls);
    const metrics = await (await fetch(`${sb.adminBase}/metrics`)).text();
    const m = /^switchboard_recording_dropped_blocks_total (\d+)/m.exec(metrics);
    assert.ok(m, 'the counter is exposed');
    let sum = 0;
    for (const e of available) {
      const meta = await call(`${sb.base}/api/v2/accounts/${A.id}/calls/${e.callId}/recordings/${e.recordingId}`, { account: A });
      assert.equal(typeof meta.body.droppedBlocks, 'number');
      sum += meta.body.droppedBlocks;
    }
    t.diagnostic(`dropped: /metrics ${m[1]}, metadata sum ${sum}`);
    assert.ok(Number(m[1]) > 0, 'blocks were dropped');
    assert.equal(Number(m[1]), sum, 'every dropped block is in some recording\'s metadata');
  } finally {
    await stopClean(sb);
  }
});

// The WAV's samples (mono 16-bit PCM after a 44-byte header, as the writer makes them).
const samplesOf = (buf) => new Int16Array(buf.buffer.slice(buf.byteOffset + 44, buf.byteOffset + buf.length));
const rms = (s) => Math.sqrt(s.reduce((a, v) => a + v * v, 0) / Math.max(1, s.length));

test('<Record silenceTimeout="2">: the phone talks, goes silent, and 2 s later the recording ends with recordComplete', async (t) => {
  const sb = await start();
  try {
    reply = (p) => {
      if (p === '/answer') return '<Response><Record maxDuration="20" silenceTimeout="2" terminatingDigits="#" recordCompleteUrl="/complete" recordingAvailableUrl="/available" tag="s"/><Hangup/></Response>';
      return '';
    };
    const calls = await placeCalls(sb, 1);
    const [callId] = calls.callIds;
    await new Promise((r) => setTimeout(r, 1500));
    calls.media[0].mute();  // digital silence from here on
    const mutedAt = Date.now();
    const complete = await eventFor(callId, 'recordComplete');
    const after = (Date.now() - mutedAt) / 1000;
    const available = await eventFor(callId, 'recordingAvailable');
    const c = await ended(sb, callId);
    await finishCalls(sb, calls);
    const seconds = isoSeconds(complete.duration);
    t.diagnostic(`recordComplete ${after.toFixed(2)} s after the phone went silent; duration ${complete.duration}`);
    assert.ok(after >= 1.9 && after < 3.5, `ended ${after} s after the silence began`);
    assert.ok(seconds > 3 && seconds < 4.3, `1.5 s of tone + 2 s of silence: ${complete.duration}`);
    assert.equal(c.disconnectCause, 'hangup', 'the next verb ran');
    for (const e of [complete, available]) {
      assert.equal(e.status, 'complete');
      assert.equal(e.callId, callId);
      assert.equal(e.accountId, A.id);
      assert.equal(e.channels, 1);
      assert.equal(e.fileFormat, 'wav');
      assert.equal(e.tag, 's');
      assert.equal(e.duration, complete.duration);
      assert.match(e.recordingId, /^r-/);
      assert.equal(e.mediaUrl, `${sb.base}/api/v2/accounts/${A.id}/calls/${callId}/recordings/${e.recordingId}/media`);
      for (const f of ['eventTime', 'startTime', 'endTime', 'callUrl', 'from', 'to', 'direction', 'enqueuedTime', 'answerTime']) assert.ok(e[f], f);
    }
    // The file: the tone, then the silence that ended it.
    const wav = Buffer.from(await (await fetch(complete.mediaUrl, { headers: { authorization: AUTH } })).arrayBuffer());
    const s = samplesOf(wav);
    const head = rms(s.subarray(1600, 8000));      // 0.2–1 s
    const tail = rms(s.subarray(s.length - 12000)); // the last 1.5 s
    t.diagnostic(`RMS: tone ${head.toFixed(0)}, last 1.5 s ${tail.toFixed(0)}`);
    assert.ok(head > 3000, 'the tone is in the file');
    assert.ok(tail < 100, 'the silence that ended it is at the end');
  } finally {
    await stopClean(sb);
  }
});

// switchboard in a mount namespace of its own (unshare -m; needs root) with a tmpfs of `size`
// over <data dir>/recordings: its disk fills up while the rest of the machine's does not.
// unshare and sh exec, so the test's signals reach switchboard itself.
function smallDiskServer(size) {
  const script = path.join(tempDir('sb-fulldisk-'), 'switchboard-small-disk.sh');
  writeFileSync(script, `#!/bin/sh
for a; do [ "$prev" = --data-dir ] && dir=$a; prev=$a; done
mkdir -p "$dir/recordings"
exec unshare -m --propagation private sh -c 'mount -t tmpfs -o size=${size} tmpfs "$1/recordings" && shift && exec "$@"' sh "$dir" '${binary}' "$@"
`);
  chmodSync(script, 0o755);
  return script;
}
const canUnshare = spawnSync('unshare', ['-m', 'true']).status === 0;

test('a full disk fails the recording with callbacks saying why; the call goes on, the file is a valid WAV of what fit', {
  skip: canUnshare ? false : 'needs root for unshare -m (a mount namespace with a small tmpfs)',
}, async (t) => {
  // 48 KiB: the metadata file's page, then about 2.5 s of mono audio.
  const sb = await start({}, { bin: smallDiskServer('48k') });
  try {
    reply = (p) => {
      if (p === '/answer') return '<Response><Record maxDuration="20" recordCompleteUrl="/complete" recordingAvailableUrl="/available"/><Hangup/></Response>';
      if (p === '/complete') return '<Response><Redirect redirectUrl="/next"/></Response>';
      if (p === '/next') return '<Response><Pause duration="1"/><Hangup/></Response>';
      return '';
    };
    const calls = await placeCalls(sb, 1);
    const [callId] = calls.callIds;
    const t0 = Date.now();
    const complete = await eventFor(callId, 'recordComplete');
    const waited = (Date.now() - t0) / 1000;
    const available = await eventFor(callId, 'recordingAvailable');
    const c = await ended(sb, callId);
    await finishCalls(sb, calls);
    t.diagnostic(`recordComplete after ${waited.toFixed(2)} s: ${complete.duration}, ${complete.errorMessage}`);
    assert.ok(waited < 8, `the recording ended when the disk was full (${waited} s), not at maxDuration (20 s)`);
    for (const e of [complete, available]) {
      assert.equal(e.status, 'error', JSON.stringify(e));
      assert.match(e.errorMessage, /^write failed \(disk full\?\): .*No space left on device/);
      const seconds = isoSeconds(e.duration);
      assert.ok(seconds > 1.5 && seconds < 3, `about 2.5 s fit in 48 KiB: ${e.duration}`);
    }
    assert.ok(events.some((e) => e.callId === callId && e.path === '/next'), 'the recordComplete reply ran');
    assert.equal(c.disconnectCause, 'hangup', 'the call went on and ended with its BXML');
    // Listed as failed; its media is a valid WAV of what fit: the header's sizes match the file,
    // the samples are the phone's tone.
    const meta = await call(`${sb.base}/api/v2/accounts/${A.id}/calls/${callId}/recordings/${complete.recordingId}`, { account: A });
    assert.equal(meta.body.status, 'error');
    assert.equal(meta.body.errorMessage, complete.errorMessage);
    const wav = Buffer.from(await (await fetch(complete.mediaUrl, { headers: { authorization: AUTH } })).arrayBuffer());
    assert.equal(wav.toString('ascii', 0, 4), 'RIFF');
    assert.equal(wav.readUInt32LE(4), wav.length - 8, 'RIFF size');
    assert.equal(wav.toString('ascii', 36, 40), 'data');
    assert.equal(wav.readUInt32LE(40), wav.length - 44, 'data size');
    const level = rms(samplesOf(wav).subarray(1600));
    t.diagnostic(`${wav.length} bytes, RMS ${level.toFixed(0)}`);
    assert.ok(level > 3000, `the phone's tone (RMS ${level})`);
  } finally {
    await stopClean(sb);
  }
});
