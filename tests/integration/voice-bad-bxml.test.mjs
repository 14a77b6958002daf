// Bad BXML ends the call and says why (issue 9, "How it is tested"): an unknown verb, bad attribute
// values, deep nesting and an oversized document each end the call with a disconnect callback whose
// cause and errorMessage name the problem (GET of the call says it too, without quoting the document); the
// server stays up. A <Redirect> loop is cut after callbackMaxRedirects hops, saying why.
// A sipp UAS behind the trunk answers each call.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { startSwitchboard, call, LOOPBACK_CALLBACKS } from '../support/server.mjs';
import { sipp, freeUdpPort } from '../support/phone.mjs';
import { until } from '../support/api.mjs';
import { tempDir } from '../support/tempdir.mjs';
import { startAppServer } from '../support/app-server.mjs';

const ACCOUNT = { id: '9900000', username: 'test-user', password: 'test-password-1', allowedDestinations: ['\\+1555\\d{7}'],
  maxCallsPerMinute: 120, allowedCallbackNetworks: LOOPBACK_CALLBACKS };

let sb;
let app;
let trunkPort;
let rtp;
const events = [];
let answer = '<Response><Hangup/></Response>';
let routes = {};  // path → BXML for the callbacks after the answer

before(async () => {
  app = await startAppServer(({ url, event }) => {
    events.push({ path: url, ...event });
    return url === '/answer' ? answer : routes[url];
  });
  trunkPort = await freeUdpPort();
  rtp = dgram.createSocket('udp4');
  await new Promise((r) => rtp.bind(0, '127.0.0.1', r));
  sb = await startSwitchboard({
    config: { sipListen: '127.0.0.1:0', sipTrunk: `sip:127.0.0.1:${trunkPort}`, rtpPortMin: 45400, rtpPortMax: 45599, accounts: [ACCOUNT] },
  });
});
after(async () => { await sb?.stop(); sb?.cleanup(); app?.close(); rtp?.close(); });

const appUrl = () => `http://127.0.0.1:${app.address().port}`;

function trunkPhone(calls) {
  const dir = tempDir('sb-trunk-');
  const csv = path.join(dir, 'ports.csv');
  writeFileSync(csv, `SEQUENTIAL\n${Array.from({ length: calls }, () => `${rtp.address().port};;`).join('\n')}\n`);
  return sipp({ target: '', scenario: 'uas_answer_inf.xml', calls, timeoutMs: 30000, extra: ['-p', String(trunkPort), '-inf', csv] });
}

const nest = (depth) => `<Response>${'<Gather>'.repeat(depth)}${'</Gather>'.repeat(depth)}</Response>`;

const CASES = [
  { name: 'an unknown verb', bxml: '<Response><Dance style="tango"/></Response>', message: /unknown verb|<…>/ },
  { name: 'a bad attribute value', bxml: '<Response><Pause duration="forever"/></Response>', message: /Pause.*duration/ },
  { name: 'an attribute out of range', bxml: '<Response><SendDtmf toneDuration="1">1</SendDtmf></Response>', message: /SendDtmf.*toneDuration/ },
  { name: 'deep nesting', bxml: nest(3000), message: /nest|Gather/ },
  { name: 'an oversized document', bxml: `<Response>${'<Pause duration="0.1"/>'.repeat(4000)}</Response>`, message: /too large|bytes/ },
  { name: 'not XML', bxml: '<Response><Hangup></Response>', message: /XML|parse/ },
];

test('each kind of bad BXML ends the call with a disconnect callback saying why', async () => {
  const uas = trunkPhone(CASES.length);
  await new Promise((r) => setTimeout(r, 300));
  for (const c of CASES) {
    answer = c.bxml;
    const before = events.length;
    const created = await call(`${sb.base}/v1/accounts/${ACCOUNT.id}/calls`, {
      method: 'POST', account: ACCOUNT,
      body: { from: '+15550001111', to: '+15551234567', answerUrl: `${appUrl()}/answer`, disconnectUrl: `${appUrl()}/disconnect` },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const disconnect = await until(async () => events.slice(before).find((e) => e.path === '/disconnect'),
      { timeout: 15000, what: `disconnect callback for ${c.name}` });
    assert.equal(disconnect.eventType, 'disconnect');
    assert.equal(disconnect.callId, created.body.callId);
    assert.equal(disconnect.cause, 'invalid-bxml', `${c.name}: ${JSON.stringify(disconnect)}`);
    assert.match(disconnect.errorMessage, c.message, c.name);
    // The call's state (readable by anyone with the account's API credentials) says why too, but
    // never quotes what the application's server sent (the disconnect callback goes back to it).
    const state = await call(`${sb.base}/v1/accounts/${ACCOUNT.id}/calls/${created.body.callId}`, { account: ACCOUNT });
    assert.equal(state.body.state, 'disconnected');
    assert.equal(state.body.disconnectCause, 'invalid-bxml');
    assert.ok(state.body.errorMessage, `${c.name}: GET says why`);
    assert.ok(!/tango|forever/.test(state.body.errorMessage), `${c.name}: GET quotes the document: ${state.body.errorMessage}`);
  }
  await uas;
  assert.equal((await fetch(`${sb.base}/healthz`)).status, 200);
});

test('a <Redirect> loop ends after callbackMaxRedirects (default 10) hops with a disconnect callback saying why', async () => {
  const uas = trunkPhone(1);
  await new Promise((r) => setTimeout(r, 300));
  answer = '<Response><Redirect redirectUrl="/loop"/></Response>';
  routes = { '/loop': '<Response><Tag>looping</Tag><Redirect redirectUrl="/loop"/></Response>' };
  const before = events.length;
  const created = await call(`${sb.base}/v1/accounts/${ACCOUNT.id}/calls`, {
    method: 'POST', account: ACCOUNT,
    body: { from: '+15550001111', to: '+15551234567', answerUrl: `${appUrl()}/answer`, disconnectUrl: `${appUrl()}/disconnect` },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const disconnect = await until(async () => events.slice(before).find((e) => e.path === '/disconnect'),
    { timeout: 15000, what: 'disconnect callback of the looping call' });
  const mine = events.slice(before).filter((e) => e.callId === created.body.callId);
  // The answer callback and 10 redirects to /loop: the 11th <Redirect> in a row is not followed.
  assert.deepEqual(mine.map((e) => e.path), ['/answer', ...Array(10).fill('/loop'), '/disconnect']);
  assert.ok(mine.filter((e) => e.path === '/loop').every((e) => e.eventType === 'redirect'));
  assert.equal(disconnect.eventType, 'disconnect');
  assert.equal(disconnect.cause, 'application-error', JSON.stringify(disconnect));
  assert.equal(disconnect.errorMessage, 'more than 10 <Redirect>s in a row without anything played or waited for (redirect loop?)');
  assert.equal(disconnect.tag, 'looping');
  const state = await call(`${sb.base}/v1/accounts/${ACCOUNT.id}/calls/${created.body.callId}`, { account: ACCOUNT });
  assert.equal(state.body.disconnectCause, 'application-error');
  assert.match(state.body.errorMessage, /redirect loop/);
  const done = await uas;
  assert.equal(done.code, 0, done.stderr || done.stdout);
  routes = {};
});
