// A switchboard behind 1:1 NAT (issue 11): with publicAddress set, the SIP bridge tells phones
// the public address — SDP o=/c=, Contact, Via — while its sockets stay on sipListen/rtpAddress.
// The "public" address is 127.0.0.77, so nothing can leave loopback; sipp checks the messages
// (tests/sip/scenarios/number_public_address.xml) and the test checks where RTP comes from.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSwitchboard, call, LOOPBACK_CALLBACKS } from '../support/server.mjs';
import { sipp, freeUdpPort, phoneMedia, udpBound } from '../support/phone.mjs';
import { until } from '../support/api.mjs';
import { startAppServer } from '../support/app-server.mjs';

const ACCOUNT = { id: '9900000', username: 'test-user', password: 'test-password-1', allowedCallbackNetworks: LOOPBACK_CALLBACKS,
  allowedDestinations: ['\\+1555\\d{7}'] };
const NUMBER = '+15550107777';
const PUBLIC = '127.0.0.77';

let app;
let sb;
let trunkPort;
const events = [];

before(async () => {
  app = await startAppServer(({ url, event }) => {
    events.push({ path: url, ...event });
    // Answered (Pause plays silence), then switchboard hangs up: its BYE shows its Via.
    const answered = url === '/initiate' || url === '/answer';
    return answered ? '<Response><Pause duration="1"/><Hangup/></Response>' : '';
  });
  const appUrl = `http://127.0.0.1:${app.address().port}`;
  trunkPort = await freeUdpPort();
  sb = await startSwitchboard({
    config: {
      sipListen: '127.0.0.1:0', sipTrunk: `sip:127.0.0.1:${trunkPort}`, rtpAddress: '127.0.0.1', rtpPortMin: 46600,
      rtpPortMax: 46799, publicAddress: PUBLIC, accounts: [ACCOUNT],
      voiceNumbers: [{ number: NUMBER, accountId: ACCOUNT.id, initiateUrl: `${appUrl}/initiate`, disconnectUrl: `${appUrl}/disconnect` }],
    },
  });
});

after(async () => {
  await sb?.stop();
  const logs = sb?.logs() ?? '';
  sb?.cleanup();
  app?.close();
  assert.doesNotMatch(logs, /Sanitizer|runtime error:/);
});

test('publicAddress: the answer\'s SDP, Contact and Via name the public address; RTP still comes from rtpAddress', async (t) => {
  const phone = await phoneMedia();
  t.after(() => phone.close());  // an open socket would keep the test process alive on failure
  const sipPort = await sb.sipPort();
  const uac = sipp({ target: `127.0.0.1:${sipPort}`, scenario: 'number_public_address.xml', keys: { rtp_port: phone.port },
    extra: ['-s', NUMBER], timeoutMs: 20000 });
  await until(async () => phone.stats.peer !== null, { timeout: 15000, what: 'RTP from switchboard towards the phone' });
  const r = await uac;
  assert.equal(r.code, 0, `sipp found the public address in the 200 OK (o=, c=, Contact) and the BYE's Via: ${r.stderr || r.stdout}`);
  // The socket is bound to rtpAddress: the public address is only written, never bound.
  assert.equal(phone.stats.peer.address, '127.0.0.1');
  await until(async () => events.some((e) => e.path === '/disconnect'), { timeout: 5000, what: 'disconnect callback' });
});

test('publicAddress: a call the voice API places offers the public address (SDP o=/c=, Contact, Via, From)', async (t) => {
  const phone = await phoneMedia();
  t.after(() => phone.close());
  const uas = sipp({ target: '', scenario: 'uas_public_address.xml', keys: { rtp_port: phone.port }, timeoutMs: 20000,
    extra: ['-p', String(trunkPort)] });
  t.after(() => uas.kill());
  await udpBound(trunkPort);
  const appUrl = `http://127.0.0.1:${app.address().port}`;
  const r = await call(`${sb.base}/v1/accounts/${ACCOUNT.id}/calls`, {
    method: 'POST', account: ACCOUNT,
    body: { from: '+15550001111', to: '+15551234567', answerUrl: `${appUrl}/answer`, disconnectUrl: `${appUrl}/disconnect` },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const done = await uas;
  assert.equal(done.code, 0, `sipp found the public address in the INVITE: ${done.stderr || done.stdout}`);
  assert.equal(phone.stats.peer?.address, '127.0.0.1', 'RTP comes from rtpAddress');
});
