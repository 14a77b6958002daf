// BXML <Conference> with room media (issue 9, conf): three phones (sipp UASes behind the trunk,
// RTP sockets in this test) run <Conference> with one name, and a browser joins the conference's
// WebRTC session (its id from GET …/conferences/{id}) with the ordinary participants API. Every
// phone streams, as real phones do (a phone that never sends is not sent to for long: the
// reflection limit of PhoneSourceGuard); phones 1 and 2 send digital silence. The browser and the
// other two phones hear phone 0's tone, phone 0 does not hear itself, the phones hear the
// browser's microphone; muted over REST a phone is no longer heard and unmuted it is again; on
// hold a phone hears nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMediaStack, until } from './media-fixture.mjs';
import { phoneMedia, sipp, freeUdpPort } from '../support/phone.mjs';
import { call, LOOPBACK_CALLBACKS } from '../support/server.mjs';

const ACCOUNT = { id: '9900000', username: 'test-user', password: 'test-password-1' };
let stack;
let app;
let trunkPort;
let uas;
const phones = [];
const events = [];

before(async () => {
  app = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      events.push({ path: req.url, ...(body ? JSON.parse(body) : {}) });
      res.setHeader('content-type', 'application/xml');
      res.end(req.url === '/answer' ? '<Response><Conference conferenceEventUrl="/conf">all-hands</Conference></Response>' : '');
    });
  });
  await new Promise((r) => app.listen(0, '127.0.0.1', r));
  trunkPort = await freeUdpPort();
  stack = await startMediaStack({
    config: {
      sipListen: '127.0.0.1:0', sipTrunk: `sip:127.0.0.1:${trunkPort}`, rtpPortMin: 44000, rtpPortMax: 44999,
      accounts: [{ ...ACCOUNT, allowedDestinations: ['\\+1555\\d{7}'], maxCallsPerMinute: 60, allowedCallbackNetworks: LOOPBACK_CALLBACKS }],
    },
  });
});
after(async () => {
  if (process.env.SB_CONF_LOG) writeFileSync(process.env.SB_CONF_LOG, stack?.sb.logs() ?? '');
  await uas?.kill();  // a failed test leaves it waiting for calls
  for (const p of phones) p.close();
  await stack?.stop(); app?.close();
});

// How much energy `phone` receives in `ms` (after letting what is in flight arrive).
async function gain(phone, ms = 1500) {
  await new Promise((r) => setTimeout(r, 400));
  const before = phone.stats.energy;
  await new Promise((r) => setTimeout(r, ms));
  return phone.stats.energy - before;
}

test('three phones in one conference hear each other (a browser connected to its session); mute and hold over REST',
  async () => {
  for (let i = 0; i < 3; i++) phones.push(await phoneMedia());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-conf-'));
  const csv = path.join(dir, 'ports.csv');
  writeFileSync(csv, `SEQUENTIAL\n${phones.map((p) => `${p.port};;`).join('\n')}\n`);
  uas = sipp({ target: '', scenario: 'uas_answer_inf.xml', calls: 3, timeoutMs: 90000, extra: ['-p', String(trunkPort), '-inf', csv] });
  await new Promise((r) => setTimeout(r, 500));
  const appUrl = `http://127.0.0.1:${app.address().port}`;
  const v2 = `${stack.sb.base}/api/v2/accounts/${ACCOUNT.id}`;
  const ids = [];
  for (let i = 0; i < 3; i++) {
    const r = await call(`${v2}/calls`, { method: 'POST', body: { from: '+15550001111', to: `+1555123456${i}`, applicationId: 'a', answerUrl: `${appUrl}/answer` } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids.push(r.body.callId);
    // sipp gives the i-th call it answers phones[i]'s port: one call at a time, so that call
    // ids[i] is phones[i] (RTP flows to a phone once its call is answered).
    await until(async () => phones[i].stats.peer !== null, { timeout: 10000, what: `RTP towards phone ${i}` });
  }
  await until(async () => events.filter((e) => e.eventType === 'conferenceMemberJoin').length === 3, { timeout: 20000, what: 'three members joined' });
  const confId = events.find((e) => e.eventType === 'conferenceCreated').conferenceId;
  const conf = (await call(`${v2}/conferences/${confId}`)).body;
  assert.ok(conf.sessionId, JSON.stringify(conf));

  // The browser joins the conference's session (it subscribes to the whole session).
  const browserP = await stack.participant(conf.sessionId);
  const page = await stack.device(browserP.token, { sdk: 'switchboard' });

  // Phone 0 speaks: phones 1 and 2 and the browser hear it, phone 0 does not hear itself.
  phones[1].volume(60);  // quiet rooms: heard, but far below the thresholds below
  phones[2].volume(60);
  for (const p of phones) p.stream();
  const members = (await call(`${stack.sb.api()}/sessions/${conf.sessionId}/participants`)).body;
  const phone0 = members.find((m) => m.tag === `conference member ${ids[0]}`);
  assert.ok(phone0, JSON.stringify(members));
  await stack.hears(page, phone0.id, { timeout: 20000 });
  await until(async () => (await gain(phones[1], 1000)) > 1, { timeout: 20000, what: "phone 0 heard at phone 1" });
  const g1 = await gain(phones[1]);
  const g2 = await gain(phones[2]);
  const self = await gain(phones[0]);
  assert.ok(g1 > 1 && g2 > 1, `phones 1 and 2 hear phone 0 (energy ${g1}, ${g2})`);
  assert.ok(self < 0.05, `phone 0 does not hear itself (energy ${self})`);

  // The browser's microphone (Chromium's fake device: a beep) reaches the phones.
  await page.evaluate(() => window.rtcPublish({ audio: true }));
  await until(async () => (await gain(phones[1], 1000)) > 1, { timeout: 20000, what: 'the browser heard at phone 1' });
  await page.evaluate(() => window.rtcUnpublish());  // from here on only phone 0 makes a sound

  // Mute phone 0: nobody hears it any more; unmuted, heard again.
  const put = (i, body) => call(`${v2}/conferences/${confId}/members/${ids[i]}`, { method: 'PUT', body });
  assert.equal((await put(0, { mute: true })).status, 204);
  const muted = await gain(phones[1]);
  assert.ok(muted < 0.05, `muted phone 0 is not heard (energy ${muted})`);
  assert.equal((await put(0, { mute: false })).status, 204);
  const unmuted = await gain(phones[1]);
  assert.ok(unmuted > 1, `unmuted phone 0 is heard again (energy ${unmuted})`);

  // Hold phone 2: it hears nothing while phone 1 still hears phone 0.
  assert.equal((await put(2, { hold: true })).status, 204);
  const held = await gain(phones[2]);
  const other = await gain(phones[1]);
  assert.ok(held < 0.05, `phone 2 on hold hears nothing (energy ${held})`);
  assert.ok(other > 1, `phone 1 still hears phone 0 (energy ${other})`);
  assert.equal((await put(2, { hold: false })).status, 204);
  const back = await gain(phones[2]);
  assert.ok(back > 1, `phone 2 off hold hears again (energy ${back})`);

  for (const id of ids) assert.equal((await call(`${v2}/calls/${id}`, { method: 'POST', body: { state: 'completed' } })).status, 200);
  await until(async () => events.some((e) => e.eventType === 'conferenceCompleted'), { timeout: 15000, what: 'conferenceCompleted' });
  const exits = events.filter((e) => e.eventType === 'conferenceMemberExit').map((e) => e.callId);
  assert.deepEqual(exits, ids);
  await uas;
  await page.close();
});
