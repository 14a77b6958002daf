// Dial-out (issue 4): the voice API calls a phone (a sipp UAS behind the trunk); the application's
// answer callback returns Bandwidth's transfer BXML; the browser hears the phone; hanging up sends
// BYE and the disconnect callback says why.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { startMediaStack, until } from './media-fixture.mjs';
import { phoneMedia, sipp, freeUdpPort } from '../support/phone.mjs';
import { call, LOOPBACK_CALLBACKS } from '../support/server.mjs';
import { toneWav } from '../support/wav.mjs';

const require = createRequire(import.meta.url);
const { ApiController } = require('@bandwidth/webrtc');

let stack;
let app;
let trunkPort;
const events = [];
let answerBxml = async () => '<Response><Hangup/></Response>';


before(async () => {
  // The application server: records callbacks, answers with BXML.
  app = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', async () => {
      const event = body ? JSON.parse(body) : {};
      events.push({ path: req.url, ...event });
      if (req.url.startsWith('/tone.wav')) {
        res.setHeader('content-type', 'audio/wav');
        res.end(toneWav({ seconds: 1.5 }));
        return;
      }
      res.setHeader('content-type', 'application/xml');
      res.end(req.url === '/answer' ? await answerBxml(event) : '');
    });
  });
  await new Promise((r) => app.listen(0, '127.0.0.1', r));
  trunkPort = await freeUdpPort();
  stack = await startMediaStack({
    config: {
      sipListen: '127.0.0.1:0', sipTrunk: `sip:127.0.0.1:${trunkPort}`, rtpPortMin: 43000, rtpPortMax: 43999,
      voiceNumbers: [{ number: '+15550100', accountId: '9900000', initiateUrl: `http://127.0.0.1:${app.address().port}/answer` }],
      // Every test here starts calls and transfer legs of this account within a minute.
      accounts: [{ id: '9900000', username: 'test-user', password: 'test-password-1', allowedDestinations: ['\\+1555\\d{7}'], maxCallsPerMinute: 60,
        allowedCallbackNetworks: LOOPBACK_CALLBACKS },
        { id: '9900001', username: 'other-user', password: 'other-password-1', allowedCallbackNetworks: LOOPBACK_CALLBACKS }],
    },
  });
});
after(async () => { await stack?.stop(); app?.close(); });

// Places a call to the phone behind the trunk with this file's answer and disconnect callbacks.
async function placeCall() {
  const appUrl = `http://127.0.0.1:${app.address().port}`;
  const created = await call(`${stack.sb.api()}/calls`, {
    method: 'POST', body: { from: '+15550001111', to: '+15551234567', answerUrl: `${appUrl}/answer`, disconnectUrl: `${appUrl}/disconnect` },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created;
}

test('dial-out: answer callback returns transfer BXML, the browser hears the phone, disconnect callback after BYE', async () => {
  const s = await stack.session();
  const browserP = await stack.participant(s);
  const phoneP = await stack.participant(s);
  const page = await stack.device(browserP.token, { sdk: 'switchboard' });
  await page.evaluate(() => window.rtcPublish({ audio: true, video: false }, 'mic'));
  const sipPort = await stack.sb.sipPort();
  answerBxml = async (event) => ApiController.generateTransferBxml(phoneP.token, event.callId, `sip:127.0.0.1:${sipPort}`);

  const media = await phoneMedia();
  const uas = sipp({ target: '', scenario: 'uas_answer_media.xml', keys: { rtp_port: media.port }, timeoutMs: 60000, extra: ['-p', String(trunkPort)] });
  await new Promise((r) => setTimeout(r, 500));
  const appUrl = `http://127.0.0.1:${app.address().port}`;
  const created = await call(`${stack.sb.api()}/calls`, {
    method: 'POST',
    body: { from: '+15550001111', to: '+15551234567', answerUrl: `${appUrl}/answer`, disconnectUrl: `${appUrl}/disconnect`, tag: 'dial-out-test' },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const callId = created.body.callId;
  assert.match(callId, /^c-/);

  await until(async () => media.stats.peer !== null, { timeout: 15000, what: 'RTP towards the phone' });
  media.stream();
  await stack.hears(page, phoneP.id, { timeout: 15000 });
  const answer = events.find((e) => e.path === '/answer');
  assert.equal(answer.eventType, 'answer');
  assert.equal(answer.callId, callId);
  assert.equal(answer.direction, 'outbound');
  assert.equal(answer.tag, 'dial-out-test');
  const state = await call(`${stack.sb.api()}/calls/${callId}`);
  assert.equal(state.body.state, 'answered');

  // Hang up through the API: switchboard sends BYE; the disconnect callback follows.
  assert.equal((await call(`${stack.sb.api()}/calls/${callId}`, { method: 'POST', body: { state: 'completed' } })).status, 200);
  const uasDone = await uas;
  assert.equal(uasDone.code, 0, uasDone.stderr || uasDone.stdout);
  await until(async () => events.some((e) => e.path === '/disconnect'), { timeout: 15000, what: 'disconnect callback' });
  const disconnect = events.find((e) => e.path === '/disconnect');
  assert.equal(disconnect.eventType, 'disconnect');
  assert.equal(disconnect.callId, callId);
  assert.ok(disconnect.cause, 'the disconnect callback says why');
  await until(async () => !(await stack.receives(page, phoneP.id)), { what: 'phone stream gone' });
  media.close();
  await page.close();
});

// Phones behind the trunk for calls that ring several of them: the n-th INVITE is answered with
// the n-th socket's port (sipp -inf, uas_answer_inf.xml). `hangsUp`: these phones send BYE 3 s
// after answering; `rings`: these only ring, until switchboard cancels them.
function trunkPhones(phones, { calls = phones.length, timeoutMs = 60000, hangsUp = [], rings = [] } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-trunk-'));
  const csv = path.join(dir, 'ports.csv');
  const role = (p) => (hangsUp.includes(p) ? 'bye' : rings.includes(p) ? 'ring' : '');
  writeFileSync(csv, `SEQUENTIAL\n${phones.map((p) => `${p.port};${role(p)};`).join('\n')}\n`);
  return sipp({ target: '', scenario: 'uas_answer_inf.xml', calls, timeoutMs, extra: ['-p', String(trunkPort), '-inf', csv] });
}

// Phones behind the trunk for the calls of one test (trunkPhones), then the call to the first of
// them. `since()`: the callbacks that came after.
async function callTrunkPhones(count, { hangsUp = [], rings = [], timeoutMs } = {}) {
  const phones = [];
  for (let i = 0; i < count; i++) phones.push(await phoneMedia());
  const pick = (indexes) => indexes.map((i) => phones[i]);
  const uas = trunkPhones(phones, { hangsUp: pick(hangsUp), rings: pick(rings), ...(timeoutMs ? { timeoutMs } : {}) });
  await new Promise((r) => setTimeout(r, 500));
  const before = events.length;
  const since = () => events.slice(before);
  const created = await placeCall();
  return { phones, uas, since, created };
}

test('transfer to a phone number: a B-leg through the trunk, the phones hear each other, DTMF passes, hangup ends both', async () => {
  const appUrl = `http://127.0.0.1:${app.address().port}`;
  answerBxml = async () => '<Response><Transfer transferCallerId="+15550001111">'
    + `<PhoneNumber transferAnswerUrl="${appUrl}/transfer-answer" transferDisconnectUrl="${appUrl}/transfer-disconnect">+15557654321</PhoneNumber>`
    + '</Transfer><Hangup/></Response>';
  const { phones: [phoneA, phoneB], uas, since, created } = await callTrunkPhones(2);
  const callId = created.body.callId;
  await until(async () => phoneA.stats.peer !== null, { timeout: 15000, what: 'RTP towards phone A' });
  phoneA.stream();
  await until(async () => since().some((e) => e.path === '/transfer-answer'), { timeout: 15000, what: 'transferAnswer callback' });
  await until(async () => phoneB.stats.peer !== null, { timeout: 5000, what: 'RTP towards phone B' });
  phoneB.stream();
  await until(async () => phoneB.stats.energy > 1, { timeout: 10000, what: `phone A's tone at phone B (energy ${phoneB.stats.energy})` });
  await until(async () => phoneA.stats.energy > 1, { timeout: 10000, what: `phone B's tone at phone A (energy ${phoneA.stats.energy})` });
  const transferAnswer = since().find((e) => e.path === '/transfer-answer');
  assert.equal(transferAnswer.eventType, 'transferAnswer');
  assert.equal(transferAnswer.parentCallId, callId);
  assert.match(transferAnswer.callId, /^c-/);
  assert.notEqual(transferAnswer.callId, callId, 'the B-leg has a call id of its own');
  assert.equal(transferAnswer.transferTo, '+15557654321');
  assert.equal(transferAnswer.transferCallerId, '+15550001111');

  phoneA.sendDigit('7');
  await until(async () => phoneB.stats.digits.some((d) => d.digit === '7'), { timeout: 5000, what: 'digit 7 at phone B' });
  phoneB.sendDigit('3');
  await until(async () => phoneA.stats.digits.some((d) => d.digit === '3'), { timeout: 5000, what: 'digit 3 at phone A' });

  // Hanging up the A-leg through the API ends the B-leg too: both phones get a BYE.
  assert.equal((await call(`${stack.sb.api()}/calls/${callId}`, { method: 'POST', body: { state: 'completed' } })).status, 200);
  const done = await uas;
  assert.equal(done.code, 0, done.stderr || done.stdout);
  await until(async () => since().some((e) => e.path === '/disconnect') && since().some((e) => e.path === '/transfer-disconnect'),
    { timeout: 15000, what: 'disconnect and transferDisconnect callbacks' });
  const legEnd = since().find((e) => e.path === '/transfer-disconnect');
  assert.equal(legEnd.eventType, 'transferDisconnect');
  assert.equal(legEnd.cause, 'hangup');
  assert.equal(since().find((e) => e.path === '/disconnect').cause, 'hangup');
  phoneA.close();
  phoneB.close();
});

test('transfer to several numbers: all ring, the one that answers is bridged, the other is cancelled', async () => {
  const appUrl = `http://127.0.0.1:${app.address().port}`;
  const cb = `transferAnswerUrl="${appUrl}/transfer-answer" transferDisconnectUrl="${appUrl}/transfer-disconnect"`;
  answerBxml = async () => `<Response><Transfer><PhoneNumber ${cb}>+15557654321</PhoneNumber>`
    + `<PhoneNumber ${cb}>+15557654322</PhoneNumber></Transfer><Hangup/></Response>`;
  const { phones: [phoneA, ringing, answering], uas, since, created } = await callTrunkPhones(3, { rings: [1] });
  await until(async () => phoneA.stats.peer !== null, { timeout: 15000, what: 'RTP towards phone A' });
  phoneA.stream();
  await until(async () => answering.stats.peer !== null, { timeout: 15000, what: 'RTP towards the answering phone' });
  answering.stream();
  await until(async () => answering.stats.energy > 0.5 && phoneA.stats.energy > 0.5,
    { timeout: 10000, what: `both directions (energy ${answering.stats.energy} / ${phoneA.stats.energy})` });
  const answered = since().filter((e) => e.path === '/transfer-answer');
  assert.deepEqual(answered.map((e) => e.transferTo), ['+15557654322']);
  assert.equal(ringing.stats.peer, null, 'no media ever went to the phone that did not answer');
  // The ringing phone's leg ended (CANCEL) when the other answered, so its transferDisconnect
  // arrives while the call goes on.
  await until(async () => since().some((e) => e.path === '/transfer-disconnect'), { timeout: 5000, what: 'the cancelled leg reported' });
  const early = since().filter((e) => e.path === '/transfer-disconnect');
  assert.deepEqual(early.map((e) => [e.transferTo, e.cause]), [['+15557654321', 'cancel']]);

  assert.equal((await call(`${stack.sb.api()}/calls/${created.body.callId}`, { method: 'POST', body: { state: 'completed' } })).status, 200);
  // sipp exits 0 only if the ringing phone got its CANCEL (and the others their BYE).
  const done = await uas;
  assert.equal(done.code, 0, done.stderr || done.stdout);
  // One transferDisconnect per target.
  await until(async () => since().filter((e) => e.path === '/transfer-disconnect').length === 2, { timeout: 10000, what: 'both legs reported' });
  const legs = Object.fromEntries(since().filter((e) => e.path === '/transfer-disconnect').map((e) => [e.transferTo, e.cause]));
  assert.deepEqual(legs, { '+15557654321': 'cancel', '+15557654322': 'hangup' });
  phoneA.close();
  ringing.close();
  answering.close();
});

test('transfer: when the transferred-to phone hangs up, the caller stays and the BXML after <Transfer> runs', async () => {
  const appUrl = `http://127.0.0.1:${app.address().port}`;
  answerBxml = async () => '<Response><Transfer>'
    + `<PhoneNumber transferDisconnectUrl="${appUrl}/transfer-disconnect">+15557654321</PhoneNumber>`
    + '</Transfer><SendDtmf>5</SendDtmf><Hangup/></Response>';
  const { phones: [phoneA, phoneB], uas, since } = await callTrunkPhones(2, { hangsUp: [1] });
  await until(async () => phoneA.stats.peer !== null, { timeout: 15000, what: 'RTP towards phone A' });
  phoneA.stream();
  await until(async () => phoneB.stats.peer !== null, { timeout: 15000, what: 'RTP towards phone B' });
  phoneB.stream();
  await until(async () => phoneA.stats.energy > 0.5, { timeout: 3000, what: `phone B's tone at phone A (energy ${phoneA.stats.energy})` });
  // Phone B hangs up: the leg ends with cause hangup, phone A gets <SendDtmf> and then <Hangup>'s BYE.
  await until(async () => since().some((e) => e.path === '/disconnect'), { timeout: 15000, what: 'disconnect callback' });
  const done = await uas;
  assert.equal(done.code, 0, done.stderr || done.stdout);
  assert.equal(since().find((e) => e.path === '/transfer-disconnect')?.cause, 'hangup');
  assert.equal(phoneA.stats.digits.map((d) => d.digit).join(''), '5', 'the verb after <Transfer> ran');
  assert.equal(since().find((e) => e.path === '/disconnect').cause, 'hangup');
  phoneA.close();
  phoneB.close();
});

test('transfer targets outside the account policy are refused without dialing; the BXML goes on', async () => {
  const appUrl = `http://127.0.0.1:${app.address().port}`;
  answerBxml = async () => '<Response><Transfer>'
    + `<PhoneNumber transferDisconnectUrl="${appUrl}/transfer-disconnect">+449876543210</PhoneNumber>`
    + `<SipUri transferDisconnectUrl="${appUrl}/transfer-disconnect">sip:bob@10.9.9.9:5060</SipUri>`
    + `</Transfer><SendDtmf>9</SendDtmf><Hangup/></Response>`;
  const { phones: [phoneA], uas, since } = await callTrunkPhones(1, { timeoutMs: 30000 });
  await until(async () => since().some((e) => e.path === '/disconnect'), { timeout: 15000, what: 'disconnect callback' });
  assert.equal((await uas).code, 0, 'only the A-leg reached the trunk, and it got the BYE of <Hangup>');
  const legs = since().filter((e) => e.path === '/transfer-disconnect');
  assert.equal(legs.length, 2);
  for (const leg of legs) {
    assert.equal(leg.cause, 'rejected');
    assert.match(leg.errorMessage, /not allowed/);
  }
  assert.equal(phoneA.stats.digits.map((d) => d.digit).join(''), '9', 'the verb after <Transfer> ran');
  assert.equal(since().find((e) => e.path === '/disconnect').cause, 'hangup');
  phoneA.close();
});

test('toll fraud: destinations outside the account policy and other accounts are refused; nothing is dialed', async () => {
  const appUrl = `http://127.0.0.1:${app.address().port}`;
  const body = { from: '+15550001111', to: '+449876543210', answerUrl: `${appUrl}/answer` };
  const r = await call(`${stack.sb.api()}/calls`, { method: 'POST', body });
  assert.equal(r.status, 403);
  assert.match(r.body.error || r.body.message, /destination|allowed/i);
  const other = await call(`${stack.sb.api({ id: '9900001' })}/calls`, {
    method: 'POST', body: { ...body, to: '+15551234567' }, account: { username: 'other-user', password: 'other-password-1' },
  });
  assert.equal(other.status, 403, 'an account without allowed destinations places nothing');
  const sipUri = await call(`${stack.sb.api()}/calls`, { method: 'POST', body: { ...body, to: 'sip:+15551234567@10.9.9.9:5060' } });
  assert.ok(sipUri.status === 403 || sipUri.status === 400, `status ${sipUri.status}`);
});

test('malformed BXML ends the call with a disconnect callback that says why', async () => {
  answerBxml = async () => '<Response><Dance/></Response>';
  const media = await phoneMedia();
  const uas = sipp({ target: '', scenario: 'uas_answer_media.xml', keys: { rtp_port: media.port }, timeoutMs: 30000, extra: ['-p', String(trunkPort)] });
  await new Promise((r) => setTimeout(r, 500));
  const before = events.length;
  await placeCall();
  await until(async () => events.slice(before).some((e) => e.path === '/disconnect'), { timeout: 15000, what: 'disconnect callback' });
  const disconnect = events.slice(before).find((e) => e.path === '/disconnect');
  assert.equal(disconnect.cause, 'invalid-bxml');
  // The reason names the verb's position, not the application's text (docs/security.md).
  assert.match(disconnect.errorMessage, /verb 1 .*unknown verb/);
  assert.equal((await uas).code, 0);
  media.close();
});

test('BXML PlayAudio and SendDtmf reach the phone, then Hangup ends the call', async () => {
  const appUrl = `http://127.0.0.1:${app.address().port}`;
  answerBxml = async () => `<?xml version="1.0" encoding="UTF-8"?><Response><PlayAudio>${appUrl}/tone.wav</PlayAudio><SendDtmf>42#</SendDtmf><Pause duration="0.5"/><Hangup/></Response>`;
  const media = await phoneMedia();
  const uas = sipp({ target: '', scenario: 'uas_answer_media.xml', keys: { rtp_port: media.port }, timeoutMs: 30000, extra: ['-p', String(trunkPort)] });
  await new Promise((r) => setTimeout(r, 500));
  const before = events.length;
  await placeCall();
  await until(async () => events.slice(before).some((e) => e.path === '/disconnect'), { timeout: 20000, what: 'disconnect callback' });
  assert.equal((await uas).code, 0, 'the phone got the BYE of <Hangup>');
  assert.ok(media.stats.energy > 5, `the tone reached the phone (energy ${media.stats.energy})`);
  assert.equal(media.stats.digits.map((d) => d.digit).join(''), '42#');
  assert.equal(events.slice(before).find((e) => e.path === '/disconnect').cause, 'hangup');
  media.close();
});

test('inbound: a call from the trunk to a configured number gets the initiate event and lands in the session', async () => {
  const s = await stack.session();
  const browserP = await stack.participant(s);
  const phoneP = await stack.participant(s);
  const page = await stack.device(browserP.token, { sdk: 'switchboard' });
  const sipPort = await stack.sb.sipPort();
  answerBxml = async (event) => ApiController.generateTransferBxml(phoneP.token, event.callId, `sip:127.0.0.1:${sipPort}`);
  const before = events.length;
  const media = await phoneMedia();
  const run = sipp({ target: `127.0.0.1:${sipPort}`, scenario: 'dialin_number.xml', keys: { rtp_port: media.port }, holdMs: 6000, extra: ['-s', '+15550100'] });
  await until(async () => media.stats.peer !== null, { timeout: 15000, what: 'call answered' });
  media.stream();
  await stack.hears(page, phoneP.id, { timeout: 15000 });
  const initiate = events.slice(before).find((e) => e.path === '/answer');
  assert.equal(initiate.eventType, 'initiate');
  assert.equal(initiate.direction, 'inbound');
  assert.equal(initiate.to, '+15550100');
  assert.equal((await run).code, 0);
  media.close();
  await page.close();
});
