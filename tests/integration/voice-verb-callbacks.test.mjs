// Verb callbacks with Bandwidth's credentials and fallbacks (issue 9, callbacks): a verb's
// username/password go out as Authorization: Basic on its callback; when the callback fails
// (HTTP 500, no answer within callbackTimeout, connection refused) its <verb>FallbackUrl gets the
// same event with fallbackUsername/fallbackPassword, and the BXML the fallback returns runs.
// A sipp phone behind the trunk answers; the test's RTP socket sends its digits and audio.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { startSwitchboard, call, LOOPBACK_CALLBACKS } from '../support/server.mjs';
import { sipp, freeUdpPort, phoneMedia, udpBound } from '../support/phone.mjs';
import { until } from '../support/api.mjs';
import { tempDir } from '../support/tempdir.mjs';

const ACCOUNT = { id: '9900000', username: 'test-user', password: 'test-password-1', allowedDestinations: ['\\+1555\\d{7}'],
  maxCallsPerMinute: 120, allowedCallbackNetworks: LOOPBACK_CALLBACKS };

let sb;
let app;
let silent;            // accepts connections and never answers
const held = [];       // silent's sockets
let trunkPort;
const requests = [];   // { path, method, authorization, event }
let routes = {};       // path → BXML string, { status, body }, or function(event)

before(async () => {
  app = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const url = new URL(req.url, 'http://x');
      const event = body ? JSON.parse(body) : Object.fromEntries(url.searchParams);
      requests.push({ path: url.pathname, method: req.method, authorization: req.headers.authorization ?? null, event });
      let reply = routes[url.pathname] ?? '';
      if (typeof reply === 'function') reply = reply(event);
      res.statusCode = reply.status ?? 200;
      res.setHeader('content-type', 'application/xml');
      res.end(reply.body ?? (typeof reply === 'string' ? reply : ''));
    });
  });
  await new Promise((r) => app.listen(0, '127.0.0.1', r));
  silent = net.createServer((s) => { held.push(s); s.on('error', () => {}); });
  await new Promise((r) => silent.listen(0, '127.0.0.1', r));
  trunkPort = await freeUdpPort();
  sb = await startSwitchboard({
    config: { sipListen: '127.0.0.1:0', sipTrunk: `sip:127.0.0.1:${trunkPort}`, rtpPortMin: 45400, rtpPortMax: 45599,
      accounts: [ACCOUNT] },
  });
});
after(async () => {
  await sb?.stop();
  const logs = sb?.logs() ?? '';
  sb?.cleanup();
  app?.close();
  for (const s of held) s.destroy();
  silent?.close();
  assert.doesNotMatch(logs, /Sanitizer|runtime error:/);
  for (const secret of ['gp-secret', 'gfp-secret', 'rfp-secret', 'tfp-secret'])
    assert.ok(!logs.includes(secret), `${secret} is never logged`);
});

const appUrl = (p) => `http://127.0.0.1:${app.address().port}${p}`;
const silentUrl = (p) => `http://127.0.0.1:${silent.address().port}${p}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const to = (p, callId) => requests.filter((r) => r.path === p && r.event.callId === callId);

function trunkPhone(media) {
  const dir = tempDir('sb-vcb-');
  const csv = path.join(dir, 'ports.csv');
  writeFileSync(csv, `SEQUENTIAL\n${media.port};;\n`);
  return sipp({ target: '', scenario: 'uas_answer_inf.xml', timeoutMs: 40000, extra: ['-p', String(trunkPort), '-inf', csv] });
}

async function placeCall(extra = {}) {
  const r = await call(`${sb.base}/v1/accounts/${ACCOUNT.id}/calls`, {
    method: 'POST', account: ACCOUNT,
    body: { from: '+15550001111', to: '+15551234567', answerUrl: appUrl('/answer'), disconnectUrl: appUrl('/disconnect'), ...extra },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.callId;
}

async function ended(callId, timeout = 30000) {
  return until(async () => {
    const r = await call(`${sb.base}/v1/accounts/${ACCOUNT.id}/calls/${callId}`, { account: ACCOUNT });
    return r.body.state === 'disconnected' ? r.body : null;
  }, { timeout, what: `call ${callId} to end` });
}

test('<Gather> username/password: the gather callback carries Authorization: Basic', async () => {
  const media = await phoneMedia();
  routes = {
    '/answer': '<Response><Gather gatherUrl="/gather" username="gu" password="gp-secret" maxDigits="1" firstDigitTimeout="10"/>'
      + '</Response>',
    '/gather': '<Response><Hangup/></Response>',
  };
  const uas = trunkPhone(media);
  await udpBound(trunkPort);
  const callId = await placeCall();
  await until(async () => to('/answer', callId)[0], { what: 'answer callback' });
  media.stream();
  await sleep(500);
  media.sendDigit('4');
  const c = await ended(callId);
  assert.equal(c.disconnectCause, 'hangup', c.errorMessage);
  const [g] = to('/gather', callId);
  assert.ok(g, 'the gather callback came');
  assert.equal(g.authorization, basic('gu', 'gp-secret'));
  assert.equal(g.event.eventType, 'gather');
  assert.equal(g.event.digits, '4');
  assert.equal(to('/answer', callId)[0].authorization, null, 'the call itself has no credentials');
  media.close();
  await uas;
});

test('<Gather>: a gatherUrl answering 500 falls back to gatherFallbackUrl with the fallback credentials; its BXML runs', async () => {
  const media = await phoneMedia();
  routes = {
    '/answer': '<Response><Gather gatherUrl="/gather-broken" gatherFallbackUrl="/gather-fb" gatherFallbackMethod="GET" '
      + 'username="gu" password="gp-secret" fallbackUsername="gfu" fallbackPassword="gfp-secret" maxDigits="1" '
      + 'firstDigitTimeout="10"/><Hangup/></Response>',
    '/gather-broken': { status: 500, body: '' },
    '/gather-fb': '<Response><Redirect redirectUrl="/after-gather"/></Response>',
    '/after-gather': '<Response><Hangup/></Response>',
  };
  const uas = trunkPhone(media);
  await udpBound(trunkPort);
  const callId = await placeCall();
  await until(async () => to('/answer', callId)[0], { what: 'answer callback' });
  media.stream();
  await sleep(500);
  media.sendDigit('7');
  const c = await ended(callId);
  assert.equal(c.disconnectCause, 'hangup', c.errorMessage);
  const broken = to('/gather-broken', callId);
  assert.ok(broken.length >= 1, 'the primary was tried');
  for (const b of broken) assert.equal(b.authorization, basic('gu', 'gp-secret'));
  const [fb] = to('/gather-fb', callId);
  assert.ok(fb, 'the fallback was called');
  assert.equal(fb.method, 'GET');
  assert.equal(fb.authorization, basic('gfu', 'gfp-secret'));
  assert.equal(fb.event.eventType, 'gather');
  assert.equal(fb.event.digits, '7');
  assert.ok(to('/after-gather', callId).length === 1, 'the fallback\'s <Redirect> ran (not the <Hangup> after <Gather>)');
  media.close();
  await uas;
});

test('<Record>: a recordCompleteUrl that does not answer falls back to recordCompleteFallbackUrl; recordingAvailable has the credentials', async () => {
  const media = await phoneMedia();
  routes = {
    '/answer': `<Response><Record maxDuration="2" recordCompleteUrl="${silentUrl('/never')}" `
      + 'recordCompleteFallbackUrl="/record-fb" recordingAvailableUrl="/available" username="ru" password="rp" '
      + 'fallbackUsername="rfu" fallbackPassword="rfp-secret"/><Hangup/></Response>',
    '/record-fb': '<Response><Redirect redirectUrl="/after-record"/></Response>',
    '/after-record': '<Response><Hangup/></Response>',
  };
  const uas = trunkPhone(media);
  await udpBound(trunkPort);
  const started = Date.now();
  const callId = await placeCall({ callbackTimeout: 1 });  // per attempt, for the verbs' callbacks too
  await until(async () => to('/answer', callId)[0], { what: 'answer callback' });
  media.stream();
  const c = await ended(callId, 40000);
  assert.equal(c.disconnectCause, 'hangup', c.errorMessage);
  const [fb] = to('/record-fb', callId);
  assert.ok(fb, 'the fallback was called');
  assert.equal(fb.authorization, basic('rfu', 'rfp-secret'));
  assert.equal(fb.event.eventType, 'recordComplete');
  assert.match(fb.event.recordingId, /^r-/);
  assert.equal(to('/after-record', callId).length, 1, 'the fallback\'s <Redirect> ran');
  // 2 s of recording, then the silent primary: its attempts time out after callbackTimeout (1 s).
  assert.ok(Date.now() - started < 25000, 'the silent primary was given up per callbackTimeout');
  const available = await until(async () => to('/available', callId)[0], { what: 'recordingAvailable' });
  assert.equal(available.authorization, basic('ru', 'rp'));
  assert.equal(available.event.eventType, 'recordingAvailable');
  media.close();
  await uas;
});

test('<Transfer>: transferCompleteUrl refusing connections falls back with the fallback credentials; transferDisconnect has the target\'s', async () => {
  const media = await phoneMedia();
  const closed = await freeUdpPort();  // nothing listens on this TCP port number either (checked below)
  routes = {
    '/answer': `<Response><Transfer callTimeout="2" transferCompleteUrl="http://127.0.0.1:${closed}/tc" `
      + 'transferCompleteFallbackUrl="/transfer-fb" username="tu" password="tp" fallbackUsername="tfu" '
      + 'fallbackPassword="tfp-secret"><PhoneNumber transferDisconnectUrl="/td" username="du" password="dp">+15550009999'
      + '</PhoneNumber></Transfer><Hangup/></Response>',
    '/transfer-fb': '<Response><Redirect redirectUrl="/after-transfer"/></Response>',
    '/after-transfer': '<Response><Hangup/></Response>',
  };
  const probe = await new Promise((r) => {
    const s = net.connect(closed, '127.0.0.1');
    s.on('connect', () => { s.destroy(); r(false); });
    s.on('error', () => r(true));
  });
  assert.ok(probe, `port ${closed} refuses connections`);
  const uas = trunkPhone(media);  // it answers the call, not the transfer's B-leg (one call only)
  await udpBound(trunkPort);
  const callId = await placeCall();
  await until(async () => to('/answer', callId)[0], { what: 'answer callback' });
  media.stream();
  const c = await ended(callId, 40000);
  assert.equal(c.disconnectCause, 'hangup', c.errorMessage);
  const [fb] = to('/transfer-fb', callId);
  assert.ok(fb, 'the fallback was called');
  assert.equal(fb.authorization, basic('tfu', 'tfp-secret'));
  assert.equal(fb.event.eventType, 'transferComplete');
  assert.equal(fb.event.transferTo, '+15550009999');
  assert.equal(to('/after-transfer', callId).length, 1, 'the fallback\'s <Redirect> ran');
  // transferDisconnect is the B-leg's event: its callId is the leg's, parentCallId the call's.
  const td = requests.find((r) => r.path === '/td' && r.event.parentCallId === callId);
  assert.ok(td, 'transferDisconnect came');
  assert.equal(td.authorization, basic('du', 'dp'));
  assert.equal(td.event.eventType, 'transferDisconnect');
  assert.equal(td.event.cause, 'timeout', 'nothing answered the B-leg');
  media.close();
  await uas;
});

test('a verb callback failing with its fallback too ends the call with errorMessage and an errorId found in the log', async () => {
  const media = await phoneMedia();
  routes = {
    '/answer': '<Response><Gather gatherUrl="/g-404" gatherFallbackUrl="/fb-404" maxDigits="1" firstDigitTimeout="10"/></Response>',
    '/g-404': { status: 404, body: '' },
    '/fb-404': { status: 404, body: '' },
  };
  const uas = trunkPhone(media);
  await udpBound(trunkPort);
  const callId = await placeCall();
  await until(async () => to('/answer', callId)[0], { what: 'answer callback' });
  media.stream();
  await sleep(500);
  media.sendDigit('1');
  const c = await ended(callId);
  assert.equal(c.disconnectCause, 'callback-error');
  assert.equal(c.errorMessage, `callback failed: HTTP 404 from ${appUrl('/g-404')}; then the fallback: HTTP 404 (${appUrl('/fb-404')})`);
  assert.match(c.errorId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const disconnect = await until(async () => to('/disconnect', callId)[0], { what: 'disconnect callback' });
  assert.equal(disconnect.event.errorId, c.errorId, 'the disconnect event and GET /calls name the same error');
  assert.equal(disconnect.event.errorMessage, c.errorMessage);
  assert.ok(sb.logs().includes(`voice: call ${callId} error ${c.errorId}: ${c.errorMessage}`), 'support finds the id in the log');
  media.close();
  await uas;
});
