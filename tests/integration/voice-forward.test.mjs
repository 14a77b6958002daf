// BXML <Forward> (issue 9, item 4; dev.bandwidth.com/docs/voice/bxml/forward): an inbound call
// from the trunk (sipp UAC) is handed to another number through the trunk (sipp UAS); it is
// answered only when the forwarded leg answers, the two phones hear each other, and the call ends
// when either side hangs up, with no callback but the disconnect. No Janus needed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { startSwitchboard, LOOPBACK_CALLBACKS } from '../support/server.mjs';
import { sipp, phoneMedia, freeUdpPort } from '../support/phone.mjs';
import { until } from '../support/api.mjs';
import { Bxml } from 'bandwidth-sdk';
import { tempDir } from '../support/tempdir.mjs';
import { startAppServer } from '../support/app-server.mjs';

const NUMBER = '+15550100';
const ACCOUNT = { id: '9900000', username: 'test-user', password: 'test-password-1', allowedDestinations: ['\\+1555\\d{7}'],
  maxCallsPerMinute: 60, allowedCallbackNetworks: LOOPBACK_CALLBACKS };

let sb;
let app;
let trunkPort;
const events = [];
let reply = () => '';

before(async () => {
  app = await startAppServer(({ url, event }) => {
    events.push({ path: url, ...event });
    return reply(url, event);
  });
  trunkPort = await freeUdpPort();
  const appUrl = `http://127.0.0.1:${app.address().port}`;
  sb = await startSwitchboard({
    config: {
      sipListen: '127.0.0.1:0', sipTrunk: `sip:127.0.0.1:${trunkPort}`, rtpPortMin: 45600, rtpPortMax: 45799, accounts: [ACCOUNT],
      voiceNumbers: [{ number: NUMBER, accountId: ACCOUNT.id, initiateUrl: `${appUrl}/initiate`, disconnectUrl: `${appUrl}/disconnect` }],
    },
  });
});
after(async () => {
  await sb?.stop();
  const logs = sb?.logs() ?? '';  // under SWITCHBOARD_BIN=build-asan/switchboard: no sanitizer report
  sb?.cleanup();
  app?.close();
  assert.doesNotMatch(logs, /Sanitizer|runtime error:/);
});

// The phone behind the trunk that the call is forwarded to; `role` as in uas_answer_inf.xml.
async function forwardedPhone(role = '') {
  const phone = await phoneMedia();
  const dir = tempDir('sb-forward-');
  const csv = path.join(dir, 'ports.csv');
  writeFileSync(csv, `SEQUENTIAL\n${phone.port};${role};\n`);
  const uas = sipp({ target: '', scenario: 'uas_answer_inf.xml', calls: 1, timeoutMs: 30000, extra: ['-p', String(trunkPort), '-inf', csv] });
  await new Promise((r) => setTimeout(r, 400));
  return { phone, uas };
}

test('<Forward>: the caller is connected to the forwarded number, audio both ways, the caller\'s BYE ends both, only the disconnect follows', async (t) => {
  const start = events.length;
  // Written with Bandwidth's own BXML builder (bandwidth-sdk), every attribute it has.
  const bxml = new Bxml.Response([new Bxml.Forward({ to: '+15557654321', from: '+15550009999', callTimeout: 10,
    diversionTreatment: 'propagate', diversionReason: 'unconditional', uui: 'aGVsbG8=;encoding=base64' }), new Bxml.SendDtmf('1')]).toBxml();
  reply = (p) => (p === '/initiate' ? bxml : '');
  const { phone: callee, uas } = await forwardedPhone();
  const caller = await phoneMedia();
  const sipPort = await sb.sipPort();
  const uac = sipp({ target: `127.0.0.1:${sipPort}`, scenario: 'dialin_number.xml', keys: { rtp_port: caller.port }, holdMs: 5000,
    extra: ['-s', NUMBER], timeoutMs: 30000 });
  await until(async () => caller.stats.peer !== null, { timeout: 15000, what: 'the caller answered (RTP towards it)' });
  await until(async () => callee.stats.peer !== null, { timeout: 5000, what: 'RTP towards the forwarded phone' });
  caller.stream();
  callee.stream();
  await until(async () => callee.stats.energy > 1, { timeout: 5000, what: `the caller's tone at the forwarded phone (energy ${callee.stats.energy})` });
  await until(async () => caller.stats.energy > 1, { timeout: 5000, what: `the forwarded phone's tone at the caller (energy ${caller.stats.energy})` });
  t.diagnostic(`energy at the forwarded phone ${callee.stats.energy.toFixed(1)}, at the caller ${caller.stats.energy.toFixed(1)}`);
  const [a, b] = await Promise.all([uac, uas]);
  assert.equal(a.code, 0, `the caller's call went through and ended with its BYE: ${a.stderr || a.stdout}`);
  assert.equal(b.code, 0, `the forwarded phone got a BYE: ${b.stderr || b.stdout}`);
  await until(async () => events.slice(start).some((e) => e.path === '/disconnect'), { timeout: 10000, what: 'disconnect callback' });
  await new Promise((r) => setTimeout(r, 500));
  const got = events.slice(start);
  assert.deepEqual(got.map((e) => e.eventType), ['initiate', 'disconnect'], 'no callbacks but the disconnect after <Forward>');
  const d = got[1];
  assert.equal(d.cause, 'hangup');
  assert.equal(d.direction, 'inbound');
  assert.ok(d.answerTime, 'the call was answered when the forwarded leg was');
  assert.equal(caller.stats.digits.length, 0, 'the verbs after <Forward> never ran');
  caller.close();
  callee.close();
});

test('<Forward>: when the forwarded phone hangs up, the caller gets a BYE', async () => {
  const start = events.length;
  reply = (p) => (p === '/initiate' ? '<Response><Forward to="+15557654321"/></Response>' : '');
  const { phone: callee, uas } = await forwardedPhone('bye');  // hangs up 3 s after answering
  const caller = await phoneMedia();
  const sipPort = await sb.sipPort();
  // This caller never hangs up itself: it passes only if switchboard sends it a BYE.
  const uac = sipp({ target: `127.0.0.1:${sipPort}`, scenario: 'number_wait_bye.xml', keys: { rtp_port: caller.port, se: 1800 },
    extra: ['-s', NUMBER], timeoutMs: 20000 });
  await until(async () => events.slice(start).some((e) => e.path === '/disconnect'), { timeout: 15000, what: 'disconnect callback' });
  const [a, b] = await Promise.all([uac, uas]);
  assert.equal(b.code, 0, b.stderr || b.stdout);
  assert.equal(a.code, 0, `the caller got switchboard's BYE: ${a.stderr || a.stdout}`);
  const d = events.slice(start).find((e) => e.path === '/disconnect');
  assert.equal(d.cause, 'hangup');
  caller.close();
  callee.close();
});

test('invalid <Forward> attributes end the call with invalid-bxml saying why', async () => {
  const start = events.length;
  reply = (p) => (p === '/initiate' ? '<Response><Forward to="+15557654321" diversionTreatment="sideways"/></Response>' : '');
  const caller = await phoneMedia();
  const sipPort = await sb.sipPort();
  const uac = sipp({ target: `127.0.0.1:${sipPort}`, scenario: 'dialin_number.xml', keys: { rtp_port: caller.port }, holdMs: 1000,
    extra: ['-s', NUMBER], timeoutMs: 10000 });
  await until(async () => events.slice(start).some((e) => e.path === '/disconnect'), { timeout: 10000, what: 'disconnect callback' });
  const d = events.slice(start).find((e) => e.path === '/disconnect');
  assert.equal(d.cause, 'invalid-bxml');
  assert.match(d.errorMessage, /<Forward>: diversionTreatment "…" must be none, propagate or stack/);
  await uac;
  caller.close();
});

test('<Forward> to a phone that does not answer in callTimeout: the call ends with cause timeout, never answered', async () => {
  const start = events.length;
  reply = (p) => (p === '/initiate' ? '<Response><Forward to="+15557654321" callTimeout="2"/></Response>' : '');
  const { phone: callee, uas } = await forwardedPhone('ring');  // rings until cancelled
  const caller = await phoneMedia();
  const sipPort = await sb.sipPort();
  // The caller expects a 200 that never comes: its own result is not the point here.
  const uac = sipp({ target: `127.0.0.1:${sipPort}`, scenario: 'dialin_number.xml', keys: { rtp_port: caller.port }, holdMs: 1000,
    extra: ['-s', NUMBER], timeoutMs: 10000 });
  await until(async () => events.slice(start).some((e) => e.path === '/disconnect'), { timeout: 15000, what: 'disconnect callback' });
  const d = events.slice(start).find((e) => e.path === '/disconnect');
  assert.equal(d.cause, 'timeout');
  assert.match(d.errorMessage, /the forwarded call was not connected/);
  assert.equal(d.answerTime, undefined, 'the caller was never answered');
  assert.equal(caller.stats.peer, null, 'no media went to the caller');
  const b = await uas;
  assert.equal(b.code, 0, `the forwarded phone got its CANCEL: ${b.stderr || b.stdout}`);
  await uac;
  caller.close();
  callee.close();
});

// info: the headers of the forwarded leg. The phone behind the trunk runs `scenario`, and sipp's
// message trace gives the test the INVITE exactly as it arrived.
async function headerPhone(scenario) {
  const phone = await phoneMedia();
  const dir = tempDir('sb-forward-hdr-');
  const csv = path.join(dir, 'ports.csv');
  writeFileSync(csv, `SEQUENTIAL\n${phone.port};;\n`);
  const trace = path.join(dir, 'messages.log');
  const uas = sipp({ target: '', scenario, calls: 1, timeoutMs: 30000,
    extra: ['-p', String(trunkPort), '-inf', csv, '-trace_msg', '-message_file', trace] });
  await new Promise((r) => setTimeout(r, 400));
  // The INVITE as received: its header lines, up to the blank line before the SDP.
  const invite = () => {
    const text = readFileSync(trace, 'utf8');
    const at = text.indexOf('INVITE sip:');
    assert.ok(at >= 0, 'the forwarded phone got an INVITE');
    return text.slice(at, text.indexOf('\n\n', at) >= 0 ? text.indexOf('\n\n', at) : undefined).split(/\r?\n/);
  };
  return { phone, uas, invite };
}

// A call from the trunk to NUMBER that arrived with two Diversion headers; it hangs up after holdMs.
async function divertedCaller(holdMs = 2000) {
  const caller = await phoneMedia();
  const sipPort = await sb.sipPort();
  const uac = sipp({ target: `127.0.0.1:${sipPort}`, scenario: 'dialin_number_diversion.xml', keys: { rtp_port: caller.port },
    holdMs, extra: ['-s', NUMBER], timeoutMs: 20000 });
  return { caller, uac };
}

const RECEIVED = ['<sip:+15550002222@pbx.example>;reason=user-busy;counter=1', '<sip:+15550003333@pbx.example>;reason=no-answer;counter=1'];
const diversionsOf = (lines) => lines.filter((l) => /^Diversion:/i.test(l)).map((l) => l.replace(/^Diversion:\s*/i, ''));

test('<Forward diversionTreatment="stack">: Diversion of the forwarding number on top of the received ones, uui, callerDisplayName', async () => {
  const start = events.length;
  reply = (p) => (p === '/initiate' ? '<Response><Forward to="+15557654321" from="+15550009999" callerDisplayName="Front Desk"'
    + ' uui="aGVsbG8=;encoding=base64" diversionTreatment="stack" diversionReason="no-answer"/></Response>' : '');
  const { phone: callee, uas, invite } = await headerPhone('uas_forward_headers.xml');
  const { caller, uac } = await divertedCaller();
  const [a, b] = await Promise.all([uac, uas]);
  // sipp checked each header with a regexp (uas_forward_headers.xml): exit 0 only if all matched.
  assert.equal(b.code, 0, `the forwarded INVITE had the expected headers: ${b.stderr || b.stdout.slice(-1500)}`);
  assert.equal(a.code, 0, a.stderr || a.stdout.slice(-1500));
  const lines = invite();
  const sipPort = await sb.sipPort();
  // RFC 5806: the newest diversion first, then the ones received, unchanged and in order.
  assert.deepEqual(diversionsOf(lines), [`<sip:+15550100@127.0.0.1:${sipPort}>;reason=no-answer;counter=1`, ...RECEIVED]);
  assert.ok(lines.includes('User-To-User: aGVsbG8=;encoding=base64'), lines.join('\n'));
  assert.ok(lines.some((l) => /^From: "Front Desk" <sip:\+15550009999@127\.0\.0\.1>;tag=/.test(l)), lines.join('\n'));
  await until(async () => events.slice(start).some((e) => e.path === '/disconnect'), { timeout: 10000, what: 'disconnect callback' });
  caller.close();
  callee.close();
});

test('<Forward diversionTreatment="propagate"> copies the received Diversion headers; "none" and no attribute send none', async () => {
  for (const [attrs, expected] of [[' diversionTreatment="propagate" diversionReason="away"', RECEIVED],
    [' diversionTreatment="none"', []], ['', []]]) {
    const start = events.length;
    reply = (p) => (p === '/initiate' ? `<Response><Forward to="+15557654321"${attrs}/></Response>` : '');
    const { phone: callee, uas, invite } = await headerPhone('uas_answer_inf.xml');
    const { caller, uac } = await divertedCaller(1000);
    const [a, b] = await Promise.all([uac, uas]);
    assert.equal(b.code, 0, b.stderr || b.stdout.slice(-1500));
    assert.equal(a.code, 0, a.stderr || a.stdout.slice(-1500));
    const lines = invite();
    assert.deepEqual(diversionsOf(lines), expected, `${attrs || 'no diversionTreatment'}: ${lines.join('\n')}`);
    assert.ok(!lines.some((l) => /^User-To-User:/i.test(l)), 'no uui attribute: no User-To-User');
    await until(async () => events.slice(start).some((e) => e.path === '/disconnect'), { timeout: 10000, what: 'disconnect callback' });
    caller.close();
    callee.close();
  }
});

test('<Forward> uui without an encoding, or callerDisplayName with a line break, is invalid BXML', async () => {
  for (const [attr, why] of [['uui="hello"', /<Forward>: uui: /], ['callerDisplayName="a&#10;b"', /callerDisplayName must not contain control characters/]]) {
    const start = events.length;
    reply = (p) => (p === '/initiate' ? `<Response><Forward to="+15557654321" ${attr}/></Response>` : '');
    const caller = await phoneMedia();
    const sipPort = await sb.sipPort();
    const uac = sipp({ target: `127.0.0.1:${sipPort}`, scenario: 'dialin_number.xml', keys: { rtp_port: caller.port }, holdMs: 1000,
      extra: ['-s', NUMBER], timeoutMs: 10000 });
    await until(async () => events.slice(start).some((e) => e.path === '/disconnect'), { timeout: 10000, what: 'disconnect callback' });
    const d = events.slice(start).find((e) => e.path === '/disconnect');
    assert.equal(d.cause, 'invalid-bxml');
    assert.match(d.errorMessage, why);
    await uac;
    caller.close();
  }
});
