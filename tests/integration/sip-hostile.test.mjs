// SIP and RTP from a hostile network (issue 8): a huge Request-URI, a flood of unauthenticated
// INVITEs with growing junk, INVITEs for the voice numbers from an address that is not the
// trunk, a phone that vanishes without BYE, a session nobody refreshes (RFC 4028). After each,
// the server answers /healthz and what it holds is bounded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { startSwitchboard, call, binary, ACCOUNT, OTHER_ACCOUNT, LOOPBACK_CALLBACKS } from '../support/server.mjs';
import { gauge, sleep, waitFor } from '../support/api.mjs';
import { sipSocket, rssKb } from '../support/sipClient.mjs';
import { sipp } from '../support/phone.mjs';

const NUMBER = '+15550100';
let app;
let events = [];
let sb;
let target;

async function startApp() {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      try { events.push({ path: req.url, ...JSON.parse(body || '{}') }); } catch { events.push({ path: req.url }); }
      res.setHeader('Content-Type', 'application/xml');
      res.end(req.url === '/initiate' ? '<Response><Pause duration="60"/></Response>' : '');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

function sipConfig(extra = {}) {
  return {
    sipListen: '127.0.0.1:0',
    sipTrunk: 'sip:127.0.0.1:5070',  // sipTrunkAddresses defaults to its host: 127.0.0.1
    rtpPortMin: 33000,
    rtpPortMax: 33099,
    voiceNumbers: [{ number: NUMBER, accountId: '9900000', initiateUrl: `http://127.0.0.1:${app.address().port}/initiate` }],
    rtpInactivitySeconds: 1.5,
    // The application (initiateUrl) listens on loopback: allowed explicitly (docs/security.md).
    accounts: [{ ...ACCOUNT, allowedCallbackNetworks: LOOPBACK_CALLBACKS }, OTHER_ACCOUNT],
    sipMessageTimeoutSeconds: 1,
    ...extra,
  };
}

async function healthy(server) {
  const r = await call(`${server.base}/healthz`, { account: null });
  assert.equal(r.status, 200);
}

before(async () => {
  app = await startApp();
  sb = await startSwitchboard({ config: sipConfig() });
  target = { host: '127.0.0.1', port: await sb.sipPort() };
});
after(async () => {
  const exit = await sb?.stop();
  sb?.cleanup();
  app?.close();
  // Under ASan/UBSan a memory error or leak shows here (and in the exit code).
  assert.doesNotMatch(sb?.logs() ?? '', /AddressSanitizer|LeakSanitizer|runtime error/);
  assert.equal(exit?.code, 0);
});

test('an INVITE whose Request-URI user part is 40,000 characters gets a 4xx and the server keeps running', async () => {
  const phone = await sipSocket();
  try {
    const r = await phone.invite(target, { user: 'a'.repeat(40000) });
    assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}`);
    assert.equal(r.reason, 'Forbidden');
    // And again with a number-like one (digits reach the voice-number lookup).
    const r2 = await phone.invite(target, { user: '+1' + '5'.repeat(40000) });
    assert.equal(r2.status, 403);
  } finally {
    phone.close();
  }
  await healthy(sb);
  assert.equal(sb.proc.exitCode, null);
});

// Writes `data` on a new TCP connection to the SIP port; resolves {ms, reply} when the server
// closes it (or {ms: Infinity} after 5 s).
function tcpExchange(port, data) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    let reply = '';
    const s = net.connect(port, '127.0.0.1', () => s.write(data));
    const t = setTimeout(() => { s.destroy(); resolve({ ms: Infinity, reply }); }, 5000);
    s.on('data', (d) => { reply += d; });
    s.on('error', () => {});
    s.on('close', () => { clearTimeout(t); resolve({ ms: Date.now() - t0, reply }); });
  });
}

test('over TCP a message over sipMaxMessageBytes gets 413 and a half-sent one is dropped after sipMessageTimeoutSeconds', async () => {
  const body = 'x'.repeat(200000);
  const head = (len) => [`INVITE sip:a@127.0.0.1:${target.port} SIP/2.0`, 'Via: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKtcp1',
    'From: <sip:b@127.0.0.1>;tag=1', 'To: <sip:a@127.0.0.1>', 'Call-ID: tcp-1', 'CSeq: 1 INVITE', 'Max-Forwards: 70',
    'Content-Type: application/sdp', `Content-Length: ${len}`, '', ''].join('\r\n');
  const big = await tcpExchange(target.port, head(body.length) + body);
  assert.match(big.reply, /^SIP\/2\.0 413 Request Entity Too Large\r\n/);
  assert.ok(big.ms < 2000);
  const endless = await tcpExchange(target.port, `INVITE sip:a@127.0.0.1:${target.port} SIP/2.0\r\nSubject: ${'y'.repeat(100000)}`);
  assert.ok(endless.ms < 2000, `a 100 KB header line: closed after ${endless.ms} ms`);
  // A slow client (slowloris): the connection goes after the message timeout, not never.
  const slow = await tcpExchange(target.port, `INVITE sip:a@127.0.0.1:${target.port} SIP/2.0\r\nVia: SIP/2.0/TCP`);
  assert.ok(slow.ms >= 900 && slow.ms < 3000, `half a message: closed after ${slow.ms} ms`);
  await healthy(sb);
});

test('floods of unauthenticated INVITEs with growing, random headers: fixed reason phrases, memory bounded', async () => {
  const phone = await sipSocket();
  const reasons = new Set();
  const send = async (i) => {
    i %= 800;
    // A User-To-User whose encoding is random text (it used to be quoted in the reason phrase
    // and kept for good), and a Subject that grows with i.
    const junk = randomBytes(900 + (i % 100) * 4).toString('hex');
    const r = await phone.invite(target, {
      user: `u${i}-${randomBytes(8).toString('hex')}`,
      headers: [`User-To-User: 00;encoding=${junk}`, `Subject: ${'x'.repeat(i * 10)}`],
    });
    reasons.add(`${r.status} ${r.reason}`);
  };
  try {
    // The first 800 raise the allocator's high-water mark: sofia keeps each transaction (and
    // its message) for Timer I after our ACK (RFC 3261 §17.2.1, 5 s on UDP). The next 800 must
    // reuse that memory: nothing per request outlives its transaction.
    for (let i = 0; i < 800; i++) await send(i);
    await sleep(6000);  // their transactions end
    const before = rssKb(sb.proc.pid);
    for (let i = 0; i < 800; i++) await send(i);
    await sleep(6000);
    const afterKb = rssKb(sb.proc.pid);
    console.log(`RSS ${before} KB → ${afterKb} KB after 800 more INVITEs (+${afterKb - before} KB)`);
    assert.deepEqual([...reasons], ['403 Forbidden']);
    // Before the fix each reply's reason (up to 4 KB of the caller's text) was kept for good:
    // +1.9 MB per 800 with these headers. Measured after: +28 KB.
    // (ASan's quarantine holds freed memory back on purpose: no bound to check there.)
    if (!/asan/i.test(binary)) assert.ok(afterKb - before < 512, `RSS grew by ${afterKb - before} KB`);
  } finally {
    phone.close();
  }
  await healthy(sb);
  assert.ok(await gauge(sb, 'switchboard_sip_calls_refused_total') >= 1600);
});

test('an INVITE for a voice number from an address that is not the trunk gets 403; from the trunk it is accepted', async () => {
  const stranger = await sipSocket('127.0.0.2');
  const trunk = await sipSocket('127.0.0.1');
  try {
    const before = events.length;
    const r = await stranger.invite(target, { user: NUMBER });
    assert.equal(r.status, 403);
    assert.equal(r.reason, 'Forbidden');
    assert.equal(await gauge(sb, 'switchboard_sip_untrusted_trunk_invites_total'), 1);
    await sleep(200);
    assert.equal(events.length, before, 'the number\'s application heard nothing');

    // From the trunk's address the number's application gets the initiate event and the call
    // is answered (its BXML pauses); the phone never sends RTP, so it is ended after
    // rtpInactivitySeconds.
    const answered = trunk.invite(target, { user: NUMBER, timeoutMs: 8000 });
    await waitFor(() => events.length > before);
    assert.equal(events[before].path, '/initiate');
    assert.equal(events[before].eventType, 'initiate');
    assert.equal((await answered).status, 200);
  } finally {
    stranger.close();
    trunk.close();
  }
  await waitFor(async () => (await gauge(sb, 'switchboard_sip_active_calls')) === 0, { timeoutMs: 8000 });
});

test('sipTrunkAddresses replaces the default; an entry that is not an address stops the server from starting', async () => {
  const other = await startSwitchboard({ config: sipConfig({ sipTrunkAddresses: ['127.0.0.2/32'], rtpPortMin: 33200, rtpPortMax: 33299 }) });
  const local = await sipSocket('127.0.0.1');
  const listed = await sipSocket('127.0.0.2');
  try {
    const to = { host: '127.0.0.1', port: await other.sipPort() };
    assert.equal((await local.invite(to, { user: NUMBER })).status, 403);
    const before = events.length;
    const answered = listed.invite(to, { user: NUMBER, timeoutMs: 8000 });
    await waitFor(() => events.length > before);
    assert.equal(events[before].eventType, 'initiate');
    assert.equal((await answered).status, 200);
  } finally {
    local.close();
    listed.close();
    await other.stop();
    other.cleanup();
  }
  await assert.rejects(startSwitchboard({ config: sipConfig({ sipTrunkAddresses: ['trunk.example.com'] }) }),
    /sipTrunkAddresses: "trunk\.example\.com" is not an IP address/);
});

test('a phone that stops sending RTP is hung up with BYE after rtpInactivitySeconds and everything is freed', async () => {
  const freeBefore = await gauge(sb, 'switchboard_sip_free_rtp_ports');
  const timedOutBefore = await gauge(sb, 'switchboard_sip_calls_rtp_timeout_total');
  const started = Date.now();
  // The media port is never opened: not one RTP packet comes from the phone.
  const run = sipp({ target: `127.0.0.1:${target.port}`, scenario: 'number_wait_bye.xml', keys: { rtp_port: 40002, se: 1800 },
    extra: ['-s', NUMBER], timeoutMs: 20000 });
  await waitFor(async () => (await gauge(sb, 'switchboard_sip_active_calls')) === 1, { timeoutMs: 5000 });
  assert.equal(await gauge(sb, 'switchboard_sip_free_rtp_ports'), freeBefore - 2);
  const r = await run;
  const took = Date.now() - started;
  assert.equal(r.code, 0, `sipp: ${r.stdout}\n${r.stderr}`);  // it received the server's BYE
  assert.ok(took >= 1500 && took < 8000, `BYE after ${took} ms`);
  assert.equal(await gauge(sb, 'switchboard_sip_active_calls'), 0);
  assert.equal(await gauge(sb, 'switchboard_sip_free_rtp_ports'), freeBefore);
  assert.equal(await gauge(sb, 'switchboard_sip_calls_rtp_timeout_total'), timedOutBefore + 1);
  await healthy(sb);
});

test('a session the caller does not refresh (RFC 4028) is ended with BYE', async () => {
  const timers = await startSwitchboard({ config: sipConfig({ rtpInactivitySeconds: 0, sipSessionExpiresSeconds: 8, sipMinSessionExpiresSeconds: 8, rtpPortMin: 33100, rtpPortMax: 33199 }) });
  try {
    const port = await timers.sipPort();
    const started = Date.now();
    const r = await sipp({ target: `127.0.0.1:${port}`, scenario: 'number_wait_bye.xml', keys: { rtp_port: 40004, se: 8 },
      extra: ['-s', NUMBER], timeoutMs: 25000 });
    const took = Date.now() - started;
    assert.equal(r.code, 0, `sipp: ${r.stdout}\n${r.stderr}`);
    // RFC 4028 §10: the BYE comes before the 8 s session expires, and not at once.
    assert.ok(took >= 3000 && took < 12000, `BYE after ${took} ms`);
    await waitFor(async () => (await gauge(timers, 'switchboard_sip_active_calls')) === 0);
    await healthy(timers);
  } finally {
    await timers.stop();
    timers.cleanup();
  }
});
