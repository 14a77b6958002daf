// Voice callbacks as Bandwidth sends them (issue 9, callbacks part): https:// callbacks and audio
// verified against a CA file (a test CA made here with the openssl CLI), an untrusted or
// mismatched certificate ends the call with a fixed reason, Basic credentials on the call's and
// the verbs' callbacks (never logged, never in GET), answerFallbackUrl when answerUrl fails, and
// event bodies with the fields of bandwidth-sdk's bandwidth.yml. A sipp UAS answers behind the trunk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import dgram from 'node:dgram';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startSwitchboard, call } from '../support/server.mjs';
import { sipp, freeUdpPort } from '../support/phone.mjs';
import { until } from '../support/api.mjs';
import { tempDir } from '../support/tempdir.mjs';
import { toneWav } from '../support/wav.mjs';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml');
const spec = yaml.load(readFileSync(require.resolve('bandwidth-sdk/bandwidth.yml'), 'utf8'));
const schemaFields = (name) => Object.keys(spec.components.schemas[name].properties);

const ACCOUNT = { id: '9900000', username: 'test-user', password: 'test-password-1', allowedDestinations: ['\\+1555\\d{7}'],
  maxCallsPerMinute: 60, allowedCallbackNetworks: ['127.0.0.0/8'] };
const CALL_PASSWORD = 'cb-pass-5e1d';
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

let tmp;
let app;        // https on 127.0.0.1, certificate for 127.0.0.1 and localhost
let wrongHost;  // the same certificate served on 127.0.0.2
const servers = [];  // { sb, trunkPort, rtp }
const requests = [];  // { path, method, auth, event }
let answer = () => '<Response><Hangup/></Response>';

function makeCertificates(dir) {
  const run = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2',
    '-subj', '/CN=Switchboard test CA');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem',
    '-days', '2', '-extfile', 'san.ext');
}


function handler(req, res) {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', () => {
    const url = new URL(req.url, 'https://x');
    const event = body ? JSON.parse(body) : Object.fromEntries(url.searchParams);
    const auth = req.headers.authorization ? Buffer.from(req.headers.authorization.replace(/^Basic /, ''), 'base64').toString() : null;
    requests.push({ path: url.pathname, method: req.method, auth, event });
    if (url.pathname === '/audio.wav') {
      res.setHeader('content-type', 'audio/wav');
      return res.end(toneWav({ seconds: 0.5, hz: 1000, amplitude: 8000 }));
    }
    const reply = answer(url.pathname, event);
    res.statusCode = reply.status || 200;
    res.setHeader('content-type', 'application/xml');
    res.end(reply.body ?? reply);
  });
}

async function startServer(config) {
  const trunkPort = await freeUdpPort();
  const rtp = dgram.createSocket('udp4');
  await new Promise((r) => rtp.bind(0, '127.0.0.1', r));
  const sb = await startSwitchboard({
    config: { sipListen: '127.0.0.1:0', sipTrunk: `sip:127.0.0.1:${trunkPort}`, rtpPortMin: 45400, rtpPortMax: 45599,
      accounts: [ACCOUNT], ...config },
  });
  const s = { sb, trunkPort, rtp };
  servers.push(s);
  return s;
}

before(async () => {
  tmp = tempDir('sb-tls-');
  makeCertificates(tmp);
  const tls = { key: readFileSync(path.join(tmp, 'server.key')), cert: readFileSync(path.join(tmp, 'server.pem')) };
  app = https.createServer(tls, handler);
  await new Promise((r) => app.listen(0, '127.0.0.1', r));
  wrongHost = https.createServer(tls, handler);
  await new Promise((r) => wrongHost.listen(0, '127.0.0.2', r));
});
after(async () => {
  for (const s of servers) { await s.sb.stop(); s.sb.cleanup(); s.rtp.close(); }
  app?.close();
  wrongHost?.close();
});

const appUrl = (host = '127.0.0.1') => `https://${host}:${app.address().port}`;

function placeCall(s, body) {
  return call(`${s.sb.base}/v1/accounts/${ACCOUNT.id}/calls`, {
    method: 'POST', account: ACCOUNT, body: { from: '+15550001111', to: '+15551234567', applicationId: 'app-7', ...body },
  });
}

function trunkPhone(s) {
  const dir = tempDir('sb-trunk-');
  const csv = path.join(dir, 'ports.csv');
  writeFileSync(csv, `SEQUENTIAL\n${s.rtp.address().port};;\n`);
  return sipp({ target: '', scenario: 'uas_answer_inf.xml', calls: 1, timeoutMs: 20000, extra: ['-p', String(s.trunkPort), '-inf', csv] });
}

async function ended(s, callId) {
  return until(async () => {
    const r = await call(`${s.sb.base}/v1/accounts/${ACCOUNT.id}/calls/${callId}`, { account: ACCOUNT });
    return r.body.state === 'disconnected' ? r.body : null;
  }, { timeout: 20000, what: `call ${callId} to end` });
}

async function trusted() {
  return servers.find((s) => s.trusting) ?? Object.assign(await startServer({ callbackCaFile: path.join(tmp, 'ca.pem') }), { trusting: true });
}

test('https callbacks, BXML and audio with the CA file; Bandwidth event bodies; Basic credentials', async () => {
  const s = await trusted();
  const uas = trunkPhone(s);
  await new Promise((r) => setTimeout(r, 300));
  answer = (p) => ({
    '/answer': '<Response><Redirect redirectUrl="/redirect" username="redir-user" password="redir-pass"/></Response>',
    '/redirect': '<Response><PlayAudio username="audio-user" password="audio-pass">/audio.wav</PlayAudio><Hangup/></Response>',
  }[p] ?? '');
  const before = requests.length;
  const created = await placeCall(s, {
    answerUrl: `${appUrl()}/answer`, disconnectUrl: `${appUrl('localhost')}/disconnect`, tag: 'my-tag',
    username: 'call-user', password: CALL_PASSWORD, callbackTimeout: 5,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const callId = created.body.callId;
  const c = await ended(s, callId);
  assert.equal(c.disconnectCause, 'hangup', c.errorMessage);
  assert.ok(!JSON.stringify(c).includes(CALL_PASSWORD), 'GET returns no password');
  await until(async () => requests.slice(before).some((e) => e.path === '/disconnect'), { what: 'disconnect callback' });
  const got = requests.slice(before);
  assert.deepEqual(got.map((r) => r.path), ['/answer', '/redirect', '/audio.wav', '/disconnect']);

  const [ans, redirect, audio, disconnect] = got;
  assert.equal(ans.auth, `call-user:${CALL_PASSWORD}`);
  assert.equal(audio.auth, 'audio-user:audio-pass', 'the <PlayAudio>\'s own credentials fetch the file');
  assert.equal(redirect.auth, 'redir-user:redir-pass', 'the <Redirect>\'s own credentials');
  assert.equal(disconnect.auth, `call-user:${CALL_PASSWORD}`);
  for (const [r, schema] of [[ans, 'answerCallback'], [redirect, 'redirectCallback'], [disconnect, 'disconnectCallback']]) {
    const e = r.event;
    const allowed = schemaFields(schema);
    for (const k of Object.keys(e)) assert.ok(allowed.includes(k), `${e.eventType}: ${k} is not a field of ${schema}`);
    for (const k of ['eventType', 'eventTime', 'accountId', 'applicationId', 'from', 'to', 'direction', 'callId', 'callUrl',
      'enqueuedTime', 'startTime', 'answerTime', 'tag']) assert.ok(k in e, `${e.eventType} lacks ${k}`);
    assert.equal(e.accountId, ACCOUNT.id);
    assert.equal(e.applicationId, 'app-7');
    assert.equal(e.from, '+15550001111');
    assert.equal(e.to, '+15551234567');
    assert.equal(e.direction, 'outbound');
    assert.equal(e.callId, callId);
    assert.equal(e.tag, 'my-tag');
    assert.match(e.callUrl, new RegExp(`^http://127\\.0\\.0\\.1:\\d+/.*accounts/${ACCOUNT.id}/calls/${callId}$`));
    for (const k of ['eventTime', 'enqueuedTime', 'startTime', 'answerTime']) assert.match(e[k], ISO_MS, `${e.eventType}.${k}`);
    assert.ok(e.answerTime >= e.startTime && e.eventTime >= e.answerTime, `${e.eventType} times in order`);
  }
  assert.deepEqual([ans.event.eventType, redirect.event.eventType, disconnect.event.eventType], ['answer', 'redirect', 'disconnect']);
  assert.equal(disconnect.event.cause, 'hangup');
  assert.match(disconnect.event.endTime, ISO_MS);
  assert.ok(!('errorMessage' in disconnect.event));
  assert.ok(!s.sb.logs().includes(CALL_PASSWORD), 'the password is never logged');
  await uas;
});

test('a failing answerUrl falls back to answerFallbackUrl with the fallback credentials', async () => {
  const s = await trusted();
  const uas = trunkPhone(s);
  await new Promise((r) => setTimeout(r, 300));
  answer = (p) => (p === '/broken' ? { status: 404, body: '' } : p === '/fallback' ? '<Response><Hangup/></Response>' : '');
  const before = requests.length;
  const created = await placeCall(s, {
    answerUrl: `${appUrl()}/broken`, answerFallbackUrl: `${appUrl()}/fallback`, fallbackUsername: 'fb', fallbackPassword: 'fb-pass',
    disconnectUrl: `${appUrl()}/disconnect`,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const c = await ended(s, created.body.callId);
  assert.equal(c.disconnectCause, 'hangup', c.errorMessage);
  await until(async () => requests.slice(before).some((e) => e.path === '/disconnect'), { what: 'disconnect callback' });
  const got = requests.slice(before);
  assert.deepEqual(got.map((r) => r.path), ['/broken', '/fallback', '/disconnect']);
  assert.equal(got[1].auth, 'fb:fb-pass');
  assert.equal(got[1].event.eventType, 'answer');
  assert.equal(got[0].auth, null, 'no credentials were given for the primary URL');
  await uas;
});

test('a REST redirect that fails goes to its redirectFallbackUrl with the fallback credentials', async () => {
  const s = await trusted();
  const uas = trunkPhone(s);
  await new Promise((r) => setTimeout(r, 300));
  answer = (p) => ({
    '/answer': '<Response><Pause duration="30"/></Response>',
    '/moved': { status: 410, body: '' },
    '/rescue': '<Response><Hangup/></Response>',
  }[p] ?? '');
  const before = requests.length;
  const created = await placeCall(s, { answerUrl: `${appUrl()}/answer` });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const callId = created.body.callId;
  await until(async () => requests.slice(before).some((e) => e.path === '/answer'), { what: 'answer callback' });
  const bad = await call(`${s.sb.base}/v1/accounts/${ACCOUNT.id}/calls/${callId}`, {
    method: 'POST', account: ACCOUNT, body: { redirectUrl: `${appUrl()}/moved`, username: 'u-only' },
  });
  assert.equal(bad.status, 400);
  assert.match(JSON.stringify(bad.body), /password/);
  const r = await call(`${s.sb.base}/v1/accounts/${ACCOUNT.id}/calls/${callId}`, {
    method: 'POST', account: ACCOUNT,
    body: { redirectUrl: `${appUrl()}/moved`, username: 'ru', password: 'rp', redirectFallbackUrl: `${appUrl()}/rescue`,
      redirectFallbackMethod: 'GET', fallbackUsername: 'rfu', fallbackPassword: 'rfp' },
  });
  assert.ok(r.status < 300, JSON.stringify(r.body));
  const c = await ended(s, callId);
  assert.equal(c.disconnectCause, 'hangup', c.errorMessage);
  const got = requests.slice(before);
  assert.deepEqual(got.map((x) => x.path), ['/answer', '/moved', '/rescue']);
  assert.equal(got[1].auth, 'ru:rp');
  assert.equal(got[2].auth, 'rfu:rfp');
  assert.equal(got[2].method, 'GET');
  assert.equal(got[2].event.eventType, 'redirect');
  await uas;
});

test('create-call callback fields are validated', async () => {
  const s = await trusted();
  for (const [body, field] of [
    [{ callbackTimeout: 30 }, 'callbackTimeout'], [{ callbackTimeout: 'x' }, 'callbackTimeout'],
    [{ username: 'u' }, 'password'], [{ fallbackPassword: 'p' }, 'fallbackUsername'],
    [{ answerFallbackUrl: 'ftp://x' }, 'answerFallbackUrl'], [{ answerFallbackMethod: 'PUT' }, 'answerFallbackMethod'],
  ]) {
    const r = await placeCall(s, { answerUrl: `${appUrl()}/answer`, ...body });
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.match(JSON.stringify(r.body), new RegExp(field));
  }
});

test('a certificate for another address ends the call with a fixed reason', async () => {
  const s = await trusted();
  const uas = trunkPhone(s);
  await new Promise((r) => setTimeout(r, 300));
  const before = requests.length;
  const created = await placeCall(s, { answerUrl: `https://127.0.0.2:${wrongHost.address().port}/answer` });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const c = await ended(s, created.body.callId);
  assert.equal(c.disconnectCause, 'callback-error');
  assert.match(c.errorMessage, /^callback failed: TLS certificate of 127\.0\.0\.2 not accepted: IP address mismatch/);
  assert.equal(requests.length, before, 'no request was sent over the mismatched connection');
  await uas;
});

test('without the CA file the https answer callback fails and the call says why', async () => {
  const s = await startServer({});
  const uas = trunkPhone(s);
  await new Promise((r) => setTimeout(r, 300));
  const before = requests.length;
  const created = await placeCall(s, { answerUrl: `${appUrl()}/answer`, disconnectUrl: `${appUrl()}/disconnect` });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const c = await ended(s, created.body.callId);
  assert.equal(c.disconnectCause, 'callback-error');
  assert.match(c.errorMessage, /^callback failed: TLS certificate of 127\.0\.0\.1 not accepted: unable to get local issuer certificate/);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(requests.length, before, 'the untrusted server got nothing, not even the disconnect event');
  assert.equal((await fetch(`${s.sb.base}/healthz`)).status, 200);
  await uas;
});
