// examples/ivr-node (bandwidth-sdk's BXML builders and CallsApi) against a real switchboard, run
// as its README says: it places a call with --call to a sipp phone behind the trunk (media: this
// test's RTP socket), and the phone picks a branch of the menu with an RFC 4733 digit.
// 2: the message is recorded (listed, with the phone's audio) and the caller is thanked;
// 1: the caller is transferred to --sales, another phone behind the trunk, and they hear each other.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startSwitchboard, call, basicAuth, LOOPBACK_CALLBACKS } from '../support/server.mjs';
import { sipp, phoneMedia, freeUdpPort, udpBound } from '../support/phone.mjs';
import { until, sleep } from '../support/api.mjs';
import { tempDir } from '../support/tempdir.mjs';

const IVR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples/ivr-node/ivr.mjs');
const ACCOUNT = { id: '9900000', username: 'test-user', password: 'test-password-1', allowedDestinations: ['\\+1555\\d{7}'],
  maxCallsPerMinute: 60, allowedCallbackNetworks: LOOPBACK_CALLBACKS };
const SALES = '+15551230000';

let sb;
let trunkPort;
const opened = { media: [], sipps: [], procs: [] };  // closed in after(), also when a test failed

before(async () => {
  trunkPort = await freeUdpPort();
  sb = await startSwitchboard({
    config: { sipListen: '127.0.0.1:0', sipTrunk: `sip:127.0.0.1:${trunkPort}`, rtpPortMin: 45400, rtpPortMax: 45599, accounts: [ACCOUNT] },
  });
});
after(async () => {
  for (const p of opened.procs) p.kill();
  for (const uas of opened.sipps) await uas.kill();
  for (const media of opened.media) media.close();
  await sb?.stop();
  sb?.cleanup();
});

const freePort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

// `count` phones behind the trunk, the n-th INVITE answered by the n-th; `roles` as in uas_answer_inf.xml.
async function trunkPhones(roles) {
  const phones = [];
  for (let i = 0; i < roles.length; i++) phones.push(await phoneMedia());
  opened.media.push(...phones);
  const csv = path.join(tempDir('sb-ivr-node-'), 'ports.csv');
  writeFileSync(csv, `SEQUENTIAL\n${phones.map((p, i) => `${p.port};${roles[i]};`).join('\n')}\n`);
  const uas = sipp({ target: '', scenario: 'uas_answer_inf.xml', calls: roles.length, timeoutMs: 60000, extra: ['-p', String(trunkPort), '-inf', csv] });
  opened.sipps.push(uas);
  await udpBound(trunkPort);
  return { phones, uas };
}

// Starts the example as its README says, placing one call; resolves with its output and the call id.
async function runIvr() {
  const listen = `127.0.0.1:${await freePort()}`;
  const proc = spawn(process.execPath, [IVR, '--api', sb.base, '--account', ACCOUNT.id, '--user', ACCOUNT.username,
    '--password', ACCOUNT.password, '--listen', listen, '--sales', SALES, '--call', '+15551234567', '--from', '+15550100000'],
  { stdio: ['ignore', 'pipe', 'pipe'] });
  opened.procs.push(proc);
  const ivr = { proc, out: '' };
  proc.stdout.on('data', (d) => { ivr.out += d; });
  proc.stderr.on('data', (d) => { ivr.out += d; });
  ivr.callId = (await until(async () => /placed call (\S+)/.exec(ivr.out), { timeout: 10000, what: `the call placed:\n${ivr.out}` }))[1];
  // The example's routes that got a callback (it prints "<eventType> <path> …" for each).
  ivr.routes = () => [...new Set(ivr.out.split('\n').filter((l) => l && !l.startsWith('ivr:')).map((l) => l.split(' ')[1]))].sort();
  ivr.printed = (re, what) => until(async () => re.exec(ivr.out), { timeout: 20000, what }).catch((e) => {
    throw new Error(`${e.message}; the example's output:\n${ivr.out}`);
  });
  return ivr;
}

const callState = async (callId) => (await call(`${sb.base}/api/v2/accounts/${ACCOUNT.id}/calls/${callId}`, { account: ACCOUNT })).body;
const ended = (callId) => until(async () => {
  const s = await callState(callId);
  return s.state === 'disconnected' ? s : null;
}, { timeout: 20000, what: `call ${callId} to end` });

test('press 2: the message branch records the phone, the recording is listed with its audio, the caller is thanked', async (t) => {
  const { phones: [phone], uas } = await trunkPhones(['']);
  const ivr = await runIvr();
  await until(async () => phone.stats.peer !== null, { timeout: 10000, what: 'RTP at the phone' });
  phone.stream();
  // The menu is being spoken: press 2 (it interrupts the prompt).
  await until(async () => phone.stats.energy > 0.1, { timeout: 10000, what: 'the menu at the phone' });
  phone.sendDigit('2');
  await ivr.printed(/^gather \/menu digits=2$/m, 'the gather callback with 2');
  // The <Record> started once its recording is listed (as "processing"); 2 s of the phone's tone, then #.
  const listUrl = `${sb.base}/api/v2/accounts/${ACCOUNT.id}/calls/${ivr.callId}/recordings`;
  await until(async () => (await call(listUrl, { account: ACCOUNT })).body.length === 1, { timeout: 20000, what: 'the recording started' });
  await sleep(2000);
  phone.sendDigit('#');
  await ivr.printed(/^recordComplete \/recorded /m, 'recordComplete');
  const available = await ivr.printed(/^recordingAvailable \/recording-available recording=(\S+)$/m, 'recordingAvailable with its media URL');
  const state = await ended(ivr.callId);
  assert.equal(state.disconnectCause, 'hangup', 'the /recorded reply (thanks, then Hangup) ended the call');
  await ivr.printed(/^disconnect \/disconnect cause=hangup$/m, 'the disconnect callback');
  assert.deepEqual(ivr.routes(), ['/answer', '/disconnect', '/menu', '/recorded', '/recording-available'], 'no other branch ran');
  const [listed] = (await call(listUrl, { account: ACCOUNT })).body;
  assert.equal(listed.status, 'complete');
  assert.equal(available[1], `${sb.base}/api/v2/accounts/${ACCOUNT.id}/calls/${ivr.callId}/recordings/${listed.recordingId}/media`);
  const wav = Buffer.from(await (await fetch(available[1], { headers: { authorization: basicAuth(ACCOUNT) } })).arrayBuffer());
  const s = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.length));
  const rms = Math.sqrt(s.reduce((a, v) => a + v * v, 0) / Math.max(1, s.length));
  t.diagnostic(`recording ${listed.duration}, RMS ${rms.toFixed(0)}`);
  assert.ok(rms > 3000, `the phone's tone is in the message (RMS ${rms.toFixed(0)})`);
  const done = await uas;
  assert.equal(done.code, 0, done.stderr || done.stdout);
});

test('press 1: the caller is transferred to --sales, they hear each other, and the caller is told the call ended', async () => {
  // The IVR's call, then the transfer to sales (which hangs up 3 s after answering).
  const { phones: [phone, sales], uas } = await trunkPhones(['', 'bye']);
  const ivr = await runIvr();
  await until(async () => phone.stats.peer !== null, { timeout: 10000, what: 'RTP at the phone' });
  phone.stream();
  await until(async () => phone.stats.energy > 0.1, { timeout: 10000, what: 'the menu at the phone' });
  phone.sendDigit('1');
  await ivr.printed(/^gather \/menu digits=1$/m, 'the gather callback with 1');
  await until(async () => sales.stats.peer !== null, { timeout: 15000, what: 'the sales phone answered' });
  sales.stream();
  await until(async () => sales.stats.energy > 1, { timeout: 10000, what: `the caller's tone at sales (energy ${sales.stats.energy})` });
  const heardBefore = phone.stats.energy;
  await until(async () => phone.stats.energy > heardBefore + 1, { timeout: 10000, what: 'the sales tone at the caller' });
  await ivr.printed(/^transferComplete \/transfer-complete\b/m, 'transferComplete once sales hung up');
  const state = await ended(ivr.callId);
  assert.equal(state.disconnectCause, 'hangup');
  await ivr.printed(/^disconnect \/disconnect cause=hangup$/m, 'the disconnect callback');
  assert.deepEqual(ivr.routes(), ['/answer', '/disconnect', '/menu', '/transfer-complete'], 'no other branch ran');
  const recordings = await call(`${sb.base}/api/v2/accounts/${ACCOUNT.id}/calls/${ivr.callId}/recordings`, { account: ACCOUNT });
  assert.deepEqual(recordings.body, []);
  const done = await uas;
  assert.equal(done.code, 0, done.stderr || done.stdout);
});
