// A hostile HTTP/WebSocket client (issue 8): invalid UTF-8 everywhere, oversized and slow requests,
// connection floods to the caps, descriptor exhaustion, diagnostics floods, password guessing and
// the demo routes. After each, the server still answers /healthz.
// Every address used is on loopback: the whole of 127.0.0.0/8 is, so 127.0.0.2 is "another client".
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { writeFileSync, chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { startSwitchboard, call, basicAuth, binary, ACCOUNT, OTHER_ACCOUNT } from '../support/server.mjs';
import { sleep, raw, req, healthy, holdConnection, assertJsonError, cpuSeconds, isSanitized, rssKb } from '../support/hostile.mjs';

const auth = basicAuth();

describe('invalid UTF-8 and oversized requests', () => {
  let sb;
  before(async () => { sb = await startSwitchboard({ config: { demoAccountId: ACCOUNT.id, maxUriBytes: 4096 } }); });
  after(async () => { await sb.stop(); sb.cleanup(); });

  test('%FF and other invalid UTF-8 in every path segment and the query → 400 JSON', async () => {
    const bad = ['%FF', '%C3%28', '%ED%A0%80', '%F4%90%80%80', '%C0%AF', '%E2%82'];
    const paths = [];
    for (const b of bad) {
      paths.push(`/${b}`, `/v1/${b}`, `/v1/accounts/${b}/sessions`, `/v1/accounts/${ACCOUNT.id}/sessions/${b}`,
        `/v1/accounts/${ACCOUNT.id}/participants/${b}`, `/v3/${b}`, `/demo/${b}`,
        `/healthz?x=${b}`, `/v3?token=${b}`, `/v1/accounts/${ACCOUNT.id}/sessions?tag=${b}`);
    }
    for (const p of paths) {
      const r = await raw(sb.port, `GET ${p} HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nConnection: close\r\n\r\n`);
      assertJsonError(r, 400, 'invalid_argument');
      assert.match(r.body.error, /not valid UTF-8/);
    }
    // Raw (unescaped) bytes in the target: the parser or the check refuses them, with JSON.
    const r = await raw(sb.port, Buffer.concat([Buffer.from('GET /a'), Buffer.from([0xff, 0xfe]), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')]));
    assertJsonError(r, 400);
    await healthy(sb);
  });

  test('invalid UTF-8 in a header or a body field → 400 JSON, nothing created', async () => {
    const before = (await call(`${sb.api()}/sessions`)).body.length;
    const headerCases = [
      Buffer.from([0x58, 0x2d, 0x41, 0x3a, 0x20, 0xff, 0x0d, 0x0a]), // X-A: \xff
      Buffer.concat([Buffer.from('Content-Type: application/json'), Buffer.from([0xc3]), Buffer.from('\r\n')]),
    ];
    for (const h of headerCases) {
      const r = await raw(sb.port, Buffer.concat([Buffer.from(`POST /v1/accounts/${ACCOUNT.id}/sessions HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Length: 2\r\n`), h, Buffer.from('\r\n{}')]));
      assertJsonError(r, 400, 'invalid_argument');
    }
    const bodies = [
      Buffer.concat([Buffer.from('{"tag":"'), Buffer.from([0xff]), Buffer.from('"}')]),
      Buffer.concat([Buffer.from('{"tag":"abc'), Buffer.from([0xe2, 0x82]), Buffer.from('"}')]),
      Buffer.from('{"tag":"\\udc00"}'), // a lone surrogate, escaped: not a character either
    ];
    for (const url of [`/v1/accounts/${ACCOUNT.id}/sessions`, `/v1/accounts/${ACCOUNT.id}/participants`, '/demo/join']) {
      for (const body of bodies) {
        const r = await raw(sb.port, Buffer.concat([Buffer.from(`POST ${url} HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body]));
        assertJsonError(r, 400);
      }
    }
    assert.equal((await call(`${sb.api()}/sessions`)).body.length, before, 'no session was created');
    await healthy(sb);
  });

  test('a demo name cut inside a UTF-8 character is cut before it, and the participant reads back', async () => {
    const name = 'a'.repeat(49) + 'é' + 'b';
    const r = await req(sb.port, { method: 'POST', path: '/demo/join', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
    assert.equal(r.status, 200);
    const p = await call(`${sb.api()}/participants/${r.body.participantId}`);
    assert.equal(p.status, 200);
    assert.equal(p.body.tag, 'a'.repeat(49), 'cut at the code point boundary');
    assert.equal((await call(`${sb.api()}/sessions/${r.body.sessionId}`)).status, 200);
  });

  test('oversized URI → 414, oversized headers → 431, oversized body → 413, all JSON', async () => {
    let r = await raw(sb.port, `GET /${'a'.repeat(5000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assertJsonError(r, 414, 'uri_too_long');
    r = await raw(sb.port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20000)}\r\n\r\n`);
    assertJsonError(r, 431, 'headers_too_large');
    r = await raw(sb.port, `GET /${'a'.repeat(40000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.ok([414, 431].includes(r.status), `status ${r.status}`);
    const body = `{"tag":"${'x'.repeat(70000)}"}`;
    r = await raw(sb.port, `POST /v1/accounts/${ACCOUNT.id}/sessions HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    assertJsonError(r, 413, 'payload_too_large');
    await healthy(sb);
  });
});

describe('slow headers and idle connections', () => {
  let sb;
  before(async () => { sb = await startSwitchboard({ config: { headerTimeoutSeconds: 2, idleTimeoutSeconds: 60 } }); });
  after(async () => { await sb.stop(); sb.cleanup(); });

  test('a client sending one header byte every 300 ms is dropped after headerTimeoutSeconds', async () => {
    const started = Date.now();
    const s = net.connect({ port: sb.port, host: '127.0.0.1' });
    let got = '';
    s.on('data', (d) => { got += d; });
    const closed = new Promise((r) => s.on('close', r));
    s.on('error', () => {});
    await new Promise((r) => s.on('connect', r));
    s.write('GET /healthz HTTP/1.1\r\n');
    const drip = setInterval(() => { if (!s.destroyed) s.write('X'); }, 300);
    await Promise.race([closed, sleep(8000)]);
    clearInterval(drip);
    const elapsed = (Date.now() - started) / 1000;
    assert.ok(s.destroyed || s.readableEnded, 'the server closed the connection');
    assert.ok(elapsed >= 1.5 && elapsed < 4, `dropped after ${elapsed.toFixed(1)} s (headerTimeoutSeconds 2)`);
    assert.ok(!got.includes('200 OK'), 'the request was never served');
    await healthy(sb);
  });

  test('an idle kept-alive connection outlives the header timeout and serves the next request', async () => {
    const s = await holdConnection(sb.port);
    await sleep(3000);
    const second = new Promise((resolve) => {
      let got = '';
      s.on('data', (d) => { got += d; if (got.includes('"ok"')) resolve(got); });
    });
    s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.match(await Promise.race([second, sleep(3000).then(() => 'nothing')]), /200 OK/);
    s.destroy();
  });
});

describe('connection caps', () => {
  test('per-address cap: the extra connection gets 503 JSON unread, another address is served', async () => {
    const sb = await startSwitchboard({ config: { maxConnectionsPerAddress: 4 } });
    try {
      const held = [];
      for (let i = 0; i < 4; i++) held.push(await holdConnection(sb.port, '127.0.0.1'));
      const r = await raw(sb.port, null, { localAddress: '127.0.0.1' });
      assertJsonError(r, 503, 'too_many_connections');
      assert.match(r.head, /Retry-After: 1/);
      await healthy(sb, '127.0.0.2');
      held.forEach((s) => s.destroy());
      await sleep(200);
      await healthy(sb, '127.0.0.1');
    } finally { await sb.stop(); sb.cleanup(); }
  });

  test('global cap: beyond maxConnections every address gets 503', async () => {
    const sb = await startSwitchboard({ config: { maxConnections: 3, maxConnectionsPerAddress: 100 } });
    try {
      const held = [await holdConnection(sb.port, '127.0.0.1'), await holdConnection(sb.port, '127.0.0.2'),
        await holdConnection(sb.port, '127.0.0.3')];
      for (const a of ['127.0.0.1', '127.0.0.4']) assertJsonError(await raw(sb.port, null, { localAddress: a }), 503, 'too_many_connections');
      held.forEach((s) => s.destroy());
      await sleep(200);
      await healthy(sb, '127.0.0.4');
    } finally { await sb.stop(); sb.cleanup(); }
  });
});

describe('descriptor exhaustion', () => {
  test('with RLIMIT_NOFILE 64 and 150 connections, accept backs off: low CPU, few log lines, serves again', async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sb-nofile-'));
    const wrapper = path.join(dir, 'switchboard-nofile');
    writeFileSync(wrapper, `#!/bin/sh\nulimit -n 64\nexec "${binary}" "$@"\n`);
    chmodSync(wrapper, 0o755);
    const sb = await startSwitchboard({ bin: wrapper, config: { store: 'memory' } });
    const sockets = [];
    try {
      // UBSan checks a virtual call by writing the object to a pipe(2): with no descriptors left it
      // reports a false "invalid vptr" and stops the process. The check needs a plain build.
      if (isSanitized(sb)) return t.skip('a sanitizer build cannot run out of descriptors');
      for (let i = 0; i < 150; i++) {
        const s = net.connect({ port: sb.port, host: '127.0.0.1' });
        s.on('error', () => {});
        sockets.push(s);
      }
      await sleep(500);
      const cpu0 = cpuSeconds(sb.proc.pid);
      const lines0 = (sb.logs().match(/Too many open files/g) || []).length;
      await sleep(2500);
      const cpu = cpuSeconds(sb.proc.pid) - cpu0;
      const lines = (sb.logs().match(/Too many open files/g) || []).length;
      t.diagnostic(`out of descriptors for 2.5 s: ${cpu.toFixed(2)} s CPU, ${lines - lines0} log lines`);
      assert.ok(lines0 >= 1, 'the shortage is logged');
      assert.ok(cpu < 0.25, `CPU over 2.5 s while out of descriptors: ${cpu.toFixed(2)} s`);
      assert.ok(lines - lines0 <= 4, `log lines in 2.5 s: ${lines - lines0}`);
      sockets.forEach((s) => s.destroy());
      let ok = false;
      let last;
      for (let i = 0; i < 50 && !ok; i++) {
        try { last = await req(sb.port); ok = last.status === 200; } catch (e) { last = e.message; }
        if (!ok) await sleep(100);
      }
      if (!ok) t.diagnostic(`last answer: ${JSON.stringify(last)}\n${sb.logs().slice(-2000)}`);
      assert.ok(ok, 'serves again once the connections are gone');
    } finally {
      sockets.forEach((s) => s.destroy());
      await sb.stop(); sb.cleanup(); rmSync(dir, { recursive: true, force: true });
    }
  });
});

function device(sb, token) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${sb.port}/v3/?token=${token}`);
    const pending = new Map();
    let id = 0;
    ws.on('message', (d) => { const m = JSON.parse(String(d)); pending.get(m.id)?.(m); pending.delete(m.id); });
    ws.on('open', () => resolve({
      ws,
      rpc: (method, params) => new Promise((r) => { pending.set(++id, r); ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params })); }),
    }));
    ws.on('unexpected-response', (rq, res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode, body: JSON.parse(body) })));
    });
    ws.on('error', () => {});
  });
}

describe('devices', () => {
  let sb;
  before(async () => { sb = await startSwitchboard({ config: { maxDevicesPerParticipant: 2, maxDevicesPerAccount: 3 } }); });
  after(async () => { await sb.stop(); sb.cleanup(); });
  const participant = async () => (await call(`${sb.api()}/participants`, { method: 'POST', body: {} })).body;

  test('deviceDiagnostics flood of 50 frames of 240 KB: RSS grows by less than 30 MB', async (t) => {
    const p = await participant();
    const d = await device(sb, p.token);
    t.after(() => d.ws.close());
    const entry = { level: 'info', message: 'y'.repeat(2400) };
    const logs = Array.from({ length: 100 }, () => entry);
    await d.rpc('deviceDiagnostics', { logs: [entry] });
    const rss0 = rssKb(sb.proc.pid);
    for (let i = 0; i < 50; i++) {
      const reply = await d.rpc('deviceDiagnostics', { logs });
      assert.deepEqual(reply.result, {});
      if (i % 10 === 9) await sleep(100); // stay under the 100 frames/s limit
    }
    const grown = (rssKb(sb.proc.pid) - rss0) / 1024;
    t.diagnostic(`RSS ${(rss0 / 1024).toFixed(1)} MB before, grew by ${grown.toFixed(1)} MB`);
    // AddressSanitizer keeps freed memory in quarantine (256 MB): RSS says nothing there.
    if (!isSanitized(sb)) assert.ok(grown < 30, `RSS grew by ${grown.toFixed(1)} MB`);
    assert.match(sb.logs(), /diagnostics kept per device/, 'the drop is logged');
    await healthy(sb);
  });

  test('a text frame of invalid UTF-8 closes the device with 1007; an escaped lone surrogate is a parse error', async () => {
    const p = await participant();
    const d = await device(sb, p.token);
    const parseError = await new Promise((resolve) => {
      d.ws.once('message', (m) => resolve(JSON.parse(String(m))));
      d.ws.send('{"jsonrpc":"2.0","id":1,"method":"ping","params":{"x":"\\udc00"}}');
    });
    assert.equal(parseError.error.code, -32700);
    const closed = new Promise((r) => d.ws.on('close', (code) => r(code)));
    d.ws.send(Buffer.from([0x7b, 0xff, 0x7d]), { binary: false }); // RFC 6455 §8.1: must be UTF-8
    assert.equal(await closed, 1007);
    await healthy(sb);
  });

  test('per-participant and per-account device caps → 429 too_many_devices', async () => {
    const a = await participant();
    const held = [await device(sb, a.token), await device(sb, a.token)];
    await assert.rejects(device(sb, a.token), (e) => e.status === 429 && e.body.code === 'too_many_devices');
    const check = await req(sb.port, { path: `/v3?token=${a.token}` });
    assert.equal(check.status, 429);
    assert.match(check.body.error, /participant already has the maximum of 2/);
    const b = await participant();
    held.push(await device(sb, b.token));
    await assert.rejects(device(sb, b.token), (e) => e.status === 429 && /account/.test(e.body.error));
    held.pop().ws.close();
    await sleep(200);
    held.push(await device(sb, b.token)); // a freed place can be taken again
    held.forEach((d) => d.ws.close());
    await healthy(sb);
  });
});

describe('failed-auth throttling', () => {
  let sb;
  before(async () => { sb = await startSwitchboard({ config: { authMaxFailures: 3, authLockoutSeconds: 2 } }); });
  after(async () => { await sb.stop(); sb.cleanup(); });
  const post = (authorization, localAddress) => req(sb.port, {
    method: 'POST', path: `/v1/accounts/${ACCOUNT.id}/sessions`, localAddress,
    headers: { authorization, 'content-type': 'application/json' }, body: '{}',
  });

  test('3 wrong passwords → 429 with Retry-After, the right one too, from any address; normal after the lockout', async () => {
    const wrong = basicAuth({ ...ACCOUNT, password: 'guess' });
    for (let i = 0; i < 3; i++) assert.equal((await post(wrong, '127.0.0.1')).status, 401);
    for (const a of ['127.0.0.1', '127.0.0.2']) {
      const r = await post(auth, a);
      assert.equal(r.status, 429, 'locked, even with the right password');
      assert.equal(r.body.code, 'too_many_requests');
      assert.match(r.body.error, /failed authentication/);
      assert.ok(Number(r.headers['retry-after']) >= 1 && Number(r.headers['retry-after']) <= 2);
    }
    // The other account is not locked.
    assert.equal((await req(sb.port, { method: 'POST', path: `/v1/accounts/${OTHER_ACCOUNT.id}/sessions`, localAddress: '127.0.0.2',
      headers: { authorization: basicAuth(OTHER_ACCOUNT), 'content-type': 'application/json' }, body: '{}' })).status, 200);
    await sleep(2100);
    assert.equal((await post(auth, '127.0.0.1')).status, 200);
    await healthy(sb);
  });

  test('guessing unknown users locks the source address only', async () => {
    const nobody = basicAuth({ username: 'nobody', password: 'x' });
    for (let i = 0; i < 3; i++) assert.equal((await post(nobody, '127.0.0.3')).status, 401);
    assert.equal((await post(auth, '127.0.0.3')).status, 429);
    assert.equal((await post(auth, '127.0.0.4')).status, 200);
    await sleep(2100);
    assert.equal((await post(auth, '127.0.0.3')).status, 200);
  });
});

describe('demo routes', () => {
  test('without demoCallDestinations /demo/call answers 403 with the reason', async () => {
    const sb = await startSwitchboard({ config: { demoAccountId: ACCOUNT.id } });
    try {
      const r = await req(sb.port, { method: 'POST', path: '/demo/call', headers: { 'content-type': 'application/json' }, body: '{"to":"+15551234567"}' });
      assert.equal(r.status, 403);
      assert.match(r.body.message, /no demoCallDestinations/); // 401/403 carry `message` (reference §4.1)
      await healthy(sb);
    } finally { await sb.stop(); sb.cleanup(); }
  });

  test('with local clients untrusted: credentials required, destinations enforced, rate-limited', async () => {
    const sb = await startSwitchboard({ config: { demoAccountId: ACCOUNT.id, demoTrustLocalClients: false, demoCallDestinations: ['+1555*'] } });
    try {
      const demo = (p, body, authorization) => req(sb.port, { method: 'POST', path: p, body,
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) } });
      for (const p of ['/demo/join', '/demo/call', '/demo/answer', '/demo/calls/c-1/hangup']) {
        const r = await demo(p, '{}');
        assert.equal(r.status, 401, p);
        assert.match(r.body.message, /demo account's HTTP Basic credentials/);
        assert.match(r.headers['www-authenticate'], /^Basic/);
      }
      assert.equal((await demo('/demo/join', '{}', basicAuth(OTHER_ACCOUNT))).status, 403, 'another account');
      assert.equal((await demo('/demo/join', '{}', auth)).status, 200);
      const refused = await demo('/demo/call', '{"to":"+16665550000"}', auth);
      assert.equal(refused.status, 403);
      assert.equal(refused.body.field, 'to');
      // Allowed number: refused only because this server has no SIP (404), past the destination check.
      assert.equal((await demo('/demo/call', '{"to":"+15551230000"}', auth)).status, 404);
      // Hang up: no SIP here either, so no call of the demo's to end.
      assert.equal((await demo('/demo/calls/c-1/hangup', '', auth)).status, 404);
      const statuses = [];
      for (let i = 0; i < 30; i++) statuses.push((await demo('/demo/join', '{}', auth)).status);
      assert.ok(statuses.includes(429), `rate-limited: ${statuses.join(',')}`);
      await healthy(sb);
    } finally { await sb.stop(); sb.cleanup(); }
  });
});
