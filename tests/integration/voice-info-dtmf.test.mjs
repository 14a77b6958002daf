// DTMF sent as SIP INFO (issue 9, info): a sipp phone behind the trunk answers switchboard's call
// and sends its key presses as in-dialog INFO requests (application/dtmf-relay and
// application/dtmf) while the call runs <Gather>. The application server is the test's HTTP
// server; its gather callback picks the branch. sipp itself checks switchboard's replies
// (415 with Accept, 400, 481, 200; 413 and 503 under the limits) and fails otherwise.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { startSwitchboard, call, LOOPBACK_CALLBACKS } from '../support/server.mjs';
import { sipp, freeUdpPort, phoneMedia, udpBound } from '../support/phone.mjs';
import { until } from '../support/api.mjs';
import { tempDir } from '../support/tempdir.mjs';
import { startAppServer } from '../support/app-server.mjs';

const ACCOUNT = { id: '9900000', username: 'test-user', password: 'test-password-1', allowedDestinations: ['\\+1555\\d{7}'],
  maxCallsPerMinute: 120, allowedCallbackNetworks: LOOPBACK_CALLBACKS };

let app;
const events = [];  // { path, at, ...body }
let routes = {};    // path → BXML (string) or function(event) → BXML

before(async () => {
  app = await startAppServer(({ path: p, event }) => {
    events.push({ path: p, at: Date.now(), ...event });
    const route = routes[p];
    return typeof route === 'function' ? route(event) : route;
  });
});
after(() => app?.close());

const appUrl = (p) => `http://127.0.0.1:${app.address().port}${p}`;
const eventAt = (p, callId) => events.find((e) => e.path === p && e.callId === callId);
const waitEvent = (p, callId, timeout = 20000) => until(async () => eventAt(p, callId), { timeout, what: `${p} callback` });

// A switchboard with a trunk on a free port; `config` adds keys.
async function server(config = {}) {
  const trunkPort = await freeUdpPort();
  const sb = await startSwitchboard({
    config: { sipListen: '127.0.0.1:0', sipTrunk: `sip:127.0.0.1:${trunkPort}`, rtpPortMin: 47200, rtpPortMax: 47399,
      accounts: [ACCOUNT], ...config },
  });
  return { sb, trunkPort };
}

async function stop(sb) {
  await sb.stop();
  const logs = sb.logs();
  sb.cleanup();
  assert.doesNotMatch(logs, /Sanitizer|runtime error:/);
}

// The phone behind the trunk runs `scenario`; its RTP is `media`'s socket.
function infoPhone(trunkPort, media, scenario) {
  const dir = tempDir('sb-info-');
  const csv = path.join(dir, 'ports.csv');
  writeFileSync(csv, `SEQUENTIAL\n${media.port};\n`);
  return sipp({ target: '', scenario, timeoutMs: 30000, extra: ['-p', String(trunkPort), '-inf', csv] });
}

async function placeCall(sb) {
  const r = await call(`${sb.base}/v1/accounts/${ACCOUNT.id}/calls`, {
    method: 'POST', account: ACCOUNT,
    body: { from: '+15550001111', to: '+15551234567', answerUrl: appUrl('/answer'), disconnectUrl: appUrl('/disconnect') },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.callId;
}

test('IVR: digits sent as SIP INFO (dtmf-relay, dtmf, Signal=11 for #) reach the Gather and its branch', async () => {
  const { sb, trunkPort } = await server();
  try {
    const media = await phoneMedia();
    routes = {
      '/answer': '<Response><Gather gatherUrl="/gather" terminatingDigits="#" maxDigits="5" interDigitTimeout="10"'
        + ' firstDigitTimeout="15"><SpeakSentence>Enter your code, then press pound.</SpeakSentence></Gather>'
        + '<Hangup/></Response>',
      '/gather': (e) => (e.digits === '42' ? '<Response><Redirect redirectUrl="/code-42"/></Response>'
        : '<Response><Hangup/></Response>'),
      '/code-42': '<Response><SpeakSentence>Welcome.</SpeakSentence><Hangup/></Response>',
    };
    const phone = infoPhone(trunkPort, media, 'uas_info_dtmf.xml');
    await udpBound(trunkPort);
    const callId = await placeCall(sb);
    await waitEvent('/answer', callId);
    media.stream();
    const gather = await waitEvent('/gather', callId);
    assert.equal(gather.eventType, 'gather');
    assert.equal(gather.digits, '42');             // Signal=4 (dtmf-relay), then "2" (application/dtmf)
    assert.equal(gather.terminatingDigit, '#');    // Signal=11
    assert.equal(gather.callId, callId);
    await waitEvent('/code-42', callId);           // the branch continued
    const disconnect = await waitEvent('/disconnect', callId);
    assert.equal(disconnect.cause, 'hangup');
    const r = await phone;
    // sipp exits 0 only if every reply was the expected one: 415 (with Accept naming
    // application/dtmf-relay) for text/plain, 400 for Signal=Z, 481 for unknown dialog tags, 200s.
    assert.equal(r.code, 0, `sipp: ${r.stdout.slice(-1500)}${r.stderr}`);
    media.close();
  } finally {
    await stop(sb);
  }
});

test('INFO limits: a body over sipInfoMaxBodyBytes gets 413, INFO past sipInfoPerSecond gets 503 and no digit', async () => {
  const { sb, trunkPort } = await server({ sipInfoPerSecond: 2, sipInfoMaxBodyBytes: 64 });
  try {
    const media = await phoneMedia();
    routes = {
      '/answer': '<Response><Gather gatherUrl="/gather" maxDigits="3" interDigitTimeout="10" firstDigitTimeout="15"/>'
        + '</Response>',
      '/gather': '<Response><Hangup/></Response>',
    };
    const phone = infoPhone(trunkPort, media, 'uas_info_flood.xml');
    await udpBound(trunkPort);
    const callId = await placeCall(sb);
    await waitEvent('/answer', callId);
    media.stream();
    const gather = await waitEvent('/gather', callId);
    // 9 (413: too big) and 2 (503: over the rate) never became digits; 1, then 3 and 4 after the refill.
    assert.equal(gather.digits, '134');
    const r = await phone;
    assert.equal(r.code, 0, `sipp: ${r.stdout.slice(-1500)}${r.stderr}`);
    media.close();
  } finally {
    await stop(sb);
  }
});

test('an INFO outside any call gets 481; the server goes on answering', async () => {
  const { sb } = await server();
  try {
    const sipPort = await sb.sipPort();
    const r = await sipp({ target: `127.0.0.1:${sipPort}`, scenario: 'uac_info_outside.xml', calls: 3, timeoutMs: 10000 });
    assert.equal(r.code, 0, `sipp: ${r.stdout.slice(-1500)}${r.stderr}`);
    const health = await fetch(`${sb.base}/healthz`);
    assert.equal(health.status, 200);
  } finally {
    await stop(sb);
  }
});

test('sipInfoPerSecond and sipInfoMaxBodyBytes out of range are refused at start', async () => {
  for (const [key, value] of [['sipInfoPerSecond', 1001], ['sipInfoMaxBodyBytes', 8], ['sipInfoMaxBodyBytes', 4096]]) {
    await assert.rejects(startSwitchboard({ config: { [key]: value } }), new RegExp(key));
  }
});
