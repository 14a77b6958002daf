// BXML <Conference> and the Conferences REST API (issue 9, conf; dev.bandwidth.com/docs/voice/bxml/
// conference, bandwidth.yml "Conferences"). Phones are sipp UASes behind the trunk. The room media
// is a Janus VideoRoom, which may only run inside the test network namespace (tests/support/
// media.mjs): here a fake Janus (tests/support/fake-janus.mjs) accepts the rooms, so this file
// checks everything but the audio — events and their order and fields, the REST endpoints and
// their errors, limits, ending a conference over REST, members leaving in any order, and a
// member whose room media cannot be had. tests/browser/voice-conference.test.mjs checks that the
// members (three phones and a browser) hear each other, and mute and hold.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { startSwitchboard, call, LOOPBACK_CALLBACKS } from '../support/server.mjs';
import { startFakeJanus } from '../support/fake-janus.mjs';
import { sipp, phoneMedia, freeUdpPort } from '../support/phone.mjs';
import { until } from '../support/api.mjs';
import { createRequire } from 'node:module';
import { tempDir } from '../support/tempdir.mjs';
import { startAppServer } from '../support/app-server.mjs';

const ACCOUNT = { id: '9900000', username: 'test-user', password: 'test-password-1', allowedDestinations: ['\\+1555\\d{7}'],
  maxCallsPerMinute: 120, maxConcurrentCalls: 20, allowedCallbackNetworks: LOOPBACK_CALLBACKS };
const OTHER = { id: '9900001', username: 'other-user', password: 'other-password-1', allowedDestinations: ['\\+1555\\d{7}'],
  maxCallsPerMinute: 60, allowedCallbackNetworks: LOOPBACK_CALLBACKS };

let sb;
let janus;
let app;
let trunkPort;
let uas;
const phones = [];
const events = [];
let reply = () => '<Response><Hangup/></Response>';
const CALLS = 24;

before(async () => {
  app = await startAppServer(({ url, event, req }) => {
    events.push({ path: url, auth: req.headers.authorization, ...event });
    return reply(url, event);
  });
  janus = await startFakeJanus();
  trunkPort = await freeUdpPort();
  sb = await startSwitchboard({
    config: { sipListen: '127.0.0.1:0', sipTrunk: `sip:127.0.0.1:${trunkPort}`, rtpPortMin: 45600, rtpPortMax: 45799,
      janusUrl: janus.url, conferenceMaxMembers: 3, conferenceMaxPerAccount: 2, accounts: [ACCOUNT, OTHER] },
  });
  for (let i = 0; i < CALLS; i++) phones.push(await phoneMedia());
  const dir = tempDir('sb-conf-');
  const csv = path.join(dir, 'ports.csv');
  writeFileSync(csv, `SEQUENTIAL\n${phones.map((p) => `${p.port};;`).join('\n')}\n`);
  uas = sipp({ target: '', scenario: 'uas_answer_inf.xml', calls: CALLS, timeoutMs: 90000, extra: ['-p', String(trunkPort), '-inf', csv] });
  await new Promise((r) => setTimeout(r, 400));
});
after(async () => {
  if (process.env.SB_DUMP_LOG) console.log(sb?.logs());
  await sb?.stop(); sb?.cleanup(); app?.close(); await janus?.close();
  await uas?.kill();  // it answers up to CALLS calls; the tests place fewer
  for (const p of phones) p.close();
});

const appUrl = () => `http://127.0.0.1:${app.address().port}`;
const api = (p) => `${sb.base}/api/v2/accounts/${ACCOUNT.id}${p}`;

async function placeCall(n) {
  const r = await call(api('/calls'), { method: 'POST', account: ACCOUNT,
    body: { from: '+15550001111', to: `+1555123000${n}`, applicationId: 'a', answerUrl: `${appUrl()}/answer`, disconnectUrl: `${appUrl()}/disconnect` } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.callId;
}
const disconnect = (callId) => until(async () => events.find((e) => e.eventType === 'disconnect' && e.callId === callId),
  { timeout: 15000, what: `disconnect of ${callId}` });
const confEvents = (from, id) => events.slice(from).filter((e) => e.path === '/conf' && e.conferenceId === id);

test('three calls meet in one conference: events in order with Bandwidth\'s fields, GET shows the members and the session, the last to leave completes it', async () => {
  const start = events.length;
  reply = (p) => (p === '/answer'
    ? `<Response><Conference conferenceEventUrl="/conf" username="u" password="p" tag="t1" callbackTimeout="5">team.room-1</Conference><Pause duration="30"/></Response>`
    : '');
  janus.feedLag = 2;  // each phone's feed is "No such feed" for its first two rtp_forwards
  const ids = [await placeCall(1), await placeCall(2), await placeCall(3)];
  const created = await until(async () => events.slice(start).find((e) => e.eventType === 'conferenceCreated'), { timeout: 15000, what: 'conferenceCreated' });
  const confId = created.conferenceId;
  assert.match(confId, /^conf-[0-9a-f-]+$/);
  assert.equal(created.name, 'team.room-1');
  assert.equal(created.tag, 't1');
  assert.equal(created.auth, `Basic ${Buffer.from('u:p').toString('base64')}`);
  await until(async () => confEvents(start, confId).filter((e) => e.eventType === 'conferenceMemberJoin').length === 3,
    { timeout: 15000, what: 'three conferenceMemberJoin' });
  const joins = confEvents(start, confId).filter((e) => e.eventType === 'conferenceMemberJoin');
  assert.deepEqual(new Set(joins.map((e) => e.callId)), new Set(ids));
  for (const j of joins) {
    assert.equal(j.from, '+15550001111');
    assert.match(j.to, /^\+1555123000[123]$/);
    assert.equal(j.name, 'team.room-1');
    assert.ok(j.eventTime);
  }
  assert.equal(confEvents(start, confId)[0].eventType, 'conferenceCreated');
  // Each member hears the other two: six forwards, made although Janus did not know each feed at
  // first (the orchestrator asks again), and no forward reported as failed.
  const forwarders = async () => Number(/^switchboard_media_forwarders (\S+)/m.exec(await (await fetch(`${sb.adminBase}/metrics`)).text())?.[1]);
  await until(async () => (await forwarders()) === 6, { timeout: 10000, what: 'six rtp_forwards' });
  const asked = janus.received.filter((m) => m.body?.request === 'rtp_forward').length;
  assert.ok(asked >= 6 + 2 * 3, `the refused rtp_forwards were asked again (${asked} requests)`);
  assert.doesNotMatch(sb.logs(), /rtp_forward for call .* failed/);
  janus.feedLag = 0;

  const got = await call(api(`/conferences/${confId}`), { account: ACCOUNT });
  assert.equal(got.status, 200);
  assert.equal(got.body.id, confId);
  assert.equal(got.body.name, 'team.room-1');
  assert.equal(got.body.completedTime, null);
  assert.equal(got.body.conferenceEventUrl, `${appUrl()}/conf`);
  assert.equal(got.body.conferenceEventMethod, 'POST');
  assert.equal(got.body.tag, 't1');
  assert.equal(got.body.activeMembers.length, 3);
  assert.ok(got.body.sessionId, 'the WebRTC session of the conference is exposed');
  const session = await call(`${sb.api()}/sessions/${got.body.sessionId}/participants`, { account: ACCOUNT });
  assert.equal(session.status, 200, JSON.stringify(session.body));
  assert.equal(session.body.length, 3, 'each member is an audio participant of the session');

  const m = await call(api(`/conferences/${confId}/members/${ids[1]}`), { account: ACCOUNT });
  assert.equal(m.status, 200);
  assert.deepEqual(m.body, { callId: ids[1], conferenceId: confId, memberUrl: `${sb.base}/api/v2/accounts/${ACCOUNT.id}/conferences/${confId}/members/${ids[1]}`,
    mute: false, hold: false, callIdsToCoach: null });
  const put = await call(api(`/conferences/${confId}/members/${ids[1]}`), { method: 'PUT', account: ACCOUNT, body: { mute: true, hold: true } });
  assert.equal(put.status, 204, JSON.stringify(put.body));
  const m2 = await call(api(`/conferences/${confId}/members/${ids[1]}`), { account: ACCOUNT });
  assert.equal(m2.body.mute, true);
  assert.equal(m2.body.hold, true);

  const list = await call(api('/conferences?name=team.room-1'), { account: ACCOUNT });
  assert.equal(list.status, 200);
  assert.equal(list.body.length, 1);
  assert.equal(list.body[0].activeMembers, undefined, 'the list omits activeMembers (Bandwidth)');
  // Another account sees nothing of it.
  const other = await call(`${sb.base}/api/v2/accounts/${OTHER.id}/conferences/${confId}`, { account: OTHER });
  assert.equal(other.status, 404);

  // Members leave in an order that is not the join order.
  for (const id of [ids[1], ids[0], ids[2]]) {
    assert.equal((await call(api(`/calls/${id}`), { method: 'POST', account: ACCOUNT, body: { state: 'completed' } })).status, 200);
    await disconnect(id);
  }
  await until(async () => confEvents(start, confId).some((e) => e.eventType === 'conferenceCompleted'), { timeout: 15000, what: 'conferenceCompleted' });
  const seq = confEvents(start, confId).map((e) => e.eventType);
  assert.deepEqual(seq.slice(-4), ['conferenceMemberExit', 'conferenceMemberExit', 'conferenceMemberExit', 'conferenceCompleted']);
  assert.deepEqual(confEvents(start, confId).filter((e) => e.eventType === 'conferenceMemberExit').map((e) => e.callId), [ids[1], ids[0], ids[2]]);
  const done = await call(api(`/conferences/${confId}`), { account: ACCOUNT });
  assert.ok(done.body.completedTime);
  assert.deepEqual(done.body.activeMembers, []);
  assert.equal(done.body.sessionId, null);
  const gone = await call(`${sb.api()}/sessions/${got.body.sessionId}`, { account: ACCOUNT });
  assert.equal(gone.status, 404, 'the session is deleted with the conference');
});

test('ended over REST: every member goes on after <Conference>, then the conference completes; a completed conference refuses updates (409)', async () => {
  const start = events.length;
  reply = (p, e) => {
    if (p === '/answer') return '<Response><Conference conferenceEventUrl="/conf">ending</Conference><Redirect redirectUrl="/after"/></Response>';
    if (p === '/after') return '<Response><Hangup/></Response>';
    return '';
  };
  const ids = [await placeCall(4), await placeCall(5)];
  const created = await until(async () => events.slice(start).find((e) => e.eventType === 'conferenceCreated'), { timeout: 15000, what: 'conferenceCreated' });
  await until(async () => confEvents(start, created.conferenceId).filter((e) => e.eventType === 'conferenceMemberJoin').length === 2,
    { timeout: 15000, what: 'two joins' });
  const bad = await call(api(`/conferences/${created.conferenceId}`), { method: 'POST', account: ACCOUNT, body: { status: 'completed', redirectUrl: 'http://x/' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.type, 'validation');
  assert.match(bad.body.description, /redirectUrl/);
  const end = await call(api(`/conferences/${created.conferenceId}`), { method: 'POST', account: ACCOUNT, body: { status: 'completed' } });
  assert.equal(end.status, 204, JSON.stringify(end.body));
  for (const id of ids) {
    await until(async () => events.some((e) => e.path === '/after' && e.callId === id), { timeout: 15000, what: `${id} runs the verb after <Conference>` });
    await disconnect(id);
  }
  await until(async () => confEvents(start, created.conferenceId).some((e) => e.eventType === 'conferenceCompleted'), { timeout: 10000, what: 'completed' });
  const again = await call(api(`/conferences/${created.conferenceId}`), { method: 'POST', account: ACCOUNT, body: { status: 'completed' } });
  assert.equal(again.status, 409);
});

test('limits: a fourth member of a full conference and a third conference of the account end with cause error saying why', async () => {
  const start = events.length;
  let n = 0;
  reply = (p) => {
    if (p !== '/answer') return '';
    n++;
    const name = n <= 4 ? 'full' : n === 5 ? 'second' : 'third';
    return `<Response><Conference>${name}</Conference></Response>`;
  };
  const ids = [];
  for (let i = 0; i < 4; i++) ids.push(await placeCall(6));
  const fourth = await until(async () => {
    const d = events.slice(start).filter((e) => e.eventType === 'disconnect' && ids.includes(e.callId));
    return d.length ? d[0] : null;
  }, { timeout: 15000, what: 'one member refused' });
  assert.equal(fourth.cause, 'error');
  assert.match(fourth.errorMessage, /is full \(3 members, conferenceMaxMembers\)/);
  const second = await placeCall(7);
  const third = await placeCall(8);
  const refused = await disconnect(third);
  assert.equal(refused.cause, 'error');
  assert.match(refused.errorMessage, /conferenceMaxPerAccount/);
  for (const id of [...ids, second]) await call(api(`/calls/${id}`), { method: 'POST', account: ACCOUNT, body: { state: 'completed' } });
  for (const id of [...ids.filter((i) => i !== fourth.callId), second]) await disconnect(id);
  const list = await call(api('/conferences'), { account: ACCOUNT });
  await until(async () => (await call(api('/conferences'), { account: ACCOUNT })).body.every((c) => c.completedTime),
    { timeout: 10000, what: `every conference completed ${JSON.stringify(list.body)}` });
});

test('REST errors: unknown conference and member, bad bodies and filters, BXML a conference cannot run, callIdsToCoach', async () => {
  const missing = 'conf-00000000-00000000-0000-0000-0000-000000000000';
  const r404 = await call(api(`/conferences/${missing}`), { account: ACCOUNT });
  assert.equal(r404.status, 404);
  assert.equal(r404.body.type, 'not-found');
  assert.equal((await call(api('/conferences/nonsense'), { account: ACCOUNT })).status, 404);
  const list = await call(api('/conferences?pageSize=0'), { account: ACCOUNT });
  assert.equal(list.status, 400);
  assert.match(list.body.description, /pageSize/);
  assert.equal((await call(api('/conferences?color=red'), { account: ACCOUNT })).status, 400);
  const page = await call(api("/conferences?pageSize=1"), { account: ACCOUNT });
  assert.equal(page.status, 200);
  // A conference to test members against.
  const start = events.length;
  reply = (p) => (p === '/answer' ? '<Response><Conference conferenceEventUrl="/conf">errors</Conference></Response>' : '');
  const id = await placeCall(9);
  const created = await until(async () => events.slice(start).find((e) => e.eventType === 'conferenceMemberJoin'), { timeout: 15000, what: 'join' });
  const conf = created.conferenceId;
  assert.equal((await call(api(`/conferences/${conf}/members/c-00000000-00000000-0000-0000-0000-000000000000`), { account: ACCOUNT })).status, 404);
  for (const body of [{ mute: 'yes' }, { hold: 1 }, { volume: 3 }, { callIdsToCoach: 'x' }, [1]]) {
    const r = await call(api(`/conferences/${conf}/members/${id}`), { method: 'PUT', account: ACCOUNT, body });
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.ok(r.body.description);
  }
  const coach = await call(api(`/conferences/${conf}/members/${id}`), { method: 'PUT', account: ACCOUNT, body: { callIdsToCoach: [id] } });
  assert.equal(coach.status, 400);
  assert.match(coach.body.description, /coaching is not supported/);
  const redirect = await call(api(`/conferences/${conf}`), { method: 'POST', account: ACCOUNT, body: {} });
  assert.equal(redirect.status, 400);
  assert.match(redirect.body.description, /redirectUrl/);
  const bxml = await call(api(`/conferences/${conf}/bxml`), { method: 'PUT', account: ACCOUNT, headers: { 'content-type': 'application/xml' },
    raw: '<Response><Hangup/></Response>' });
  assert.equal(bxml.status, 400);
  assert.match(bxml.body.description, /cannot run in a conference/);
  // The redirect event goes out with Bandwidth's fields.
  const ok = await call(api(`/conferences/${conf}`), { method: 'POST', account: ACCOUNT, body: { redirectUrl: `${appUrl()}/conf-redirect` } });
  assert.equal(ok.status, 204);
  const ev = await until(async () => events.find((e) => e.path === '/conf-redirect'), { timeout: 10000, what: 'conferenceRedirect' });
  assert.equal(ev.eventType, 'conferenceRedirect');
  assert.equal(ev.conferenceId, conf);
  assert.equal(ev.name, 'errors');
  await call(api(`/calls/${id}`), { method: 'POST', account: ACCOUNT, body: { state: 'completed' } });
  await disconnect(id);
});

test('BXML: bad names and attributes end the call as invalid BXML; callIdsToCoach is refused by name', async () => {
  for (const [doc, why] of [
    ['<Response><Conference>bad name!</Conference></Response>', /may only have letters/],
    ['<Response><Conference mute="maybe">x</Conference></Response>', /mute/],
    ['<Response><Conference callbackTimeout="99">x</Conference></Response>', /callbackTimeout/],
    ['<Response><Conference/></Response>', /name/],
  ]) {
    reply = (p) => (p === '/answer' ? doc : '');
    const id = await placeCall(1);
    const d = await disconnect(id);
    assert.equal(d.cause, 'invalid-bxml', doc);
    assert.match(d.errorMessage, why);
  }
  reply = (p) => (p === '/answer' ? '<Response><Conference callIdsToCoach="c-1,c-2">coached</Conference></Response>' : '');
  const id = await placeCall(2);
  const d = await disconnect(id);
  assert.equal(d.cause, 'application-error');
  assert.match(d.errorMessage, /callIdsToCoach> is not supported/);
});

test("Bandwidth's SDKs unchanged: their <Conference> builders, and their conference and member APIs", async () => {
  const require = createRequire(import.meta.url);
  const v5 = require('@bandwidth/voice');
  const v8 = require('bandwidth-sdk');
  const start = events.length;
  const conf = `${appUrl()}/conf`;
  const docs = {
    '+15551230005': new v5.Response(new v5.Conference({ name: 'sdk-v5', conferenceEventUrl: conf, tag: 'v5' }), new v5.Hangup()).toBxml(),
    '+15551230008': new v8.Bxml.Response([new v8.Bxml.Conference('sdk-v8', { conferenceEventUrl: conf, tag: 'v8' }), new v8.Bxml.Hangup()]).toBxml(),
  };
  reply = (p, event) => (p === '/answer' ? docs[event.to] ?? '<Response><Hangup/></Response>' : '');
  const a = await placeCall(5);
  const b = await placeCall(8);
  await until(async () => events.slice(start).filter((e) => e.eventType === 'conferenceMemberJoin').length === 2,
    { timeout: 15000, what: 'both calls in their conferences' });

  // @bandwidth/voice 5 (ApiController), base URL changed only.
  const api5 = new v5.ApiController(new v5.Client({ basicAuthUserName: ACCOUNT.username, basicAuthPassword: ACCOUNT.password,
    environment: v5.Environment.Custom, baseUrl: sb.base, timeout: 5000 }));
  const list5 = (await api5.getConferences(ACCOUNT.id, 'sdk-v5')).result;
  assert.equal(list5.length, 1);
  const id5 = list5[0].id;
  const conf5 = (await api5.getConference(ACCOUNT.id, id5)).result;
  assert.equal(conf5.tag, 'v5');
  assert.deepEqual(conf5.activeMembers.map((m) => m.callId), [a]);
  assert.equal((await api5.modifyConferenceMember(ACCOUNT.id, id5, a, { mute: true })).statusCode, 204);
  assert.equal((await api5.getConferenceMember(ACCOUNT.id, id5, a)).result.mute, true);

  // bandwidth-sdk 8 (ConferencesApi), basePath changed only.
  const api8 = new v8.ConferencesApi(new v8.Configuration({ username: ACCOUNT.username, password: ACCOUNT.password, basePath: `${sb.base}/api/v2` }));
  const list8 = (await api8.listConferences(ACCOUNT.id, 'sdk-v8')).data;
  assert.equal(list8.length, 1);
  const id8 = list8[0].id;
  const conf8 = (await api8.getConference(ACCOUNT.id, id8)).data;
  assert.equal(conf8.tag, 'v8');
  assert.deepEqual(conf8.activeMembers.map((m) => m.callId), [b]);
  assert.equal((await api8.updateConferenceMember(ACCOUNT.id, id8, b, { hold: true })).status, 204);
  assert.equal((await api8.getConferenceMember(ACCOUNT.id, id8, b)).data.hold, true);

  // Each SDK ends its conference: the member goes on to the <Hangup/> after <Conference>.
  assert.equal((await api5.modifyConference(ACCOUNT.id, id5, { status: 'completed' })).statusCode, 204);
  assert.equal((await api8.updateConference(ACCOUNT.id, id8, { status: 'completed' })).status, 204);
  for (const id of [a, b]) assert.equal((await disconnect(id)).cause, 'hangup');
  await until(async () => [id5, id8].every((id) => confEvents(start, id).some((e) => e.eventType === 'conferenceCompleted')),
    { timeout: 10000, what: 'both conferences completed' });
});

test('room media gone: with Janus closed the member call ends with cause error saying so, and the conference completes', async () => {
  await janus.close();
  const start = events.length;
  reply = (p) => (p === '/answer' ? '<Response><Conference conferenceEventUrl="/conf">no-media</Conference></Response>' : '');
  const id = await placeCall(3);
  const d = await disconnect(id);
  assert.equal(d.cause, 'error');
  assert.match(d.errorMessage, /joining the conference failed/);
  const created = events.slice(start).find((e) => e.eventType === 'conferenceCreated');
  await until(async () => confEvents(start, created.conferenceId).some((e) => e.eventType === 'conferenceCompleted'), { timeout: 10000, what: 'completed' });
  assert.ok(!confEvents(start, created.conferenceId).some((e) => e.eventType === 'conferenceMemberJoin'), 'no join event for a member that never joined');
  const health = await call(`${sb.base}/healthz`);
  assert.equal(health.status, 200);
});
