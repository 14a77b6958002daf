// TLS on the public listener (docs/security.md "TLS"): HTTPS and WSS trusting a CA this test makes
// with the openssl CLI, TLS 1.2 and 1.3 only, the certificate reloaded on SIGHUP without dropping
// open connections, the HTTP to HTTPS redirect listener, start-up errors for bad certificate
// files, and /metrics on the admin listener only.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, readFileSync, renameSync, copyFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import WebSocket from 'ws';
import { startSwitchboard, basicAuth } from '../support/server.mjs';
import { tempDir } from '../support/tempdir.mjs';
import { until } from '../support/api.mjs';

const dir = tempDir('sb-tls-');
const file = (name) => path.join(dir, name);
const openssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

// A CA, and leaf certificates for localhost and 127.0.0.1 signed by it with a chosen serial.
function makeCa() {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', file('ca.key'), '-out', file('ca.pem'), '-subj', '/CN=Switchboard Test CA', '-days', '2');
}
function makeLeaf(name, serial) {
  writeFileSync(file(`${name}.ext`), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
    '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', '/CN=localhost');
  openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.pem'), '-CAkey', file('ca.key'),
    '-set_serial', String(serial), '-days', '2', '-extfile', file(`${name}.ext`), '-out', file(`${name}.pem`));
}
// Puts a file in place the way certbot's renewals do for a reader: whole, never half-written.
function install(from, to) {
  copyFileSync(from, `${to}.new`);
  renameSync(`${to}.new`, to);
}

let ca;
let sb;
before(async () => {
  makeCa();
  makeLeaf('one', 0x1001);
  makeLeaf('two', 0x2002);
  install(file('one.pem'), file('server.pem'));
  install(file('one.key'), file('server.key'));
  ca = readFileSync(file('ca.pem'));
  sb = await startSwitchboard({
    config: { tls: { certFile: file('server.pem'), keyFile: file('server.key'), redirectHttp: '127.0.0.1:0' } },
  });
});
after(async () => { await sb?.stop(); sb?.cleanup(); });

// One HTTPS request; resolves with status, headers, parsed body and the TLS facts of its socket.
function request(url, { method = 'GET', body, headers = {}, agent, auth = true } = {}) {
  return new Promise((resolve, reject) => {
    const h = { ...headers };
    if (auth) h.authorization = basicAuth();
    let payload;
    if (body !== undefined) { payload = JSON.stringify(body); h['content-type'] = 'application/json'; }
    // family 4: "localhost" in a Location may resolve to ::1 first, and the server is on 127.0.0.1.
    const req = https.request(url, { method, headers: h, ca, family: 4, agent: agent ?? new https.Agent({ ca }) }, (res) => {
      // Read now: at the end of the response a kept-alive socket is back in the agent's pool.
      const { socket } = res;
      const serial = socket.getPeerCertificate().serialNumber;
      const protocol = socket.getProtocol();
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let parsed = null;
        try { parsed = text ? JSON.parse(text) : null; } catch { parsed = text; }
        resolve({
          status: res.statusCode, headers: res.headers, body: parsed, socket, serial, protocol,
        });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

// A bare TLS handshake with the given options; resolves with the socket's facts or the error.
function handshake(options = {}) {
  return new Promise((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port: sb.port, servername: 'localhost', ca, ...options }, () => {
      const facts = {
        ok: true, protocol: s.getProtocol(), cipher: s.getCipher().name, alpn: s.alpnProtocol,
        serial: s.getPeerCertificate().serialNumber, authorized: s.authorized,
      };
      s.end();
      resolve(facts);
    });
    s.on('error', (error) => resolve({ ok: false, error }));
  });
}

// A device on /v3/ over WSS, trusting the test CA, with a JSON-RPC call helper.
async function device() {
  const created = await request(`${sb.base}/v1/accounts/9900000/participants`, { method: 'POST', body: { publishPermissions: ['AUDIO'] } });
  assert.equal(created.status, 200);
  const url = `wss://127.0.0.1:${sb.port}/v3/?token=${created.body.token}&client=test&sdkVersion=1.0&uniqueId=u-1`;
  const ws = new WebSocket(url, { ca, servername: 'localhost' });
  await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
  let nextId = 1;
  const rpc = (method, params) => new Promise((resolve, reject) => {
    const id = nextId++;
    const timer = setTimeout(() => reject(new Error(`no answer to ${method}`)), 3000);
    const onMessage = (data) => {
      const msg = JSON.parse(String(data));
      if (msg.id !== id) return;
      clearTimeout(timer);
      ws.off('message', onMessage);
      resolve(msg);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
  });
  return { ws, rpc };
}

test('the listening line says https, and HTTPS answers GET and a REST call trusting the test CA', async () => {
  assert.match(sb.stdout(), /switchboard listening on https:\/\/127\.0\.0\.1:\d+/);
  assert.ok(sb.base.startsWith('https://'));
  const health = await request(`${sb.base}/healthz`, { auth: false });
  assert.equal(health.status, 200);
  assert.deepEqual(health.body, { status: 'ok' });
  const session = await request(`${sb.base}/v1/accounts/9900000/sessions`, { method: 'POST', body: { tag: 'over-tls' } });
  assert.equal(session.status, 200);
  const read = await request(`${sb.base}/v1/accounts/9900000/sessions/${session.body.id}`);
  assert.equal(read.status, 200);
  assert.equal(read.body.tag, 'over-tls');
});

test('a plain-HTTP request to the TLS port gets no answer', async () => {
  const got = await new Promise((resolve) => {
    const req = http.get(`http://127.0.0.1:${sb.port}/healthz`, (res) => resolve({ status: res.statusCode }));
    req.on('error', (error) => resolve({ error }));
  });
  assert.ok(got.error, `expected the connection to fail, got ${JSON.stringify(got)}`);
});

test('WSS: a device connects trusting the test CA and exchanges JSON-RPC', async () => {
  const { ws, rpc } = await device();
  assert.deepEqual((await rpc('setMediaPreferences', { protocol: 'WEBRTC' })).result, {});
  assert.deepEqual((await rpc('ping', {})).result, {});
  ws.close();
});

describe('protocol versions and ciphers', () => {
  test('TLS 1.3 is accepted, with ALPN http/1.1', async () => {
    const r = await handshake({ minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3', ALPNProtocols: ['h2', 'http/1.1'] });
    assert.equal(r.ok, true, r.error?.message);
    assert.equal(r.protocol, 'TLSv1.3');
    assert.equal(r.alpn, 'http/1.1');
    assert.equal(r.authorized, true);
  });

  test('TLS 1.2 is accepted with a forward-secret AEAD suite of the intermediate list', async () => {
    const r = await handshake({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
    assert.equal(r.ok, true, r.error?.message);
    assert.equal(r.protocol, 'TLSv1.2');
    assert.match(r.cipher, /^ECDHE-(ECDSA|RSA)-(AES128-GCM-SHA256|AES256-GCM-SHA384|CHACHA20-POLY1305)$/);
  });

  test('TLS 1.2 with only CBC or non-forward-secret suites is refused', async () => {
    const r = await handshake({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-AES128-SHA:AES128-GCM-SHA256' });
    assert.equal(r.ok, false);
    assert.match(r.error.message, /handshake failure|no shared cipher/i);
  });

  test('a session ticket resumes a session: the next handshake is an abbreviated one', async () => {
    for (const version of ['TLSv1.3', 'TLSv1.2']) {
      const ticket = await new Promise((resolve, reject) => {
        const s = tls.connect({ host: '127.0.0.1', port: sb.port, servername: 'localhost', ca, minVersion: version, maxVersion: version });
        s.once('session', (session) => { s.end(); resolve(session); });
        s.on('error', reject);
      });
      const reused = await new Promise((resolve, reject) => {
        const s = tls.connect({ host: '127.0.0.1', port: sb.port, servername: 'localhost', ca, minVersion: version, maxVersion: version, session: ticket }, () => {
          resolve(s.isSessionReused());
          s.end();
        });
        s.on('error', reject);
      });
      assert.equal(reused, true, version);
    }
  });

  test('TLS 1.1 and 1.0 are refused by the server', async () => {
    // The client's own floor is lowered (with it, node does connect to an `openssl s_server
    // -tls1_1`), so the refusal is the server's: its protocol_version alert (RFC 8446 §6.2).
    for (const version of ['TLSv1.1', 'TLSv1']) {
      const r = await handshake({ minVersion: version, maxVersion: version, ciphers: 'DEFAULT@SECLEVEL=0' });
      assert.equal(r.ok, false, `${version} was accepted`);
      assert.match(r.error.message, /alert protocol version/, `${version}: ${r.error.message}`);
    }
  });
});

describe('the admin listener', () => {
  test('serves /metrics and /healthz over plain HTTP; the public listener answers 404 to /metrics', async () => {
    assert.ok(sb.adminPort, `no admin line on stdout:\n${sb.stdout()}`);
    const metrics = await fetch(`${sb.adminBase}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(await metrics.text(), /^# TYPE switchboard_http_requests_total counter$/m);
    assert.equal((await fetch(`${sb.adminBase}/healthz`)).status, 200);
    const pub = await request(`${sb.base}/metrics`, { auth: false });
    assert.equal(pub.status, 404);
    // The admin listener serves nothing of the public API.
    assert.equal((await fetch(`${sb.adminBase}/v1/accounts/9900000/sessions`, { method: 'POST' })).status, 404);
  });
});

describe('HTTP to HTTPS redirect', () => {
  // A raw request, so that the Host header and the body are exactly what the test says.
  function raw(text, { port = sb.redirectPort } = {}) {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => s.write(text));
      let got = '';
      s.on('data', (d) => { got += d; });
      s.on('end', () => resolve(got));
      s.on('error', reject);
      s.setTimeout(5000, () => { s.destroy(); reject(new Error(`no answer; got ${JSON.stringify(got)}`)); });
    });
  }
  const header = (reply, name) => reply.match(new RegExp(`^${name}: (.*)\\r$`, 'mi'))?.[1];

  test('answers 308 with the same host and target on the TLS port', async () => {
    assert.ok(sb.redirectPort, `no redirect line on stdout:\n${sb.stdout()}`);
    const res = await new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: sb.redirectPort, path: '/v1/accounts/9900000/sessions?x=1&y=%20z', headers: { host: `localhost:${sb.redirectPort}` } }, (r) => {
        let text = '';
        r.on('data', (d) => { text += d; });
        r.on('end', () => resolve({ status: r.statusCode, headers: r.headers, body: JSON.parse(text) }));
      }).on('error', reject);
    });
    assert.equal(res.status, 308);
    const location = `https://localhost:${sb.port}/v1/accounts/9900000/sessions?x=1&y=%20z`;
    assert.equal(res.headers.location, location);
    assert.deepEqual(res.body, { location });
    // The Location works: following it over TLS reaches the API.
    const followed = await request(location.replace('?x=1&y=%20z', ''), { method: 'POST', body: {} });
    assert.equal(followed.status, 200);
  });

  test('answers at once without reading the body, and IPv6 literal hosts are kept', async () => {
    // A body promised but never sent: the answer must not wait for it.
    const reply = await raw(`POST /x HTTP/1.1\r\nHost: [::1]:80\r\nContent-Length: 1000000\r\n\r\n`);
    assert.match(reply, /^HTTP\/1\.1 308 /);
    assert.equal(header(reply, 'Location'), `https://[::1]:${sb.port}/x`);
    assert.equal(header(reply, 'Connection'), 'close');
  });

  test('a missing or hostile Host header gets 400, never a Location', async () => {
    for (const host of [null, 'evil.example/path', 'a b', 'x@evil.example', `${'a'.repeat(300)}.example`, 'host:port', '[zz::1]']) {
      const reply = await raw(`GET /x HTTP/1.1\r\n${host === null ? '' : `Host: ${host}\r\n`}\r\n`);
      assert.match(reply, /^HTTP\/1\.1 400 /, `Host ${host}: ${reply.split('\r\n')[0]}`);
      assert.equal(header(reply, 'Location'), undefined);
    }
  });
});

describe('SIGHUP reloads the certificate', () => {
  test('the next handshake shows the new certificate; a kept-alive HTTPS connection and an open WSS go on', async () => {
    const before = await handshake();
    assert.equal(before.serial, '1001');

    const agent = new https.Agent({ ca, keepAlive: true, maxSockets: 1 });
    const first = await request(`${sb.base}/healthz`, { agent, auth: false });
    assert.equal(first.serial, '1001');
    const { ws, rpc } = await device();
    assert.deepEqual((await rpc('ping', {})).result, {});

    install(file('two.pem'), file('server.pem'));
    install(file('two.key'), file('server.key'));
    sb.proc.kill('SIGHUP');
    await until(() => /tls: reloaded/.test(sb.logs()), { what: 'the reload log line' });

    const after = await handshake();
    assert.equal(after.ok, true, after.error?.message);
    assert.equal(after.serial, '2002');

    const second = await request(`${sb.base}/healthz`, { agent, auth: false });
    assert.equal(second.status, 200);
    assert.equal(second.socket, first.socket, 'the kept-alive connection was not reused');
    assert.equal(second.serial, '1001');
    assert.deepEqual((await rpc('ping', {})).result, {});
    assert.equal(ws.readyState, WebSocket.OPEN);
    ws.close();
    agent.destroy();
    assert.equal(sb.proc.exitCode, null);
  });

  test('a reload from bad files is logged and the current certificate stays', async () => {
    writeFileSync(file('server.pem'), 'not a certificate\n');
    sb.proc.kill('SIGHUP');
    await until(() => /tls: reload failed, keeping the current certificate: certificate file .*server\.pem/.test(sb.logs()),
      { what: 'the failed-reload log line' });
    const r = await handshake();
    assert.equal(r.ok, true, r.error?.message);
    assert.equal(r.serial, '2002');
    assert.equal((await request(`${sb.base}/healthz`, { auth: false })).status, 200);
    install(file('two.pem'), file('server.pem'));
  });
});

describe('limits over TLS', () => {
  let strict;
  before(async () => {
    strict = await startSwitchboard({
      config: {
        tls: { certFile: file('one.pem'), keyFile: file('one.key') },
        headerTimeoutSeconds: 1, maxConnectionsPerAddress: 2,
      },
    });
  });
  after(async () => { await strict?.stop(); strict?.cleanup(); });

  // Resolves with how long the server took to close a TCP connection that sent `bytes` only.
  function closedAfter(bytes) {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const timer = setTimeout(() => { s.destroy(); reject(new Error('not closed within 5 s')); }, 5000);
      const s = net.connect(strict.port, '127.0.0.1', () => { if (bytes) s.write(bytes); });
      s.on('data', () => {});
      s.on('close', () => { clearTimeout(timer); resolve(Date.now() - started); });
      s.on('error', () => {});
    });
  }

  test('the handshake is under the header deadline: silent and stalled handshakes are cut', async () => {
    // Nothing at all, and the first bytes of a TLS record that never completes.
    for (const bytes of [null, Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01])]) {
      const ms = await closedAfter(bytes);
      assert.ok(ms >= 800 && ms < 3000, `closed after ${ms} ms`);
    }
  });

  test('TLS connections count against maxConnectionsPerAddress; the one over is closed without a handshake', async () => {
    const open = [];
    const connect = () => new Promise((resolve) => {
      const s = tls.connect({ host: '127.0.0.1', port: strict.port, servername: 'localhost', ca }, () => resolve({ ok: true, s }));
      s.on('error', (error) => resolve({ ok: false, error, s }));
    });
    open.push(await connect(), await connect());
    assert.ok(open.every((c) => c.ok));
    const third = await connect();
    assert.equal(third.ok, false);
    for (const c of [...open, third]) c.s.destroy();
    // Once those are gone, a new one is admitted again.
    await until(async () => { const c = await connect(); c.s.destroy(); return c.ok; }, { what: 'a slot to free up' });
  });
});

describe('bad certificate files at start', () => {
  async function startFails(tlsConfig) {
    const err = await startSwitchboard({ config: { tls: tlsConfig } }).then(
      (s) => { s.stop(); return null; }, (e) => e);
    assert.ok(err, 'the server started');
    const m = err.message.match(/exited with (\d+)/);
    assert.ok(m && Number(m[1]) !== 0, err.message);
    return err.message;
  }

  test('a file that is not a certificate: non-zero exit naming the file', async () => {
    writeFileSync(file('garbage.pem'), 'hello\n');
    const message = await startFails({ certFile: file('garbage.pem'), keyFile: file('one.key') });
    assert.match(message, /certificate file .*garbage\.pem: not a PEM certificate chain/);
  });

  test('a key that does not match the certificate: non-zero exit saying so', async () => {
    const message = await startFails({ certFile: file('one.pem'), keyFile: file('two.key') });
    assert.match(message, /key file .*two\.key does not match the certificate in .*one\.pem/);
  });

  test('a missing file: non-zero exit naming it', async () => {
    const message = await startFails({ certFile: file('nowhere.pem'), keyFile: file('one.key') });
    assert.match(message, /certificate file .*nowhere\.pem: cannot read: No such file or directory/);
  });

  test('a passphrase-protected key is refused instead of prompting', async () => {
    openssl('pkey', '-in', file('one.key'), '-aes256', '-passout', 'pass:secret', '-out', file('locked.key'));
    const message = await startFails({ certFile: file('one.pem'), keyFile: file('locked.key') });
    assert.match(message, /key file .*locked\.key: not an unencrypted PEM private key/);
  });
});
