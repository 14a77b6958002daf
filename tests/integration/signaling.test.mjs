// Device signaling on /v3/ with a scripted WebSocket client: admission, JSON-RPC framing and
// errors, limits, and live REST changes closing devices. No media server is needed here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSwitchboard, call } from '../support/server.mjs';
import { connectDevice, deviceUrl as deviceUrlOf } from '../support/device.mjs';

let sb;
let sessionId;

before(async () => {
  sb = await startSwitchboard();
  sessionId = (await call(`${sb.api()}/sessions`, { method: 'POST', body: {} })).body.id;
});
after(async () => { await sb.stop(); sb.cleanup(); });

async function newParticipant({ join = true } = {}) {
  const created = (await call(`${sb.api()}/participants`, { method: 'POST', body: { publishPermissions: ['AUDIO'] } })).body;
  if (join) {
    const r = await call(`${sb.api()}/sessions/${sessionId}/participants/${created.participant.id}`, { method: 'PUT', body: { sessionId } });
    assert.equal(r.status, 204);
  }
  return { id: created.participant.id, token: created.token };
}

const deviceUrl = (token) => deviceUrlOf(sb, token);
const connect = (token) => connectDevice(sb, token);

test('a valid token connects and the basic methods answer', async () => {
  const p = await newParticipant();
  const c = await connect(p.token);
  assert.deepEqual((await c.rpc('setMediaPreferences', { protocol: 'WEBRTC' })).result, {});
  assert.deepEqual((await c.rpc('ping', {})).result, {});
  const stringId = await c.rpc('ping', {}, 'abc-1');
  assert.equal(stringId.id, 'abc-1');
  assert.deepEqual((await c.rpc('deviceDiagnostics', { logs: [{ level: 'info', timestamp: 1, message: ['x'] }] })).result, {});
  c.ws.close();
});

test('bad tokens are refused before the upgrade with a reason', async () => {
  const p = await newParticipant();
  const cases = [
    ['garbage', 'not-a-token', 401, 'token_malformed'],
    ['forged', p.token.slice(0, -4) + (p.token.endsWith('AAAA') ? 'BBBB' : 'AAAA'), 401, 'token_bad_signature'],
    ['missing', '', 401, 'token_missing'],
  ];
  for (const [what, token, status, code] of cases) {
    await assert.rejects(connect(token), (e) => e.status === status && e.body.code === code, what);
    const check = await fetch(deviceUrl(token).replace('ws:', 'http:'));
    assert.equal(check.status, status, what);
    assert.equal((await check.json()).code, code, what);
    assert.equal(check.headers.get('access-control-allow-origin'), '*');
  }
  const ok = await fetch(deviceUrl(p.token).replace('ws:', 'http:'));
  assert.equal(ok.status, 200);
  // A deleted participant's token is revoked.
  await call(`${sb.api()}/participants/${p.id}`, { method: 'DELETE' });
  await assert.rejects(connect(p.token), (e) => e.status === 403 && e.body.code === 'token_participant_gone');
});

test('protocol errors get JSON-RPC error objects and the connection stays usable', async () => {
  const c = await connect((await newParticipant()).token);
  c.raw('{not json');
  const parse = await c.next((m) => m.error && m.error.code === -32700);
  assert.equal(parse.id, null);
  c.raw(JSON.stringify({ id: 5, method: 'ping' }));
  assert.equal((await c.next((m) => m.id === 5)).error.code, -32600);
  c.raw(JSON.stringify([1, 2]));
  assert.equal((await c.next((m) => m.error && m.error.code === -32600 && m.id === null)).error.code, -32600);
  assert.equal((await c.rpc('noSuchMethod', {})).error.code, -32601);
  const missing = await c.rpc('offerSdp', {});
  assert.equal(missing.error.code, -32602);
  assert.equal(missing.error.data.field, 'sdpOffer');
  assert.equal((await c.rpc('offerSdp', { sdpOffer: 'hello' })).error.code, -32602);
  assert.equal((await c.rpc('answerSdp', { sdpAnswer: 42 })).error.code, -32602);
  assert.equal((await c.rpc('deviceDiagnostics', { logs: 'x' })).error.code, -32602);
  // A notification for an unknown method gets no reply; the next request still works.
  c.raw(JSON.stringify({ jsonrpc: '2.0', method: 'whatever' }));
  assert.deepEqual((await c.rpc('ping', {})).result, {});
  c.ws.close();
});

test('an offer from a participant outside any session is refused', async () => {
  const c = await connect((await newParticipant({ join: false })).token);
  const r = await c.rpc('offerSdp', { sdpOffer: 'v=0\r\n' });
  assert.equal(r.error.code, -32001);
  assert.match(r.error.message, /not in a session/);
  c.ws.close();
});

test('without a media server an offer gets a media-server error, not a hang', async () => {
  const c = await connect((await newParticipant()).token);
  const r = await c.rpc('offerSdp', { sdpOffer: 'v=0\r\n', mediaMetadata: { mediaStreams: {} } });
  assert.equal(r.error.code, -32002);
  assert.equal((await c.rpc('answerSdp', { sdpAnswer: 'v=0\r\n' })).error.code, -32003);
  // restartIce (docs/protocol.md "Restarting ICE") of a device that receives nothing: refused.
  const restart = await c.rpc('restartIce', {});
  assert.equal(restart.error.code, -32003);
  assert.match(restart.error.message, /no subscribing connection to restart/);
  assert.deepEqual((await c.rpc('ping', {})).result, {});
  c.ws.close();
});

test('an oversized frame closes with 1009 and a flood with 1008; others keep being served', async () => {
  const bystander = await connect((await newParticipant()).token);
  const big = await connect((await newParticipant()).token);
  big.raw('x'.repeat(300 * 1024));
  assert.equal((await big.closed).code, 1009);
  const flood = await connect((await newParticipant()).token);
  for (let i = 0; i < 150; i++) flood.raw(JSON.stringify({ jsonrpc: '2.0', method: 'ping' }));
  const closed = await flood.closed;
  assert.equal(closed.code, 1008);
  assert.match(closed.reason, /rate/);
  assert.deepEqual((await bystander.rpc('ping', {})).result, {});
  bystander.ws.close();
});

test('leave closes the connection normally', async () => {
  const c = await connect((await newParticipant()).token);
  c.raw(JSON.stringify({ jsonrpc: '2.0', method: 'leave' }));
  assert.equal((await c.closed).code, 1000);
});

test('deleting the participant or its session closes its devices', async () => {
  const p = await newParticipant();
  const c = await connect(p.token);
  await c.rpc('ping', {});
  await call(`${sb.api()}/participants/${p.id}`, { method: 'DELETE' });
  const closed = await c.closed;
  assert.equal(closed.code, 4404);

  const s2 = (await call(`${sb.api()}/sessions`, { method: 'POST', body: {} })).body.id;
  const q = (await call(`${sb.api()}/participants`, { method: 'POST', body: {} })).body;
  await call(`${sb.api()}/sessions/${s2}/participants/${q.participant.id}`, { method: 'PUT' });
  const d = await connect(q.token);
  await d.rpc('ping', {});
  await call(`${sb.api()}/sessions/${s2}`, { method: 'DELETE' });
  assert.equal((await d.closed).code, 4410);
});
