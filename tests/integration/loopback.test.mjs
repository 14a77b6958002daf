// Loopback devices (docs/protocol.md "Loopback (preflight)"), what scripted devices can see without
// a media path: `loopback=1` is admitted, any other value is refused before the upgrade with a
// JSON body (and the same from GET /v3/), and the mode is kept by a resume and, on disk, across a
// restart. That a loopback device really receives its own streams through Janus, and that others
// get what they got before: tests/browser/loopback.test.mjs (a real peer connection is needed for
// a stream to go live) and tests/unit/media/TestMediaLegs.cpp (the legs against a scripted Janus).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startSwitchboard, call } from '../support/server.mjs';
import { connectDevice, deviceUrl } from '../support/device.mjs';
import { until } from '../support/api.mjs';

let sb;
let sessionId;

before(async () => {
  sb = await startSwitchboard({ config: { deviceResumeGraceSeconds: 20 } });
  sessionId = (await call(`${sb.api()}/sessions`, { method: 'POST', body: {} })).body.id;
});
after(async () => { await sb?.stop(); sb?.cleanup(); });

async function participant(server = sb) {
  const r = await call(`${server.api()}/participants`, { method: 'POST', body: { publishPermissions: ['AUDIO'] } });
  assert.equal(r.status, 200);
  const sid = server === sb ? sessionId : (await call(`${server.api()}/sessions`, { method: 'POST', body: {} })).body.id;
  const put = await call(`${server.api()}/sessions/${sid}/participants/${r.body.participant.id}`, { method: 'PUT', body: { sessionId: sid } });
  assert.equal(put.status, 204);
  return { id: r.body.participant.id, token: r.body.token };
}
// What GET /v3/ (the SDK's probe of a refused upgrade) says of a query.
async function probe(token, query) {
  const r = await fetch(deviceUrl(sb, token, query).replace('ws:', 'http:'));
  return { status: r.status, body: await r.json(), cors: r.headers.get('access-control-allow-origin') };
}
const keptFile = (server) => path.join(server.dataDir, 'kept-devices.json');
const keptEntry = (server, deviceId) => {
  try { return JSON.parse(readFileSync(keptFile(server), 'utf8')).find((e) => e.deviceId === deviceId); } catch { return undefined; }
};

test('loopback=1 is admitted; the device works as any other', async () => {
  const p = await participant();
  assert.deepEqual((await probe(p.token, { loopback: '1' })).body, { ok: true });
  const c = await connectDevice(sb, p.token, { loopback: '1' });
  assert.deepEqual((await c.rpc('setMediaPreferences', { protocol: 'WEBRTC' })).result, {});
  assert.deepEqual((await c.rpc('ping', {})).result, {});
  c.ws.close();
});

test('any other value is refused before the upgrade: 400 loopback_invalid with a JSON body', async () => {
  const p = await participant();
  for (const value of ['0', 'true', 'yes', '', '2', '01', '1 ', 'x'.repeat(5000)]) {
    await assert.rejects(connectDevice(sb, p.token, { loopback: value }), (e) => {
      assert.equal(e.status, 400, `loopback=${value.slice(0, 10)}`);
      assert.equal(e.body.code, 'loopback_invalid');
      assert.match(e.body.error, /loopback query parameter must be 1/);
      assert.match(e.body.requestId, /./);
      return true;
    });
    const got = await probe(p.token, { loopback: value });
    assert.equal(got.status, 400);
    assert.equal(got.body.code, 'loopback_invalid');
    assert.equal(got.cors, '*');
  }
  // The token is checked first: a stranger learns nothing else.
  const bad = await probe('not-a-token', { loopback: 'nope' });
  assert.equal(bad.status, 401);
  assert.equal(bad.body.code, 'token_malformed');
  // A refused device took no place under the per-participant cap (4): four still connect.
  const four = await Promise.all([1, 2, 3, 4].map(() => connectDevice(sb, p.token, { loopback: '1' })));
  for (const c of four) c.ws.close();
});

test('a resume keeps the loopback mode; a bad value in the resume URL is refused too', async () => {
  const p = await participant();
  const c = await connectDevice(sb, p.token, { loopback: '1' });
  const { resume } = (await c.rpc('setMediaPreferences', { protocol: 'WEBRTC', resumable: true })).result;
  const plain = await connectDevice(sb, p.token);
  const plainResume = (await plain.rpc('setMediaPreferences', { protocol: 'WEBRTC', resumable: true })).result.resume;
  // On disk (docs/protocol.md "Resuming across a restart") the mode is kept with the device.
  await until(() => keptEntry(sb, resume.deviceId) && keptEntry(sb, plainResume.deviceId), { what: 'kept-devices.json' });
  assert.equal(keptEntry(sb, resume.deviceId).loopback, true);
  assert.equal(keptEntry(sb, plainResume.deviceId).loopback, undefined);
  plain.ws.close();

  c.ws.terminate();  // lost, not closed: parked for a resume
  await until(() => /lost its connection: kept/.test(sb.logs()), { what: 'the park' });
  const query = { resumeDevice: resume.deviceId, resumeSecret: resume.resumeSecret };
  await assert.rejects(connectDevice(sb, p.token, { ...query, loopback: 'on' }),
    (e) => e.status === 400 && e.body.code === 'loopback_invalid');
  // Without the parameter (or with it) the device comes back as it was: a loopback device.
  const back = await connectDevice(sb, p.token, query);
  const resumed = await back.next((m) => m.method === 'resumed');
  await until(() => keptEntry(sb, resume.deviceId)?.deadline === 0, { what: 'the resumed device on disk' });
  assert.equal(keptEntry(sb, resume.deviceId).loopback, true);
  back.ws.close();
  assert.equal(resumed.params.deviceId, resume.deviceId);
});

test('a loopback device restored after a restart is a loopback device again', async () => {
  const one = await startSwitchboard({ config: { deviceResumeGraceSeconds: 20 } });
  let two;
  try {
    const p = await participant(one);
    const c = await connectDevice(one, p.token, { loopback: '1' });
    const { resume } = (await c.rpc('setMediaPreferences', { protocol: 'WEBRTC', resumable: true })).result;
    await until(() => keptEntry(one, resume.deviceId), { what: 'kept-devices.json' });
    await one.kill();
    two = await startSwitchboard({ dataDir: one.dataDir, config: { deviceResumeGraceSeconds: 20 } });
    assert.match(two.logs(), /kept devices: 1 of 1 restored/);
    const back = await connectDevice(two, p.token, { resumeDevice: resume.deviceId, resumeSecret: resume.resumeSecret });
    await back.next((m) => m.method === 'resumed');
    // Written again by the resume, from the restored device's own identity.
    await until(() => keptEntry(two, resume.deviceId)?.deadline === 0, { what: 'the resumed device on disk' });
    assert.equal(keptEntry(two, resume.deviceId).loopback, true);
    back.ws.close();
  } finally {
    await two?.stop();
    one.cleanup();
  }
});
