// Issue 9 item 0: the application-server code of Bandwidth's "phone calls in the browser"
// walkthrough runs unchanged against switchboard, base URLs and credentials aside. It creates a
// session and two participants with `@bandwidth/webrtc` 1.3.1 (one for the browser, one for the
// phone), places a call with `@bandwidth/voice` 5's ApiController.createCall({from, to,
// applicationId, answerUrl, answerMethod: "POST", callTimeout: 10}), and answers the answer
// callback with ApiController.generateTransferBxml(token) — whose target is Bandwidth's own SIP
// host, sip:sipx.webrtc.bandwidth.com:5060. A sipp phone behind the trunk answers; the browser
// must hear the phone's audio, and the phone the browser's.
//
// @bandwidth/voice 5 has no ApiCreateCallRequest class (the walkthrough was written for an
// earlier major version, where the class only wrapped the same fields): the body is the plain
// object with the walkthrough's fields.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { startMediaStack, until } from './media-fixture.mjs';
import { phoneMedia, sipp, freeUdpPort } from '../support/phone.mjs';
import { ACCOUNT, LOOPBACK_CALLBACKS } from '../support/server.mjs';

const require = createRequire(import.meta.url);
const BandwidthWebRTC = require('@bandwidth/webrtc');
const BandwidthVoice = require('@bandwidth/voice');
assert.equal(require('@bandwidth/webrtc/package.json').version, '1.3.1');

let stack;
let server;
let trunkPort;
const callbacks = [];

// The walkthrough's application server (its logic, with our URLs and credentials)
const accountId = ACCOUNT.id;
const applicationId = 'reference-app';
const voiceCallingNumber = '+15550001111';
let webRTCController;
let voiceController;
let callParticipant;  // the participant the phone call is transferred to

function makeControllers(sbBase) {
  webRTCController = new BandwidthWebRTC.ApiController(new BandwidthWebRTC.Client({
    basicAuthUserName: ACCOUNT.username, basicAuthPassword: ACCOUNT.password,
    environment: BandwidthWebRTC.Environment.Custom, baseUrl: `${sbBase}/v1`,
  }));
  voiceController = new BandwidthVoice.ApiController(new BandwidthVoice.Client({
    basicAuthUserName: ACCOUNT.username, basicAuthPassword: ACCOUNT.password,
    environment: BandwidthVoice.Environment.Custom, baseUrl: sbBase,
  }));
}

async function createParticipant(tag) {
  const r = await webRTCController.createParticipant(accountId, {
    callbackUrl: 'https://example.com', publishPermissions: [BandwidthWebRTC.PublishPermissionEnum.AUDIO], tag,
    deviceApiVersion: BandwidthWebRTC.DeviceApiVersionEnum.V3,
  });
  return r.result;
}

async function getSessionId() {
  const r = await webRTCController.createSession(accountId, { tag: 'hello-world' });
  return r.result.id;
}

async function addParticipantToSession(participantId, sessionId) {
  await webRTCController.addParticipantToSession(accountId, sessionId, participantId, { sessionId });
}

// GET /connectionInfo: a browser participant in the session.
async function connectionInfo(sessionId) {
  const { participant, token } = await createParticipant('hello-world-browser');
  await addParticipantToSession(participant.id, sessionId);
  return { participant, token };
}

// GET /callPhone: a participant for the phone in the session, then the call.
async function callPhone(sessionId, to, answerUrl) {
  callParticipant = await createParticipant('hello-world-phone');
  await addParticipantToSession(callParticipant.participant.id, sessionId);
  const body = { from: voiceCallingNumber, to, applicationId, answerUrl, answerMethod: 'POST', callTimeout: 10 };
  return (await voiceController.createCall(accountId, body)).result;
}

// POST /callAnswered: transfer the answered call into the session.
function callAnswered() {
  return BandwidthWebRTC.ApiController.generateTransferBxml(callParticipant.token);
}
// end of the walkthrough's server

before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      callbacks.push({ path: req.url, ...(body ? JSON.parse(body) : {}) });
      res.setHeader('content-type', 'application/xml');
      res.end(req.url === '/callAnswered' ? callAnswered() : '');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  trunkPort = await freeUdpPort();
  stack = await startMediaStack({
    config: {
      sipListen: '127.0.0.1:0', sipTrunk: `sip:127.0.0.1:${trunkPort}`, rtpPortMin: 46000, rtpPortMax: 46199,
      accounts: [{ ...ACCOUNT, allowedDestinations: ['\\+1555\\d{7}'], maxCallsPerMinute: 60, allowedCallbackNetworks: LOOPBACK_CALLBACKS }],
    },
  });
  makeControllers(stack.sb.base);
});
after(async () => { await stack?.stop(); server?.close(); });

test('the walkthrough: createCall, generateTransferBxml to sipx.webrtc.bandwidth.com, the browser and the phone hear each other', async () => {
  assert.match(callAnswered.toString(), /generateTransferBxml\(callParticipant\.token\)/);
  const sessionId = await getSessionId();
  const browser = await connectionInfo(sessionId);
  const page = await stack.device(browser.token, { sdk: stack.hasOurSdk ? 'switchboard' : 'stock' });
  await page.evaluate(() => window.rtcPublish({ audio: true, video: false }, 'mic'));

  const phone = await phoneMedia();
  const uas = sipp({ target: '', scenario: 'uas_answer_media.xml', keys: { rtp_port: phone.port }, timeoutMs: 60000, extra: ['-p', String(trunkPort)] });
  await new Promise((r) => setTimeout(r, 500));
  const t0 = Date.now();
  const created = await callPhone(sessionId, '+15551234567', `http://127.0.0.1:${server.address().port}/callAnswered`);
  assert.match(created.callId, /^c-/);
  assert.equal(created.callTimeout, 10);
  assert.equal(created.applicationId, applicationId);

  await until(async () => phone.stats.peer !== null, { timeout: 15000, what: 'RTP towards the phone' });
  phone.stream();
  const answer = await until(async () => callbacks.find((c) => c.path === '/callAnswered'), { what: 'the answer callback' });
  assert.equal(answer.eventType, 'answer');
  assert.equal(answer.callId, created.callId);
  assert.match(callAnswered(), /<SipUri uui="[^"]+;encoding=jwt">sip:sipx\.webrtc\.bandwidth\.com:5060<\/SipUri>/);

  // The phone's tone reaches the browser through the session; the browser's audio reaches the phone.
  await stack.hears(page, callParticipant.participant.id, { timeout: 20000 });
  console.log(`createCall to the browser hearing the phone: ${Date.now() - t0} ms`);
  const before = phone.stats.energy;
  await until(async () => phone.stats.energy > before + 1, { timeout: 15000, what: `the browser's audio at the phone (energy ${phone.stats.energy})` });
  const state = (await voiceController.getCall(accountId, created.callId)).result;
  assert.equal(state.state, 'answered');

  await voiceController.modifyCall(accountId, created.callId, { state: 'completed' });
  const done = await uas;
  assert.equal(done.code, 0, done.stderr || done.stdout);
  await until(async () => !(await stack.receives(page, callParticipant.participant.id)), { what: 'the phone stream gone' });
  phone.close();
  await page.close();
});
