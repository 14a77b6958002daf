// BXML <Bridge> (issue 9, item 4; dev.bandwidth.com/docs/voice/bxml/bridge): a call joins another
// active call of the same account; the two phones (sipp UASes behind the trunk, RTP sockets in
// this test) hear each other; when one side leaves, the other gets bridgeComplete or
// bridgeTargetComplete (never both) and runs the BXML it returns. Targets that cannot be bridged
// get the caller a bridgeComplete with cause "error" saying why. No Janus needed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { startSwitchboard, call, LOOPBACK_CALLBACKS } from '../support/server.mjs';
import { sipp, phoneMedia, freeUdpPort } from '../support/phone.mjs';
import { until } from '../support/api.mjs';
import { Bxml } from 'bandwidth-sdk';
import { tempDir } from '../support/tempdir.mjs';
import { startAppServer } from '../support/app-server.mjs';

const ACCOUNT = { id: '9900000', username: 'test-user', password: 'test-password-1', allowedDestinations: ['\\+1555\\d{7}'],
  maxCallsPerMinute: 60, allowedCallbackNetworks: LOOPBACK_CALLBACKS };
const OTHER = { id: '9900001', username: 'other-user', password: 'other-password-1', allowedDestinations: ['\\+1555\\d{7}'],
  maxCallsPerMinute: 60, allowedCallbackNetworks: LOOPBACK_CALLBACKS };

let sb;
let app;
let trunkPort;
const events = [];  // { path, ...body }
let reply = () => '<Response><Hangup/></Response>';

before(async () => {
  app = await startAppServer(({ url, event }) => {
    events.push({ path: url, ...event });
    return reply(url, event);
  });
  trunkPort = await freeUdpPort();
  sb = await startSwitchboard({
    config: { sipListen: '127.0.0.1:0', sipTrunk: `sip:127.0.0.1:${trunkPort}`, rtpPortMin: 45400, rtpPortMax: 45599, accounts: [ACCOUNT, OTHER] },
  });
});
after(async () => { await sb?.stop(); sb?.cleanup(); app?.close(); });

const appUrl = () => `http://127.0.0.1:${app.address().port}`;

function placeCall(account, to) {
  return call(`${sb.base}/v1/accounts/${account.id}/calls`, {
    method: 'POST', account,
    body: { from: '+15550001111', to, answerUrl: `${appUrl()}/answer`, disconnectUrl: `${appUrl()}/disconnect` },
  });
}

function hangUp(account, callId) {
  return call(`${sb.base}/v1/accounts/${account.id}/calls/${callId}`, { method: 'POST', account, body: { state: 'completed' } });
}

// Phones behind the trunk: the n-th INVITE is answered with the n-th phone's RTP port; each
// waits for switchboard's BYE.
async function trunkPhones(count) {
  const phones = [];
  for (let i = 0; i < count; i++) phones.push(await phoneMedia());
  const dir = tempDir('sb-bridge-');
  const csv = path.join(dir, 'ports.csv');
  writeFileSync(csv, `SEQUENTIAL\n${phones.map((p) => `${p.port};;`).join('\n')}\n`);
  const uas = sipp({ target: '', scenario: 'uas_answer_inf.xml', calls: count, timeoutMs: 40000, extra: ['-p', String(trunkPort), '-inf', csv] });
  await new Promise((r) => setTimeout(r, 400));
  return { phones, uas };
}

const since = (n) => events.slice(n);
const answered = (callId) => until(async () => events.some((e) => e.eventType === 'answer' && e.callId === callId),
  { timeout: 15000, what: `answer of ${callId}` });

// Places call A (the target, waiting in a long <Pause>) and then call B, whose answer runs `bBxml(aId)`.
async function twoCalls(bBxml, { aAccount = ACCOUNT, after = () => '' } = {}) {
  const { phones: [phoneA, phoneB], uas } = await trunkPhones(2);
  let aId = null;
  reply = (p, e) => {
    if (p !== '/answer') return reply.after(p, e);
    if (e.callId === aId) return '<Response><Pause duration="60"/><Hangup/></Response>';
    return bBxml(aId);
  };
  reply.after = after;
  const a = await placeCall(aAccount, '+15551230001');
  assert.equal(a.status, 201, JSON.stringify(a.body));
  aId = a.body.callId;
  await answered(aId);
  await until(async () => phoneA.stats.peer !== null, { timeout: 10000, what: 'RTP towards phone A' });
  phoneA.stream();
  // A is in its <Pause>: it hears silence.
  await new Promise((r) => setTimeout(r, 500));
  const quietA = phoneA.stats.energy;
  const b = await placeCall(ACCOUNT, '+15551230002');
  assert.equal(b.status, 201, JSON.stringify(b.body));
  await answered(b.body.callId);
  await until(async () => phoneB.stats.peer !== null, { timeout: 10000, what: 'RTP towards phone B' });
  phoneB.stream();
  return { phoneA, phoneB, uas, aId, bId: b.body.callId, quietA };
}

async function disconnected(callId) {
  await until(async () => events.some((e) => e.eventType === 'disconnect' && e.callId === callId),
    { timeout: 15000, what: `disconnect of ${callId}` });
  return events.find((e) => e.eventType === 'disconnect' && e.callId === callId);
}

test('<Bridge>: both phones hear each other; when the bridging call hangs up the target gets bridgeTargetComplete and runs its BXML', async (t) => {
  const start = events.length;
  // Written with Bandwidth's own BXML builder (bandwidth-sdk), every attribute it has.
  const { phoneA, phoneB, uas, aId, bId, quietA } = await twoCalls((a) => new Bxml.Response([new Bxml.Bridge(a, {
    bridgeCompleteUrl: '/bridge-complete', bridgeCompleteMethod: 'POST', bridgeCompleteFallbackUrl: '/fallback',
    bridgeCompleteFallbackMethod: 'POST', bridgeTargetCompleteUrl: '/bridge-target-complete', bridgeTargetCompleteMethod: 'POST',
    bridgeTargetCompleteFallbackUrl: '/fallback', bridgeTargetCompleteFallbackMethod: 'GET', username: 'u', password: 'p',
    fallbackUsername: 'fu', fallbackPassword: 'fp', tag: 'bridged' }), new Bxml.Hangup()]).toBxml());
  assert.ok(quietA < 0.01, `phone A heard nothing before the bridge (energy ${quietA})`);
  await until(async () => phoneB.stats.energy > 1, { timeout: 10000, what: `phone A's tone at phone B (energy ${phoneB.stats.energy})` });
  await until(async () => phoneA.stats.energy > 1, { timeout: 10000, what: `phone B's tone at phone A (energy ${phoneA.stats.energy})` });
  t.diagnostic(`energy before the bridge at A ${quietA.toFixed(4)}; after: at A ${phoneA.stats.energy.toFixed(1)}, at B ${phoneB.stats.energy.toFixed(1)}`);
  phoneA.sendDigit('7');
  await until(async () => phoneB.stats.digits.some((d) => d.digit === '7'), { timeout: 5000, what: 'digit 7 at phone B' });

  reply.after = (p) => (p === '/bridge-target-complete' ? '<Response><SendDtmf>9</SendDtmf><Hangup/></Response>' : '');
  assert.equal((await hangUp(ACCOUNT, bId)).status, 200);
  await until(async () => phoneA.stats.digits.some((d) => d.digit === '9'), { timeout: 10000, what: 'digit 9 (the bridgeTargetComplete BXML) at phone A' });
  const dA = await disconnected(aId);
  assert.equal(dA.cause, 'hangup');
  assert.equal((await disconnected(bId)).tag, 'bridged', '<Bridge tag> set the bridging call\'s tag');
  const done = await uas;
  assert.equal(done.code, 0, done.stderr || done.stdout);
  const got = since(start);
  const btc = got.filter((e) => e.path === '/bridge-target-complete');
  assert.equal(btc.length, 1);
  assert.equal(btc[0].eventType, 'bridgeTargetComplete');
  assert.equal(btc[0].callId, aId, 'sent for the target call');
  assert.equal(btc[0].accountId, ACCOUNT.id);
  assert.equal(btc[0].direction, 'outbound');
  assert.equal(btc[0].tag, undefined, 'the target keeps its own tag; <Bridge tag> is the bridging call\'s');
  for (const f of ['eventTime', 'from', 'to', 'callUrl', 'startTime', 'answerTime', 'applicationId']) assert.ok(f in btc[0], f);
  assert.equal(got.filter((e) => e.path === '/bridge-complete').length, 0, 'bridgeComplete is not sent when the bridging call leaves');
  phoneA.close();
  phoneB.close();
});

test('<Bridge>: when the target hangs up, the bridging call gets bridgeComplete and its BXML continues with the returned document', async () => {
  const start = events.length;
  const { phoneA, phoneB, uas, aId, bId } = await twoCalls((a) => `<Response><Bridge bridgeCompleteUrl="/bridge-complete" `
    + `bridgeTargetCompleteUrl="/bridge-target-complete">${a}</Bridge><SendDtmf>1</SendDtmf><Hangup/></Response>`);
  await until(async () => phoneA.stats.energy > 1 && phoneB.stats.energy > 1,
    { timeout: 10000, what: `both directions (energy ${phoneA.stats.energy} / ${phoneB.stats.energy})` });
  reply.after = (p) => (p === '/bridge-complete' ? '<Response><SendDtmf>4</SendDtmf><Hangup/></Response>' : '');
  assert.equal((await hangUp(ACCOUNT, aId)).status, 200);
  await until(async () => phoneB.stats.digits.some((d) => d.digit === '4'), { timeout: 10000, what: 'digit 4 (the bridgeComplete BXML) at phone B' });
  await disconnected(bId);
  assert.equal(phoneB.stats.digits.map((d) => d.digit).join(''), '4', 'the verbs after <Bridge> were replaced by the returned document');
  const done = await uas;
  assert.equal(done.code, 0, done.stderr || done.stdout);
  const got = since(start);
  const bc = got.filter((e) => e.path === '/bridge-complete');
  assert.equal(bc.length, 1);
  assert.equal(bc[0].eventType, 'bridgeComplete');
  assert.equal(bc[0].callId, bId);
  assert.equal(bc[0].cause, 'hangup');
  assert.equal(bc[0].errorMessage, undefined);
  assert.equal(got.filter((e) => e.path === '/bridge-target-complete').length, 0, 'bridgeTargetComplete is not sent when the target leaves');
  phoneA.close();
  phoneB.close();
});

test('<Bridge> to a call of another account or to no call: bridgeComplete with cause error says why, nothing is connected', async () => {
  const start = events.length;
  const { phoneA, phoneB, uas, aId, bId } = await twoCalls((a) => `<Response><Bridge bridgeCompleteUrl="/bridge-complete">${a}</Bridge></Response>`,
    { aAccount: OTHER, after: (p, e) => {
      if (p !== '/bridge-complete') return '';
      if (since(start).filter((x) => x.path === '/bridge-complete').length === 1)
        return '<Response><Bridge bridgeCompleteUrl="/bridge-complete">c-0123456789abcdef0123456789abcdef01234567</Bridge></Response>';
      return '<Response><Pause duration="1"/><Hangup/></Response>';
    } });
  await disconnected(bId);
  const bc = since(start).filter((e) => e.path === '/bridge-complete');
  assert.equal(bc.length, 2, JSON.stringify(bc));
  for (const e of bc) {
    assert.equal(e.eventType, 'bridgeComplete');
    assert.equal(e.callId, bId);
    assert.equal(e.cause, 'error');
    assert.match(e.errorMessage, /not an active call of this account/);
  }
  assert.ok(phoneA.stats.energy < 0.01 && phoneB.stats.energy < 0.01,
    `no audio crossed (energy ${phoneA.stats.energy} / ${phoneB.stats.energy})`);
  assert.equal((await hangUp(OTHER, aId)).status, 200);
  await disconnected(aId);
  const done = await uas;
  assert.equal(done.code, 0, done.stderr || done.stdout);
  phoneA.close();
  phoneB.close();
});

test('invalid <Bridge> (no target call id, unknown attribute) ends the call with invalid-bxml saying why', async () => {
  const { phones: [phone], uas } = await trunkPhones(1);
  reply = (p) => (p === '/answer' ? '<Response><Bridge bridgeCompleteUrl="/x" targetCallId="c-1"></Bridge></Response>' : '');
  const c = await placeCall(ACCOUNT, '+15551230003');
  const d = await disconnected(c.body.callId);
  assert.equal(d.cause, 'invalid-bxml');
  assert.match(d.errorMessage, /<Bridge>: unknown attribute/);
  const done = await uas;
  assert.equal(done.code, 0, done.stderr || done.stdout);
  phone.close();
});
