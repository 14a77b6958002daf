// Resuming a device (docs/protocol.md "Resuming a device"): a device that asked to be resumable
// and lost its WebSocket is kept for deviceResumeGraceSeconds; it takes its state back by
// reconnecting with resumeDevice and resumeSecret (and a valid token of its participant), and is
// released when the grace period ends. Scripted devices; the participant webhooks say what happened.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startSwitchboard, call, ACCOUNT, OTHER_ACCOUNT, LOOPBACK_CALLBACKS } from '../support/server.mjs';
import { connectDevice, deviceUrl } from '../support/device.mjs';
import { until, sleep } from '../support/api.mjs';

const GRACE = 6;
const TOKEN_LIFETIME = 5;
let sb;
let app;
const hooks = [];  // {participantId, event}

before(async () => {
  app = http.createServer((req, res) => {
    let text = '';
    req.on('data', (d) => { text += d; });
    req.on('end', () => { hooks.push(JSON.parse(text)); res.writeHead(200).end(); });
  });
  await new Promise((r) => app.listen(0, '127.0.0.1', r));
  sb = await startSwitchboard({ config: {
    accounts: [{ ...ACCOUNT, allowedCallbackNetworks: LOOPBACK_CALLBACKS }, OTHER_ACCOUNT],
    deviceResumeGraceSeconds: GRACE, tokenLifetimeSeconds: TOKEN_LIFETIME,
  } });
});
after(async () => { await sb?.stop(); sb?.cleanup(); app?.close(); });

async function participant() {
  const r = await call(`${sb.api()}/participants`, { method: 'POST', body: { publishPermissions: ['AUDIO'], callbackUrl: `http://127.0.0.1:${app.address().port}/hooks` } });
  assert.equal(r.status, 200);
  return { id: r.body.participant.id, token: r.body.token };
}
const eventsOf = (id) => hooks.filter((h) => h.participantId === id).map((h) => h.event);
// Connects and asks to be resumable: the device and what setMediaPreferences gave it.
async function resumableDevice(token) {
  const device = await connectDevice(sb, token);
  const { result } = await device.rpc('setMediaPreferences', { protocol: 'WEBRTC', resumable: true });
  return { device, resume: result.resume };
}
// What GET /v3/ (the SDK's probe of a refused upgrade) says of a query.
async function probe(token, query) {
  const r = await fetch(deviceUrl(sb, token, query).replace('ws:', 'http:'));
  return { status: r.status, body: await r.json() };
}
const refusedWith = (status, code) => (e) => e.status === status && e.body.code === code;

test('a resumable device gets a device id and a secret; the stock request gets neither', async () => {
  const p = await participant();
  const { device, resume } = await resumableDevice(p.token);
  assert.match(resume.deviceId, /^[0-9a-f-]{36}$/);
  assert.match(resume.resumeSecret, /^[0-9a-f]{32}$/);
  assert.equal(resume.graceSeconds, GRACE);
  device.ws.close();
  const stock = await connectDevice(sb, p.token);
  assert.deepEqual((await stock.rpc('setMediaPreferences', { protocol: 'WEBRTC' })).result, {});
  const bad = await stock.rpc('setMediaPreferences', { protocol: 'WEBRTC', resumable: 'yes' });
  assert.equal(bad.error.code, -32602);
  assert.match(bad.error.message, /resumable must be a boolean/);
  stock.ws.close();
});

test('a lost WebSocket is resumed within the grace period: the same device, a new secret, onResume', async () => {
  const p = await participant();
  const { device, resume } = await resumableDevice(p.token);
  device.ws.terminate();
  await until(() => eventsOf(p.id).includes('onDisconnect'), { what: 'onDisconnect' });
  assert.deepEqual(await probe(p.token, { resumeDevice: resume.deviceId, resumeSecret: resume.resumeSecret }), { status: 200, body: { ok: true } });
  const back = await connectDevice(sb, p.token, { resumeDevice: resume.deviceId, resumeSecret: resume.resumeSecret });
  const resumed = await back.next((m) => m.method === 'resumed');
  assert.equal(resumed.params.deviceId, resume.deviceId);
  assert.match(resumed.params.resumeSecret, /^[0-9a-f]{32}$/);
  assert.notEqual(resumed.params.resumeSecret, resume.resumeSecret, 'the secret sent in the URL is not reused');
  assert.deepEqual((await back.rpc('ping', {})).result, {}, 'the resumed device is served');
  await until(() => eventsOf(p.id).length === 3, { what: 'onResume' });
  assert.deepEqual(eventsOf(p.id), ['onConnect', 'onDisconnect', 'onResume']);
  const deviceIds = new Set(hooks.filter((h) => h.participantId === p.id).map((h) => h.deviceId));
  assert.deepEqual([...deviceIds], [resume.deviceId]);

  // Lost again: the old secret is refused (and the device stays kept), the new one resumes.
  back.ws.terminate();
  await until(() => eventsOf(p.id).length === 4, { what: 'the second onDisconnect' });
  const old = { resumeDevice: resume.deviceId, resumeSecret: resume.resumeSecret };
  await assert.rejects(connectDevice(sb, p.token, old), refusedWith(403, 'resume_refused'));
  assert.equal((await probe(p.token, old)).body.code, 'resume_refused');
  const again = await connectDevice(sb, p.token, { resumeDevice: resume.deviceId, resumeSecret: resumed.params.resumeSecret });
  await again.next((m) => m.method === 'resumed');
  // leave ends it for good: no grace period, and it cannot be resumed.
  again.raw(JSON.stringify({ jsonrpc: '2.0', method: 'leave' }));
  await again.closed;
  await until(() => eventsOf(p.id).at(-1) === 'onDisconnect' && eventsOf(p.id).length === 7, { what: 'onLeave, onDisconnect' });
  assert.deepEqual(eventsOf(p.id).slice(4), ['onResume', 'onLeave', 'onDisconnect']);
  await assert.rejects(connectDevice(sb, p.token, { resumeDevice: resume.deviceId, resumeSecret: resumed.params.resumeSecret }), refusedWith(410, 'resume_expired'));
});

test('another participant\'s token, an unknown device, or a device that never asked cannot resume', async () => {
  const p = await participant();
  const q = await participant();
  const { device, resume } = await resumableDevice(p.token);
  device.ws.terminate();
  await until(() => eventsOf(p.id).includes('onDisconnect'), { what: 'onDisconnect' });
  const query = { resumeDevice: resume.deviceId, resumeSecret: resume.resumeSecret };
  // Another participant's token learns nothing about the device: the answer of an unknown id.
  await assert.rejects(connectDevice(sb, q.token, query), refusedWith(410, 'resume_expired'));
  await assert.rejects(connectDevice(sb, p.token, { ...query, resumeDevice: '00000000-0000-4000-8000-000000000000' }), refusedWith(410, 'resume_expired'));
  await assert.rejects(connectDevice(sb, p.token, { ...query, resumeSecret: 'f'.repeat(500) }), refusedWith(403, 'resume_refused'));
  // Still kept for its own secret after all that.
  const back = await connectDevice(sb, p.token, query);
  await back.next((m) => m.method === 'resumed');
  back.ws.close();

  const stock = await connectDevice(sb, q.token);  // never asked to be resumable
  await stock.rpc('ping', {});
  stock.ws.terminate();
  await until(() => eventsOf(q.id).length === 2, { what: 'onConnect, onDisconnect' });
  assert.deepEqual(eventsOf(q.id), ['onConnect', 'onDisconnect'], 'released at once: no onLeave later');
});

test('after the grace period the device is released (onLeave) and cannot be resumed', async () => {
  const p = await participant();
  const { device, resume } = await resumableDevice(p.token);
  device.ws.terminate();
  await until(() => eventsOf(p.id).includes('onDisconnect'), { what: 'onDisconnect' });
  await until(() => eventsOf(p.id).includes('onLeave'), { timeout: (GRACE + 3) * 1000, what: 'onLeave when the grace period ends' });
  assert.deepEqual(eventsOf(p.id), ['onConnect', 'onDisconnect', 'onLeave']);
  const query = { resumeDevice: resume.deviceId, resumeSecret: resume.resumeSecret };
  // A fresh token (the first one has expired by now): the device itself is what is gone.
  const fresh = (await call(`${sb.api()}/participants/${p.id}/tokens`, { method: 'POST' })).body.token;
  await assert.rejects(connectDevice(sb, fresh, query), refusedWith(410, 'resume_expired'));
  const said = await probe(fresh, query);
  assert.equal(said.status, 410);
  assert.match(said.body.error, /grace period is over/);
});

test('a kept device of a deleted participant is released at once', async () => {
  const p = await participant();
  const { device } = await resumableDevice(p.token);
  device.ws.terminate();
  await until(() => eventsOf(p.id).includes('onDisconnect'), { what: 'onDisconnect' });
  assert.equal((await call(`${sb.api()}/participants/${p.id}`, { method: 'DELETE' })).status, 204);
  await until(() => eventsOf(p.id).includes('onLeave'), { timeout: 3000, what: 'onLeave before the grace period ends' });
});

test('a resume needs a valid token: an expired one is refused, a refreshed one resumes', async () => {
  const p = await participant();
  const { device, resume } = await resumableDevice(p.token);
  const query = { resumeDevice: resume.deviceId, resumeSecret: resume.resumeSecret };
  // Kept longer than this test needs: the grace period restarts at each loss, so lose it late.
  await sleep((TOKEN_LIFETIME - 1) * 1000);
  device.ws.terminate();
  await until(() => eventsOf(p.id).includes('onDisconnect'), { what: 'onDisconnect' });
  await sleep(2500);  // the first token has expired now (whole seconds: at least 1 s past exp)
  await assert.rejects(connectDevice(sb, p.token, query), refusedWith(401, 'token_expired'));
  const fresh = (await call(`${sb.api()}/participants/${p.id}/tokens`, { method: 'POST' })).body.token;
  const back = await connectDevice(sb, fresh, query);
  await back.next((m) => m.method === 'resumed');
  back.ws.close();
});

test('a resume while the old connection still looks alive closes it (4409), and the retry resumes', async () => {
  const p = await participant();
  const { device, resume } = await resumableDevice(p.token);
  const query = { resumeDevice: resume.deviceId, resumeSecret: resume.resumeSecret };
  // The server has not seen any loss (a half-open TCP connection looks like this): 409, retry.
  await assert.rejects(connectDevice(sb, p.token, query), (e) => e.status === 409 && e.body.code === 'resume_pending');
  assert.equal((await device.closed).code, 4409);
  // Retried as Retry-After says, until the server has finished closing and kept the device.
  let back;
  await until(async () => {
    try { back = await connectDevice(sb, p.token, query); return true; } catch (e) { assert.equal(e.status, 409); return false; }
  }, { what: 'the retried resume' });
  assert.equal((await back.next((m) => m.method === 'resumed')).params.deviceId, resume.deviceId);
  await until(() => eventsOf(p.id).length === 3, { what: 'onConnect, onDisconnect, onResume' });
  assert.deepEqual(eventsOf(p.id), ['onConnect', 'onDisconnect', 'onResume']);
  back.ws.close();  // a closing handshake from the page: released at once, not kept
  await until(() => eventsOf(p.id).length === 4, { what: 'onDisconnect' });
  await sleep(300);
  assert.deepEqual(eventsOf(p.id), ['onConnect', 'onDisconnect', 'onResume', 'onDisconnect']);
  await assert.rejects(connectDevice(sb, p.token, query), refusedWith(410, 'resume_expired'));
});

// The SDK's resume whose `resumed` greeting never came: it closes with 4001 (not 1000, which
// releases), since the server may have taken the resume; the device stays kept and resumes.
test('a close with 4001 keeps the device for a resume; a 1000 close would release it', async () => {
  const p = await participant();
  const { device, resume } = await resumableDevice(p.token);
  device.ws.close(4001);
  await until(() => eventsOf(p.id).includes('onDisconnect'), { what: 'onDisconnect' });
  const back = await connectDevice(sb, p.token, { resumeDevice: resume.deviceId, resumeSecret: resume.resumeSecret });
  const resumed = await back.next((m) => m.method === 'resumed');
  assert.equal(resumed.params.deviceId, resume.deviceId);
  back.ws.close(4001);
  await until(() => eventsOf(p.id).length === 4, { what: 'the second onDisconnect' });
  const again = await connectDevice(sb, p.token, { resumeDevice: resume.deviceId, resumeSecret: resumed.params.resumeSecret });
  const second = await again.next((m) => m.method === 'resumed');
  again.ws.close(1000);
  await until(() => eventsOf(p.id).length === 6, { what: 'the last onDisconnect' });
  assert.deepEqual(eventsOf(p.id), ['onConnect', 'onDisconnect', 'onResume', 'onDisconnect', 'onResume', 'onDisconnect']);
  await assert.rejects(connectDevice(sb, p.token, { resumeDevice: resume.deviceId, resumeSecret: second.params.resumeSecret }),
    refusedWith(410, 'resume_expired'));
});

test('with maxDevicesPerParticipant 1, a kept device still resumes (it keeps its own place)', async () => {
  const one = await startSwitchboard({ config: { deviceResumeGraceSeconds: GRACE, maxDevicesPerParticipant: 1 } });
  try {
    const r = await call(`${one.api()}/participants`, { method: 'POST', body: { publishPermissions: ['AUDIO'] } });
    const token = r.body.token;
    const device = await connectDevice(one, token);
    const { result } = await device.rpc('setMediaPreferences', { protocol: 'WEBRTC', resumable: true });
    device.ws.terminate();
    const query = { resumeDevice: result.resume.deviceId, resumeSecret: result.resume.resumeSecret };
    // A new device is refused at the cap while the kept one holds its place…
    await until(async () => {
      try { (await connectDevice(one, token)).ws.close(); return false; } catch (e) { return e.status === 429; }
    }, { what: 'the kept device holding the only place' });
    // …and the kept one resumes into it.
    const back = await connectDevice(one, token, query);
    await back.next((m) => m.method === 'resumed');
    back.ws.close();
  } finally {
    await one.stop();
    one.cleanup();
  }
});
