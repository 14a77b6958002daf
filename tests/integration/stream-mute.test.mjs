// setStreamMuted (docs/protocol.md "Remote mute and active speaker") over a real server with a
// scripted device: every bad input gets its JSON-RPC error and changes nothing, the rate bound
// holds, and the connection goes on. No media server here: what a published stream's mute does
// at the devices receiving it is tested in Catch2 (tests/unit/media/TestMediaLegs.cpp, against a
// scripted Janus) and in the browser (tests/browser/remote-mute.test.mjs, with a real Janus).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSwitchboard, call } from '../support/server.mjs';
import { connectDevice } from '../support/device.mjs';

let sb;
let sessionId;

before(async () => {
  // Without a media server devices still get their place in the room registry; nothing can be
  // published.
  sb = await startSwitchboard();
  sessionId = (await call(`${sb.api()}/sessions`, { method: 'POST', body: {} })).body.id;
});
after(async () => { await sb.stop(); sb.cleanup(); });

async function device() {
  const created = (await call(`${sb.api()}/participants`, { method: 'POST', body: { publishPermissions: ['AUDIO'] } })).body;
  const r = await call(`${sb.api()}/sessions/${sessionId}/participants/${created.participant.id}`, { method: 'PUT', body: { sessionId } });
  assert.equal(r.status, 204);
  const c = await connectDevice(sb, created.token);
  assert.deepEqual((await c.rpc('setMediaPreferences', { protocol: 'WEBRTC' })).result, {});
  return c;
}

test('bad params are -32602 naming the member', async () => {
  const c = await device();
  const cases = [
    [undefined, undefined],
    [[], undefined],
    [{ kind: 'audio', muted: true }, 'endpointId'],
    [{ endpointId: 5, kind: 'audio', muted: true }, 'endpointId'],
    [{ endpointId: '', kind: 'audio', muted: true }, 'endpointId'],
    [{ endpointId: 'x'.repeat(257), kind: 'audio', muted: true }, 'endpointId'],
    [{ endpointId: 's', muted: true }, 'kind'],
    [{ endpointId: 's', kind: 'screen', muted: true }, 'kind'],
    [{ endpointId: 's', kind: 'AUDIO', muted: true }, 'kind'],
    [{ endpointId: 's', kind: 'audio' }, 'muted'],
    [{ endpointId: 's', kind: 'audio', muted: 'yes' }, 'muted'],
    [{ endpointId: 's', kind: 'audio', muted: 1 }, 'muted'],
  ];
  for (const [params, field] of cases) {
    const r = await c.rpc('setStreamMuted', params);
    assert.equal(r.error?.code, -32602, `${JSON.stringify(params)}: ${JSON.stringify(r)}`);
    if (field) assert.equal(r.error.data?.field, field, JSON.stringify(r));
  }
  assert.deepEqual((await c.rpc('ping', {})).result, {});
  c.ws.close();
});

test('a stream the device does not publish is -32001, and nobody hears of it', async () => {
  const other = await device();
  const c = await device();
  const r = await c.rpc('setStreamMuted', { endpointId: 'not-mine', kind: 'audio', muted: true });
  assert.equal(r.error.code, -32001);
  assert.match(r.error.message, /not a stream this device publishes/);
  await other.rpc('ping', {});
  assert.equal(other.received.filter((m) => m.method === 'remoteMuteChange').length, 0);
  assert.equal(c.received.filter((m) => m.method === 'remoteMuteChange').length, 0);
  other.ws.close();
  c.ws.close();
});

test('more than 10 in one second are -32003; the connection goes on and the bound resets', async () => {
  const c = await device();
  const codes = [];
  for (let i = 0; i < 12; i++) codes.push((await c.rpc('setStreamMuted', { endpointId: 'mine', kind: 'audio', muted: true })).error.code);
  assert.deepEqual(codes, [...Array(10).fill(-32001), -32003, -32003]);
  const limited = await c.rpc('setStreamMuted', { endpointId: 'mine', kind: 'video', muted: false });
  assert.match(limited.error.message, /more than 10 setStreamMuted in one second/);
  await new Promise((r) => setTimeout(r, 1100));
  assert.equal((await c.rpc('setStreamMuted', { endpointId: 'mine', kind: 'audio', muted: false })).error.code, -32001);
  assert.deepEqual((await c.rpc('ping', {})).result, {});
  c.ws.close();
});

test('as a notification (what our SDK sends) it gets no answer, right or wrong', async () => {
  const c = await device();
  c.raw(JSON.stringify({ jsonrpc: '2.0', method: 'setStreamMuted', params: { endpointId: 'x', kind: 'audio', muted: true } }));
  c.raw(JSON.stringify({ jsonrpc: '2.0', method: 'setStreamMuted', params: { kind: 'nope' } }));
  assert.deepEqual((await c.rpc('ping', {}, 'after')).result, {});
  assert.deepEqual(c.received.map((m) => m.id), [1, 'after']);  // setMediaPreferences, ping
  c.ws.close();
});
