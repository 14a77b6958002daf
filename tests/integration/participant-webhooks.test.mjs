// Participant webhooks (reference §4.5, docs/participant-webhooks.md): a participant's
// devices connecting, leaving and disconnecting are POSTed to its callbackUrl, in order, with the
// reference's body; a failing application gets retries and does not stop later events.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { startSwitchboard, call, ACCOUNT, OTHER_ACCOUNT, LOOPBACK_CALLBACKS } from '../support/server.mjs';
import { connectDevice } from '../support/device.mjs';
import { until, sleep } from '../support/api.mjs';

let sb;
let app;
let sessionId;
const received = [];        // {path, body, at}
const failFirst = new Map(); // path -> how many more requests to answer 503

before(async () => {
  app = http.createServer((req, res) => {
    let text = '';
    req.on('data', (d) => { text += d; });
    req.on('end', () => {
      const left = failFirst.get(req.url) ?? 0;
      if (left > 0) {
        failFirst.set(req.url, left - 1);
        res.writeHead(503).end();
        return;
      }
      received.push({ path: req.url, method: req.method, type: req.headers['content-type'], body: JSON.parse(text), at: Date.now() });
      res.writeHead(200).end();
    });
  });
  await new Promise((r) => app.listen(0, '127.0.0.1', r));
  sb = await startSwitchboard({ config: { accounts: [{ ...ACCOUNT, allowedCallbackNetworks: LOOPBACK_CALLBACKS }, OTHER_ACCOUNT] } });
  sessionId = (await call(`${sb.api()}/sessions`, { method: 'POST', body: {} })).body.id;
});
after(async () => {
  await sb?.stop();
  sb?.cleanup();
  app?.close();
});

let n = 0;
// A participant in the session whose webhooks go to /hooks/<name> of the test's application.
async function participant({ tag, account = ACCOUNT, hook = true } = {}) {
  const path = `/hooks/p${++n}`;
  const body = { publishPermissions: ['AUDIO'], ...(hook ? { callbackUrl: `http://127.0.0.1:${app.address().port}${path}` } : {}), ...(tag ? { tag } : {}) };
  const created = await call(`${sb.api(account)}/participants`, { method: 'POST', body, account });
  assert.equal(created.status, 200);
  return { id: created.body.participant.id, token: created.body.token, path };
}
const eventsAt = (path) => received.filter((r) => r.path === path);
const namesAt = (path) => eventsAt(path).map((r) => r.body.event);

test('connect, leave: onConnect, onLeave, onDisconnect in order, with the reference body', async () => {
  const p = await participant({ tag: 'agent-7' });
  const joined = await call(`${sb.api()}/sessions/${sessionId}/participants/${p.id}`, { method: 'PUT', body: { sessionId } });
  assert.equal(joined.status, 204);
  const before = Date.now();
  const device = await connectDevice(sb, p.token);
  await until(() => namesAt(p.path).length === 1, { what: 'onConnect' });
  device.raw(JSON.stringify({ jsonrpc: '2.0', method: 'leave' }));
  await device.closed;
  await until(() => namesAt(p.path).length === 3, { what: 'onLeave and onDisconnect' });
  assert.deepEqual(namesAt(p.path), ['onConnect', 'onLeave', 'onDisconnect']);
  const [first] = eventsAt(p.path);
  assert.equal(first.method, 'POST');
  assert.match(first.type, /^application\/json/);
  assert.deepEqual(Object.keys(first.body).sort(), ['deviceId', 'event', 'participantId', 'tag', 'timestamp']);
  assert.equal(first.body.participantId, p.id);
  assert.equal(first.body.tag, 'agent-7');
  assert.match(first.body.timestamp, /^\d{13}$/, 'epoch milliseconds as a string');
  assert.ok(Number(first.body.timestamp) >= before - 1000 && Number(first.body.timestamp) <= Date.now());
  const devices = new Set(eventsAt(p.path).map((r) => r.body.deviceId));
  assert.equal(devices.size, 1, 'one device id for the three events');
  assert.match([...devices][0], /^[0-9a-f-]{36}$/);
});

test('a dropped socket is onDisconnect only; a deleted participant is onLeave then onDisconnect', async () => {
  const dropped = await participant();
  const d1 = await connectDevice(sb, dropped.token);
  await until(() => namesAt(dropped.path).length === 1, { what: 'onConnect' });
  d1.ws.terminate();
  await until(() => namesAt(dropped.path).length === 2, { what: 'onDisconnect' });
  assert.deepEqual(namesAt(dropped.path), ['onConnect', 'onDisconnect']);
  assert.equal(eventsAt(dropped.path)[0].body.tag, undefined, 'no tag: no tag member');

  const deleted = await participant();
  const d2 = await connectDevice(sb, deleted.token);
  await until(() => namesAt(deleted.path).length === 1, { what: 'onConnect' });
  assert.equal((await call(`${sb.api()}/participants/${deleted.id}`, { method: 'DELETE' })).status, 204);
  assert.equal((await d2.closed).code, 4404);
  await until(() => namesAt(deleted.path).length === 3, { what: 'onLeave and onDisconnect after the delete' });
  assert.deepEqual(namesAt(deleted.path), ['onConnect', 'onLeave', 'onDisconnect']);
});

test('a new device after a lost socket (the stock SDK reconnecting) is onConnect then onReconnect naming the lost device', async () => {
  const p = await participant({ tag: 'agent-8' });
  const d1 = await connectDevice(sb, p.token);
  await until(() => namesAt(p.path).length === 1, { what: 'onConnect' });
  d1.ws.terminate();
  await until(() => namesAt(p.path).length === 2, { what: 'onDisconnect' });
  const d2 = await connectDevice(sb, p.token);
  await until(() => namesAt(p.path).length === 4, { what: 'onConnect and onReconnect' });
  assert.deepEqual(namesAt(p.path), ['onConnect', 'onDisconnect', 'onConnect', 'onReconnect']);
  const [first, , second, reconnect] = eventsAt(p.path).map((r) => r.body);
  assert.notEqual(second.deviceId, first.deviceId);
  assert.deepEqual(Object.keys(reconnect).sort(), ['deviceId', 'event', 'participantId', 'previousDeviceId', 'tag', 'timestamp']);
  assert.equal(reconnect.deviceId, second.deviceId);
  assert.equal(reconnect.previousDeviceId, first.deviceId);
  assert.equal(reconnect.tag, 'agent-8');
  // A device that left on purpose is not lost: the next one is a plain connect.
  d2.raw(JSON.stringify({ jsonrpc: '2.0', method: 'leave' }));
  await d2.closed;
  const d3 = await connectDevice(sb, p.token);
  await until(() => namesAt(p.path).length === 7, { what: 'onLeave, onDisconnect, onConnect' });
  await sleep(300);
  assert.deepEqual(namesAt(p.path).slice(4), ['onLeave', 'onDisconnect', 'onConnect']);
  d3.ws.terminate();
});

test('an application answering 503 gets the event again, and the order holds', async () => {
  const p = await participant();
  failFirst.set(p.path, 1);
  const device = await connectDevice(sb, p.token);
  device.ws.close();
  await until(() => namesAt(p.path).length === 2, { timeout: 10000, what: 'both events after the retry' });
  assert.deepEqual(namesAt(p.path), ['onConnect', 'onDisconnect']);
  assert.equal(failFirst.get(p.path), 0, 'the 503 was answered once');
});

test('a receiver that never answers does not delay signaling', async () => {
  // Accepts the webhook's connection and never replies: each event waits for its deadline.
  const sockets = [];
  const silent = net.createServer((sock) => { sockets.push(sock); sock.on('error', () => {}); });
  await new Promise((r) => silent.listen(0, '127.0.0.1', r));
  try {
    const body = { publishPermissions: ['AUDIO'], callbackUrl: `http://127.0.0.1:${silent.address().port}/hooks` };
    const created = await call(`${sb.api()}/participants`, { method: 'POST', body });
    assert.equal(created.status, 200);
    for (let i = 0; i < 3; ++i) {
      const started = Date.now();
      const device = await connectDevice(sb, created.body.token);
      const prefs = await device.rpc('setMediaPreferences', { protocol: 'WEBRTC' });
      assert.ok(prefs.result, JSON.stringify(prefs));
      const pong = await device.rpc('ping', {});
      assert.ok(pong.result);
      const took = Date.now() - started;
      assert.ok(took < 1000, `connect, setMediaPreferences and ping took ${took} ms with webhooks pending`);
      device.ws.terminate();
    }
    await until(() => sockets.length >= 1, { what: 'the webhook reached the silent receiver' });
  } finally {
    for (const s of sockets) s.destroy();
    silent.close();
  }
});

test('no callbackUrl: nothing is sent', async () => {
  const quiet = await participant({ hook: false });
  const device = await connectDevice(sb, quiet.token);
  device.ws.close();
  await device.closed;
  const loud = await participant();  // a later participant's events do arrive
  (await connectDevice(sb, loud.token)).ws.close();
  await until(() => namesAt(loud.path).length === 2, { what: 'the later participant\'s events' });
  assert.equal(received.filter((r) => r.body.participantId === quiet.id).length, 0);
});

test('a callbackUrl the account may not reach: refused when given if a literal, else logged when sent', async () => {
  // OTHER_ACCOUNT has no allowedCallbackNetworks: loopback is not for its requests.
  const literal = await call(`${sb.api(OTHER_ACCOUNT)}/participants`, {
    method: 'POST', account: OTHER_ACCOUNT, body: { callbackUrl: `http://127.0.0.1:${app.address().port}/hooks/x` },
  });
  assert.equal(literal.status, 400);
  assert.equal(literal.body.field, 'callbackUrl');
  assert.match(literal.body.error, /callbackUrl: is refused: its host is a loopback address/);
  // A name is resolved when the request is made, and refused then.
  const named = await call(`${sb.api(OTHER_ACCOUNT)}/participants`, {
    method: 'POST', account: OTHER_ACCOUNT, body: { callbackUrl: `http://localhost:${app.address().port}/hooks/named` },
  });
  assert.equal(named.status, 200);
  const device = await connectDevice(sb, named.body.token);
  device.ws.close();
  await device.closed;
  await until(() => /participant webhook of 9900001\/\S+ not delivered: .*refused/.test(sb.logs()), { what: 'the refusal logged' });
  await sleep(300);
  assert.equal(eventsAt('/hooks/named').length, 0);
  assert.equal((await call(`${sb.api()}/sessions/${sessionId}`)).status, 200, 'the server still serves');
});
