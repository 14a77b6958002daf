// Resuming across a restart (docs/protocol.md "Resuming across a restart"): switchboard is
// SIGKILLed mid-call and started again on the same data dir, against the same (real) Janus. The
// scripted devices resume with the secret they had, get `resumed` then `mediaReset`
// {reason: "server-restarted"}, and their re-offer (an ICE restart) is published on a new Janus
// handle; the rooms the dead process left in Janus are destroyed; the secret is not on disk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startSwitchboard, call, ACCOUNT, LOOPBACK_CALLBACKS } from '../support/server.mjs';
import { startAppServer } from '../support/app-server.mjs';
import { connectDevice } from '../support/device.mjs';
import { until } from '../support/api.mjs';
import { JanusClient } from '../support/media.mjs';
import { launchJanus } from '../../scripts/janus.mjs';

const GRACE = 20;
const offer = (ufrag) => ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'c=IN IP4 0.0.0.0', 'a=mid:0', 'a=sendonly', 'a=rtcp-mux',
  `a=msid:stream-${ufrag.slice(0, 4)} track-a`, 'a=rtpmap:111 opus/48000/2', `a=ice-ufrag:${ufrag}`, 'a=ice-pwd:abcdabcdabcdabcdabcdabcd',
  'a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF',
  'a=setup:actpass', ''].join('\r\n');
const ufragOf = (sdp) => sdp.match(/a=ice-ufrag:(\S+)/)[1];

let janus;
let admin;  // our own Janus session, to see the rooms
let first;
let second;
let config;
let sessionId;
let app;                // the participants' webhooks (docs/participant-webhooks.md)
const hooks = [];

before(async () => {
  app = await startAppServer(({ path, event }) => { hooks.push({ path, ...event }); });
  janus = await launchJanus({});
  admin = await JanusClient.connect(janus.wsUrl);
  await admin.createSession();
  admin.handle = await admin.attach();
  config = { janusUrl: janus.wsUrl, janusAdminKey: janus.adminKey, deviceResumeGraceSeconds: GRACE,
    accounts: [{ ...ACCOUNT, allowedCallbackNetworks: LOOPBACK_CALLBACKS }] };
  first = await startSwitchboard({ config });
  sessionId = (await call(`${first.api()}/sessions`, { method: 'POST', body: {} })).body.id;
});
after(async () => {
  await second?.stop();
  if (first) { await first.kill(); first.cleanup(); }
  admin?.close();
  await janus?.stop();
  app?.close();
});

async function rooms() {
  const { data } = await admin.message(admin.handle, { request: 'list', admin_key: janus.adminKey });
  return data.list.filter((r) => r.description === sessionId).map((r) => r.room);
}

// A participant of the session, subscribed to it, with a resumable device that published.
async function inCall(sb, ufrag) {
  const callbackUrl = `http://127.0.0.1:${app.address().port}/hooks/${ufrag}`;
  const created = (await call(`${sb.api()}/participants`, { method: 'POST', body: { publishPermissions: ['AUDIO'], callbackUrl } })).body;
  const put = await call(`${sb.api()}/sessions/${sessionId}/participants/${created.participant.id}`, { method: 'PUT', body: { sessionId } });
  assert.equal(put.status, 204);
  const device = await connectDevice(sb, created.token);
  const { result } = await device.rpc('setMediaPreferences', { protocol: 'WEBRTC', resumable: true });
  const published = await device.rpc('offerSdp', { sdpOffer: offer(ufrag) });
  assert.ok(published.result, JSON.stringify(published.error));
  return { token: created.token, id: created.participant.id, resume: result.resume, answer: published.result.sdpAnswer };
}

const resumeOn = (sb, who) => connectDevice(sb, who.token, { resumeDevice: who.resume.deviceId, resumeSecret: who.resume.resumeSecret });

test('devices in a call resume after switchboard is SIGKILLed and restarted, and publish on new Janus handles', async () => {
  const a = await inCall(first, 'aaaa1111');
  const b = await inCall(first, 'bbbb1111');
  const before = await rooms();
  assert.equal(before.length, 1, 'one room for the session');

  // What is on disk: the devices, the SHA-256 of their secrets, never a secret.
  const file = path.join(first.dataDir, 'kept-devices.json');
  await until(() => { try { return JSON.parse(readFileSync(file, 'utf8')).length === 2; } catch { return false; } }, { what: 'kept-devices.json' });
  const text = readFileSync(file, 'utf8');
  for (const who of [a, b]) {
    assert.ok(!text.includes(who.resume.resumeSecret), 'no resume secret in clear');
    const entry = JSON.parse(text).find((e) => e.deviceId === who.resume.deviceId);
    assert.equal(entry.participantId, who.id);
    assert.equal(entry.secretSha256, createHash('sha256').update(who.resume.resumeSecret).digest('hex'));
    assert.equal(entry.deadline, 0, 'connected when written');
  }

  assert.equal((await first.kill()).signal, 'SIGKILL');
  second = await startSwitchboard({ dataDir: first.dataDir, config });
  await until(async () => !(await rooms()).includes(before[0]), { what: 'the dead process\'s room to be destroyed' });
  assert.match(second.logs(), /kept devices: 2 of 2 restored/);

  // A wrong secret is refused; another participant's device is unknown to this token.
  await assert.rejects(connectDevice(second, a.token, { resumeDevice: a.resume.deviceId, resumeSecret: 'f'.repeat(32) }),
    (e) => e.status === 403 && e.body.code === 'resume_refused');
  await assert.rejects(connectDevice(second, a.token, { resumeDevice: b.resume.deviceId, resumeSecret: b.resume.resumeSecret }),
    (e) => e.status === 410 && e.body.code === 'resume_expired');

  for (const [who, ufrag] of [[a, 'aaaa2222'], [b, 'bbbb2222']]) {
    const device = await resumeOn(second, who);
    const resumed = await device.next((m) => m.method === 'resumed');
    assert.equal(resumed.params.deviceId, who.resume.deviceId);
    assert.notEqual(resumed.params.resumeSecret, who.resume.resumeSecret);
    const reset = await device.next((m) => m.method === 'mediaReset');
    assert.deepEqual(reset.params, { reason: 'server-restarted' });
    assert.deepEqual(device.received.slice(0, 2).map((m) => m.method), ['resumed', 'mediaReset'], 'resumed, then mediaReset');
    // The re-offer (an ICE restart) gets an answer of a new Janus PeerConnection: new credentials.
    const republished = await device.rpc('offerSdp', { sdpOffer: offer(ufrag) });
    assert.ok(republished.result, JSON.stringify(republished.error));
    assert.notEqual(ufragOf(republished.result.sdpAnswer), ufragOf(who.answer));
    assert.deepEqual((await device.rpc('ping', {})).result, {});
    who.device = device;
  }
  const after = await rooms();
  assert.equal(after.length, 1, 'the session has one room again');
  assert.notEqual(after[0], before[0]);
  // The webhooks go on across the restart: the lost connection, then the resume.
  const eventsOf = (ufrag) => hooks.filter((h) => h.path === `/hooks/${ufrag}`).map((h) => h.event);
  await until(() => eventsOf('aaaa1111').length >= 3 && eventsOf('bbbb1111').length >= 3, { what: 'the webhooks' });
  for (const ufrag of ['aaaa1111', 'bbbb1111']) assert.deepEqual(eventsOf(ufrag), ['onConnect', 'onDisconnect', 'onResume']);
  for (const who of [a, b]) who.device.ws.close();
});

test('a restored device that does not come back within its grace period (counted from the restart) is released', async () => {
  const short = { ...config, deviceResumeGraceSeconds: 2 };
  const one = await startSwitchboard({ config: short });
  let two;
  try {
    const created = (await call(`${one.api()}/participants`, { method: 'POST', body: { publishPermissions: ['AUDIO'] } })).body;
    const device = await connectDevice(one, created.token);
    const { resume } = (await device.rpc('setMediaPreferences', { protocol: 'WEBRTC', resumable: true })).result;
    const file = path.join(one.dataDir, 'kept-devices.json');
    await until(() => { try { return JSON.parse(readFileSync(file, 'utf8')).length === 1; } catch { return false; } }, { what: 'kept-devices.json' });
    await one.kill();
    // Longer than the grace period while no server runs: it counts from the restart.
    await new Promise((r) => setTimeout(r, 2500));
    two = await startSwitchboard({ dataDir: one.dataDir, config: short });
    assert.match(two.logs(), /kept devices: 1 of 1 restored/);
    await until(() => /released: its grace period ended/.test(two.logs()), { what: 'the release', timeout: 6000 });
    await assert.rejects(connectDevice(two, created.token, { resumeDevice: resume.deviceId, resumeSecret: resume.resumeSecret }),
      (e) => e.status === 410 && e.body.code === 'resume_expired');
    await until(() => JSON.parse(readFileSync(file, 'utf8')).length === 0, { what: 'the file without it' });
  } finally {
    await two?.stop();
    one.cleanup();
  }
});
