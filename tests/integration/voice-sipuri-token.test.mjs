// A <SipUri> whose uui carries a participant token goes into that participant's session
// whatever its host — Bandwidth's generateTransferBxml targets sip:sipx.webrtc.bandwidth.com:5060
// (issue 9 item 0) — and is never dialed out through the trunk: neither a valid token of the
// account, nor one of another account, nor an invalid one. A sipp UAS behind the trunk answers
// the A-legs and records every SIP message it gets; its INVITEs are counted at the end (and the
// last one shows createCall's displayName in From).
// (No Janus here: the valid token's join fails at the media step, after the routing decision
// this file is about; tests/browser/voice-reference-flow.test.mjs runs the whole flow.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { startSwitchboard, call, ACCOUNT, OTHER_ACCOUNT, LOOPBACK_CALLBACKS } from '../support/server.mjs';
import { sipp, freeUdpPort } from '../support/phone.mjs';
import { until, createParticipant, createSession, addToSession } from '../support/api.mjs';
import { tempDir } from '../support/tempdir.mjs';
import { startAppServer } from '../support/app-server.mjs';

const MAIN = { ...ACCOUNT, allowedDestinations: ['\\+1555\\d{7}', 'sip:.*'], maxCallsPerMinute: 60, allowedCallbackNetworks: LOOPBACK_CALLBACKS };
const OTHER = { ...OTHER_ACCOUNT, allowedCallbackNetworks: LOOPBACK_CALLBACKS };

let sb;
let app;
let trunkPort;
let rtp;
let uas;
let messageFile;
const events = [];
let answer = () => '<Response><Hangup/></Response>';
// One A-leg per case below plus a last control call; a leaked transfer INVITE would be one more.
const CALLS = 6;

before(async () => {
  app = await startAppServer(({ url, event }) => {
    events.push({ path: url, ...event });
    return url === '/answer' ? answer(event) : '';
  });
  trunkPort = await freeUdpPort();
  rtp = dgram.createSocket('udp4');
  await new Promise((r) => rtp.bind(0, '127.0.0.1', r));
  sb = await startSwitchboard({
    config: { sipListen: '127.0.0.1:0', sipTrunk: `sip:127.0.0.1:${trunkPort}`, rtpPortMin: 45400, rtpPortMax: 45599, accounts: [MAIN, OTHER] },
  });
  const dir = tempDir('sb-trunk-');
  const csv = path.join(dir, 'ports.csv');
  messageFile = path.join(dir, 'messages.log');
  writeFileSync(csv, `SEQUENTIAL\n${Array.from({ length: CALLS + 2 }, () => `${rtp.address().port};;`).join('\n')}\n`);
  uas = sipp({ target: '', scenario: 'uas_answer_inf.xml', calls: CALLS + 2, timeoutMs: 60000,
    extra: ['-p', String(trunkPort), '-inf', csv, '-trace_msg', '-message_file', messageFile] });
  await new Promise((r) => setTimeout(r, 500));
});
after(async () => { await sb?.stop(); sb?.cleanup(); app?.close(); rtp?.close(); await uas; });

const appUrl = () => `http://127.0.0.1:${app.address().port}`;

// Places a call whose answer callback returns a <Transfer> to `sipUri` with `uui`, then <Hangup/>;
// returns the transferDisconnect event of its one leg and the call's final state.
async function transferCall(sipUri, uui) {
  answer = () => `<Response><Transfer><SipUri uui="${uui}" transferDisconnectUrl="${appUrl()}/transfer-disconnect">${sipUri}</SipUri>`
    + '</Transfer><Hangup/></Response>';
  const created = await call(`${sb.base}/api/v2/accounts/${MAIN.id}/calls`, {
    method: 'POST', account: MAIN,
    body: { from: '+15550001111', to: '+15551234567', applicationId: 'app', answerUrl: `${appUrl()}/answer`, answerMethod: 'POST', callTimeout: 10 },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const callId = created.body.callId;
  const leg = await until(async () => events.find((e) => e.path === '/transfer-disconnect' && e.parentCallId === callId),
    { timeout: 15000, what: `transferDisconnect of ${callId}` });
  const state = await until(async () => {
    const r = await call(`${sb.base}/api/v2/accounts/${MAIN.id}/calls/${callId}`, { account: MAIN });
    return r.body.state === 'disconnected' ? r.body : null;
  }, { timeout: 15000, what: `call ${callId} to end` });
  return { leg, state };
}

function invitesAtTrunk() {
  if (!existsSync(messageFile)) return 0;
  const ids = new Set();
  // sipp's -trace_msg: "----- time", "UDP message received [n] bytes :", blank, the message.
  for (const block of readFileSync(messageFile, 'utf8').split(/^-{10,}.*$/m)) {
    if (!/message received/.test(block) || !/^INVITE sip:/m.test(block)) continue;
    const id = /^Call-ID:\s*(.+)$/mi.exec(block);
    if (id) ids.add(id[1].trim());
  }
  return ids.size;
}

test('a valid token of the account: the transfer targets its session, not the trunk, whatever the host', async () => {
  const session = await createSession(sb, {}, MAIN);
  const p = await createParticipant(sb, { publishPermissions: ['AUDIO'] }, MAIN);
  await addToSession(sb, session.id, p.participant.id, undefined, MAIN);
  // Bandwidth's SIPX name, any other host, and even the trunk itself: the token decides.
  for (const host of ['sip:sipx.webrtc.bandwidth.com:5060', 'sip:pbx.example.com', `sip:+15557654321@127.0.0.1:${trunkPort}`]) {
    const { leg, state } = await transferCall(host, `${p.token};encoding=jwt`);
    assert.equal(state.disconnectCause, 'hangup', 'the BXML went on after the transfer');
    // No media server here: the join fails at the media step, after the routing decision.
    assert.doesNotMatch(leg.errorMessage ?? '', /token|account|trunk/i, JSON.stringify(leg));
    assert.equal(leg.transferTo, host);
  }
});

test('a token of another account is refused and not dialed out', async () => {
  const session = await createSession(sb, {}, OTHER);
  const p = await createParticipant(sb, { publishPermissions: ['AUDIO'] }, OTHER);
  await addToSession(sb, session.id, p.participant.id, undefined, OTHER);
  const { leg } = await transferCall('sip:sipx.webrtc.bandwidth.com:5060', `${p.token};encoding=jwt`);
  assert.equal(leg.cause, 'rejected');
  assert.match(leg.errorMessage, /another account/);
});

test('an invalid token is refused and not dialed out', async () => {
  const { leg } = await transferCall('sip:sipx.webrtc.bandwidth.com:5060', 'eyJhbGciOiJIUzI1NiJ9.eyJ4IjoxfQ.c2lnbmF0dXJl;encoding=jwt');
  assert.equal(leg.cause, 'rejected');
  assert.ok(leg.errorMessage, 'the leg says why');
});

test('the trunk got one INVITE per call and none for the transfers', async () => {
  // A control call through the trunk: proves the message trace records INVITEs.
  answer = () => '<Response><Hangup/></Response>';
  const created = await call(`${sb.base}/api/v2/accounts/${MAIN.id}/calls`, {
    method: 'POST', account: MAIN,
    body: { from: '+15550001111', to: '+15551234567', applicationId: 'app', answerUrl: `${appUrl()}/answer`, displayName: 'Front "Desk" \\ 1' },
  });
  assert.equal(created.status, 201);
  await until(async () => invitesAtTrunk() >= CALLS, { timeout: 15000, what: `${CALLS} INVITEs in the trace (have ${invitesAtTrunk()})` });
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(invitesAtTrunk(), CALLS, 'no transfer leg reached the trunk');
  // createCall's displayName is the From display name, as an RFC 3261 quoted-string.
  assert.match(readFileSync(messageFile, 'utf8'), /^From: "Front \\"Desk\\" \\\\ 1" <sip:\+15550001111@127\.0\.0\.1>;tag=/m);
});
