// Outbound requests are safe (issue 8, item 3): voice callbacks to loopback, private, link-local
// and metadata addresses are refused unless the account allows them — IP literals at once (400),
// names once resolved (the call ends and says why) — <Redirect> loops end after the hop limit,
// and error texts never repeat what the callback server sent. A sipp UAS plays the trunk's phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import dgram from 'node:dgram';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { startSwitchboard, call, LOOPBACK_CALLBACKS } from '../support/server.mjs';
import { sipp, freeUdpPort } from '../support/phone.mjs';
import { until } from '../support/api.mjs';
import { tempDir } from '../support/tempdir.mjs';

const MARKER = 'SECRET-MARKER-7f3a';
const STRICT = { id: '9900000', username: 'test-user', password: 'test-password-1', allowedDestinations: ['\\+1555\\d{7}'], maxCallsPerMinute: 60 };
const TRUSTING = { id: '9900001', username: 'other-user', password: 'other-password-1', allowedDestinations: ['\\+1555\\d{7}'],
  maxCallsPerMinute: 60, allowedCallbackNetworks: LOOPBACK_CALLBACKS };
const HOPS = 3;
const PER_CALL = 3;

let sb;
let app;
let trunkPort;
let rtp;
const requests = [];  // what the callback server received: { account, path }
let answer = () => '<Response><Hangup/></Response>';

before(async () => {
  app = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const event = body ? JSON.parse(body) : {};
      requests.push({ path: req.url, ...event });
      res.setHeader('content-type', 'application/xml');
      // The marker is also in a header: no error text may repeat headers either.
      res.setHeader('x-internal', MARKER);
      const reply = answer(req.url, event);
      res.statusCode = reply.status || 200;
      // `delay`: answer later (a slow application server).
      setTimeout(() => res.end(reply.body ?? reply), reply.delay || 0);
    });
  });
  await new Promise((r) => app.listen(0, '127.0.0.1', r));
  trunkPort = await freeUdpPort();
  rtp = dgram.createSocket('udp4');
  await new Promise((r) => rtp.bind(0, '127.0.0.1', r));
  sb = await startSwitchboard({
    config: {
      sipListen: '127.0.0.1:0', sipTrunk: `sip:127.0.0.1:${trunkPort}`, rtpPortMin: 45000, rtpPortMax: 45199,
      accounts: [STRICT, TRUSTING], callbackMaxRedirects: HOPS, callbackMaxPendingPerCall: PER_CALL,
    },
  });
});
after(async () => { await sb?.stop(); sb?.cleanup(); app?.close(); rtp?.close(); });

const appUrl = (host = '127.0.0.1') => `http://${host}:${app.address().port}`;

function placeCall(account, body) {
  return call(`${sb.base}/v1/accounts/${account.id}/calls`, {
    method: 'POST', account, body: { from: '+15550001111', to: '+15551234567', ...body },
  });
}

// A phone behind the trunk answers `calls` calls and waits for switchboard's BYE.
function trunkPhone(calls = 1) {
  const dir = tempDir('sb-trunk-');
  const csv = path.join(dir, 'ports.csv');
  writeFileSync(csv, `SEQUENTIAL\n${Array.from({ length: calls }, () => `${rtp.address().port};;`).join('\n')}\n`);
  return sipp({ target: '', scenario: 'uas_answer_inf.xml', calls, timeoutMs: 20000, extra: ['-p', String(trunkPort), '-inf', csv] });
}

async function ended(account, callId) {
  return until(async () => {
    const r = await call(`${sb.base}/v1/accounts/${account.id}/calls/${callId}`, { account });
    return r.body.state === 'disconnected' ? r.body : null;
  }, { timeout: 15000, what: `call ${callId} to end` });
}

async function healthy() {
  assert.equal((await fetch(`${sb.base}/healthz`)).status, 200);
}

test('IP-literal callback URLs in non-public ranges are refused at create with 400 naming the range', async () => {
  const cases = [
    ['http://127.0.0.1:9/answer', 'loopback'],
    ['http://10.1.2.3/answer', 'private'],
    ['http://192.168.0.10/answer', 'private'],
    ['http://169.254.169.254/latest/meta-data/', 'cloud metadata'],
    ['http://[::1]:9/answer', 'loopback'],
    ['http://[::ffff:127.0.0.1]:9/answer', 'loopback'],
    ['http://[fd00:ec2::254]/x', 'cloud metadata'],
    ['http://100.64.1.1/x', 'CGNAT'],
  ];
  const before = requests.length;
  for (const [url, range] of cases) {
    const r = await placeCall(STRICT, { answerUrl: url });
    assert.equal(r.status, 400, `${url}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.field ?? r.body.errors?.[0]?.field ?? 'answerUrl', 'answerUrl');
    assert.match(JSON.stringify(r.body), new RegExp(range), url);
  }
  const d = await placeCall(STRICT, { answerUrl: 'http://app.example/answer', disconnectUrl: 'http://127.0.0.1/d' });
  assert.equal(d.status, 400);
  assert.match(JSON.stringify(d.body), /disconnectUrl/);
  assert.equal(requests.length, before, 'nothing was sent');
  await healthy();
});

test('a name that resolves to loopback is refused when the call connects; the call says why', async () => {
  const uas = trunkPhone();
  await new Promise((r) => setTimeout(r, 300));
  const before = requests.length;
  const created = await placeCall(STRICT, { answerUrl: `${appUrl('localhost')}/answer`, disconnectUrl: `${appUrl('localhost')}/disconnect` });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const c = await ended(STRICT, created.body.callId);
  assert.equal(c.disconnectCause, 'callback-error');
  assert.match(c.errorMessage, /refused: localhost resolves to a loopback address/);
  assert.equal(requests.length, before, 'the callback server got nothing, not even the disconnect event');
  await uas;
  await healthy();
});

test('with the account\'s allow-list the same callbacks go through', async () => {
  const uas = trunkPhone();
  await new Promise((r) => setTimeout(r, 300));
  answer = () => '<Response><Hangup/></Response>';
  const before = requests.length;
  const created = await placeCall(TRUSTING, { answerUrl: `${appUrl('localhost')}/answer`, disconnectUrl: `${appUrl()}/disconnect` });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const c = await ended(TRUSTING, created.body.callId);
  assert.equal(c.disconnectCause, 'hangup');
  await until(async () => requests.slice(before).some((e) => e.path === '/disconnect'), { what: 'disconnect callback' });
  assert.deepEqual(requests.slice(before).map((e) => e.eventType), ['answer', 'disconnect']);
  await uas;
});

test('a <Redirect> loop ends after the hop limit; the disconnect callback says why', async () => {
  const uas = trunkPhone();
  await new Promise((r) => setTimeout(r, 300));
  answer = (p) => (p === '/disconnect' ? '' : '<Response><Redirect redirectUrl="/loop"/></Response>');
  const before = requests.length;
  const created = await placeCall(TRUSTING, { answerUrl: `${appUrl()}/answer`, disconnectUrl: `${appUrl()}/disconnect` });
  assert.equal(created.status, 201);
  const c = await ended(TRUSTING, created.body.callId);
  assert.equal(c.disconnectCause, 'application-error');
  assert.match(c.errorMessage, new RegExp(`more than ${HOPS} <Redirect>s in a row`));
  await until(async () => requests.slice(before).some((e) => e.path === '/disconnect'), { what: 'disconnect callback' });
  const got = requests.slice(before);
  assert.equal(got.filter((e) => e.path === '/loop').length, HOPS, 'exactly the hop limit of redirects was fetched');
  const disconnect = got.find((e) => e.path === '/disconnect');
  assert.equal(disconnect.cause, 'application-error');
  assert.match(disconnect.errorMessage, /<Redirect>/);
  await uas;
  await healthy();
});

test('error texts do not repeat what the callback server returned', async () => {
  const bodies = [
    { status: 500, body: `internal error ${MARKER}` },
    { status: 200, body: `<html><body>${MARKER}</body></html>` },
    { status: 200, body: `<Response><Pause duration="${MARKER}"/></Response>` },
    { status: 200, body: `<Response>${MARKER}</Response>` },
    { status: 302, body: MARKER },
  ];
  const uas = trunkPhone(bodies.length);
  await new Promise((r) => setTimeout(r, 300));
  for (const reply of bodies) {
    answer = (p) => (p === '/disconnect' ? '' : reply);
    const created = await placeCall(TRUSTING, { answerUrl: `${appUrl()}/answer` });
    assert.equal(created.status, 201);
    const c = await ended(TRUSTING, created.body.callId);
    assert.ok(['callback-error', 'invalid-bxml'].includes(c.disconnectCause), c.disconnectCause);
    assert.ok(c.errorMessage, 'the call says why');
    assert.ok(!c.errorMessage.includes(MARKER), `errorMessage repeats the remote's text: ${c.errorMessage}`);
  }
  await uas;
  assert.ok(!sb.logs().includes(MARKER), 'the log repeats the remote\'s text');
  await healthy();
});

test('callbacks pending for one call are bounded: past the bound the request is refused and says why', async () => {
  const uas = trunkPhone();
  await new Promise((r) => setTimeout(r, 300));
  // The answer keeps the call up; every redirect is answered only after 3 s.
  answer = (p) => (p === '/answer' ? '<Response><Pause duration="30"/></Response>'
    : p === '/disconnect' ? '' : { delay: 3000, body: '<Response><Pause duration="30"/></Response>' });
  const created = await placeCall(TRUSTING, { answerUrl: `${appUrl()}/answer`, disconnectUrl: `${appUrl()}/disconnect` });
  assert.equal(created.status, 201);
  const url = `${sb.base}/v1/accounts/${TRUSTING.id}/calls/${created.body.callId}`;
  await until(async () => (await call(url, { account: TRUSTING })).body.state === 'answered', { what: 'answered' });
  const before = requests.length;
  // Each REST redirect supersedes the previous one, whose request is still under way.
  for (let i = 0; i <= PER_CALL; i++) {
    const r = await call(url, { method: 'POST', account: TRUSTING, body: { redirectUrl: `${appUrl()}/slow-${i}` } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
  const c = await ended(TRUSTING, created.body.callId);
  assert.equal(c.disconnectCause, 'callback-error');
  assert.match(c.errorMessage, /refused: too many callbacks pending for this call/);
  const sent = requests.slice(before).filter((e) => e.path.startsWith('/slow-')).length;
  assert.ok(sent <= PER_CALL, `${sent} redirects reached the application, at most ${PER_CALL} may`);
  // The disconnect event is not held back by the call's own pending requests.
  await until(async () => requests.slice(before).some((e) => e.path === '/disconnect'), { what: 'disconnect callback' });
  assert.match(requests.slice(before).find((e) => e.path === '/disconnect').errorMessage, /too many callbacks pending/);
  await uas;
  await healthy();
});
