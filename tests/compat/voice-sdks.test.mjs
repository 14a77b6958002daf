// Bandwidth's Voice SDKs against the real switchboard binary, with only their base URL and
// credentials changed (issue 9): `@bandwidth/voice` 5 (APIMatic, ApiController) and
// `bandwidth-sdk` 8 (OpenAPI generator, CallsApi) create, read, redirect, replace the BXML of and
// hang up calls to a sipp phone behind the trunk; their errors carry Bandwidth's fields; and each
// SDK's BXML builders produce documents that switchboard runs through a real call (the call-control
// verbs here; the others in voice-sdk-verbs.test.mjs).
//
// Base URLs: @bandwidth/voice appends /api/v2/accounts/… to `baseUrl` (Environment.Custom);
// bandwidth-sdk appends /accounts/… to `basePath`, which must end in /api/v2.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startSwitchboard, call, ACCOUNT, LOOPBACK_CALLBACKS } from '../support/server.mjs';
import { sipp, phoneMedia, freeUdpPort } from '../support/phone.mjs';
import { until, createParticipant } from '../support/api.mjs';
import { toneWav } from '../support/wav.mjs';
import { startAppServer } from '../support/app-server.mjs';

const require = createRequire(import.meta.url);
const v5 = require('@bandwidth/voice');
const v8 = require('bandwidth-sdk');
assert.equal(require('@bandwidth/voice/package.json').version.split('.')[0], '5');
assert.equal(require('bandwidth-sdk/package.json').version.split('.')[0], '8');

const MAIN = { ...ACCOUNT, allowedDestinations: ['\\+1555\\d{7}'], maxCallsPerMinute: 60, allowedCallbackNetworks: LOOPBACK_CALLBACKS };
const FROM = '+15550001111';
const TO = '+15551234567';
const B_LEG = '+15557654321';


// Each SDK behind one interface: `api` for calls, `bxml(verbs)` for a document.
const SDKS = {
  '@bandwidth/voice 5': {
    client: (base) => new v5.Client({
      basicAuthUserName: MAIN.username, basicAuthPassword: MAIN.password, environment: v5.Environment.Custom, baseUrl: base, timeout: 5000,
    }),
    async create(c, body) { return (await new v5.ApiController(c).createCall(MAIN.id, body)).result; },
    async get(c, id) { return (await new v5.ApiController(c).getCall(MAIN.id, id)).result; },
    async update(c, id, body) { return (await new v5.ApiController(c).modifyCall(MAIN.id, id, body)).statusCode; },
    async replace(c, id, doc) { return (await new v5.ApiController(c).modifyCallBxml(MAIN.id, id, doc)).statusCode; },
    list: null,  // @bandwidth/voice 5 has no listCalls
    // APIMatic errors (ES5 subclasses of Error): statusCode and the parsed body in `result`.
    error: (e) => ({ status: e.statusCode, body: e.result }),
    bxml: (verbs) => new v5.Response(...verbs).toBxml(),
  },
  'bandwidth-sdk 8': {
    client: (base) => new v8.CallsApi(new v8.Configuration({ username: MAIN.username, password: MAIN.password, basePath: `${base}/api/v2` })),
    async create(c, body) { return (await c.createCall(MAIN.id, body)).data; },
    async get(c, id) { return (await c.getCallState(MAIN.id, id)).data; },
    async update(c, id, body) { return (await c.updateCall(MAIN.id, id, body)).status; },
    async replace(c, id, doc) { return (await c.updateCallBxml(MAIN.id, id, doc)).status; },
    async list(c, q = {}) { return (await c.listCalls(MAIN.id, q.to, q.from)).data; },
    // axios errors: the response's status and body.
    error: (e) => ({ status: e.response?.status, body: e.response?.data }),
    bxml: (verbs) => new v8.Bxml.Response(verbs).toBxml(),
  },
};

// The call-control verbs, as each SDK builds them: [name, @bandwidth/voice 5, bandwidth-sdk 8]. The
// IVR, recording, Bridge and Forward verbs are built with both SDKs in voice-sdk-verbs.test.mjs.
// `ctx`: { app, token }. The first document ends with a <Redirect> to /after, which returns the second.
const FIRST = [
  ['Tag', () => new v5.Tag({ value: 'compat' }), () => new v8.Bxml.Tag('compat')],
  ['Pause', () => new v5.Pause({ duration: 0.2 }), () => new v8.Bxml.Pause({ duration: 0.2 })],
  ['Ring', () => new v5.Ring({ duration: 0.2 }), () => new v8.Bxml.Ring({ duration: 0.2 })],
  ['PlayAudio', (ctx) => new v5.PlayAudio({ url: `${ctx.app}/tone.wav` }), (ctx) => new v8.Bxml.PlayAudio(`${ctx.app}/tone.wav`)],
  ['SendDtmf', () => new v5.SendDtmf({ dtmf: '12' }), () => new v8.Bxml.SendDtmf('12')],
  ['Redirect', (ctx) => new v5.Redirect({ redirectUrl: `${ctx.app}/after` }), (ctx) => new v8.Bxml.Redirect({ redirectUrl: `${ctx.app}/after` })],
];
const SECOND = [
  ['Transfer+SipUri', (ctx) => new v5.Transfer({ sipUris: [new v5.Transfer.SipUri({ sipUri: 'sip:sipx.webrtc.bandwidth.com:5060', uui: `${ctx.token};encoding=jwt`, transferDisconnectUrl: `${ctx.app}/leg-end` })] }),
    (ctx) => new v8.Bxml.Transfer({}, [new v8.Bxml.SipUri('sip:sipx.webrtc.bandwidth.com:5060', { uui: `${ctx.token};encoding=jwt`, transferDisconnectUrl: `${ctx.app}/leg-end` })])],
  ['Transfer+PhoneNumber', (ctx) => new v5.Transfer({ transferCallerId: FROM, phoneNumbers: [new v5.Transfer.PhoneNumber({ number: B_LEG, transferDisconnectUrl: `${ctx.app}/leg-end` })] }),
    (ctx) => new v8.Bxml.Transfer({ transferCallerId: FROM }, [new v8.Bxml.PhoneNumber(B_LEG, { transferDisconnectUrl: `${ctx.app}/leg-end` })])],
  ['Hangup', () => new v5.Hangup(), () => new v8.Bxml.Hangup()],
];

let sb;
let app;
let appUrl;
let trunkPort;
let uas;
let phones = [];
const events = [];
let answers = {};  // path → (event) => BXML

before(async () => {
  app = await startAppServer(({ path: route, event }) => {
    events.push({ path: route, ...event });
    if (route === '/tone.wav') return toneWav();
    return answers[route] ? answers[route](event) : '';
  });
  appUrl = `http://127.0.0.1:${app.address().port}`;
  trunkPort = await freeUdpPort();
  sb = await startSwitchboard({
    config: { sipListen: '127.0.0.1:0', sipTrunk: `sip:127.0.0.1:${trunkPort}`, rtpPortMin: 45600, rtpPortMax: 45799, accounts: [MAIN] },
  });
  // In INVITE order, per SDK: the API test's phone, the BXML test's phone, its transfer B-leg
  // (which hangs up 3 s after answering, ending the transfer).
  const roles = [];
  for (let i = 0; i < Object.keys(SDKS).length; i++) roles.push('', '', 'bye');
  for (const role of roles) phones.push(Object.assign(await phoneMedia(), { role }));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sb-trunk-'));
  const csv = path.join(dir, 'ports.csv');
  writeFileSync(csv, `SEQUENTIAL\n${phones.map((p) => `${p.port};${p.role};`).join('\n')}\n`);
  uas = sipp({ target: '', scenario: 'uas_answer_inf.xml', calls: phones.length, timeoutMs: 120000, extra: ['-p', String(trunkPort), '-inf', csv] });
  await new Promise((r) => setTimeout(r, 500));
});
after(async () => {
  await sb?.stop();
  sb?.cleanup();
  app?.close();
  for (const p of phones) p.close();
  const done = await uas;
  assert.equal(done?.code, 0, `the trunk's phones saw every call through: ${done?.stderr || done?.stdout}`);
});

const eventsOf = (callId) => events.filter((e) => e.callId === callId || e.parentCallId === callId);

async function stateOf(sdk, c, callId, want) {
  return until(async () => {
    const s = await sdk.get(c, callId);
    return want(s) ? s : null;
  }, { timeout: 15000, what: `call ${callId}: ${want}` });
}

let phoneIndex = 0;
for (const [name, sdk] of Object.entries(SDKS)) {
  describe(name, () => {
    test('create, read, redirect, replace the BXML, hang up', async () => {
      const c = sdk.client(sb.base);
      const phone = phones[phoneIndex++];
      answers['/answer'] = () => '<Response><Pause duration="60"/></Response>';
      answers['/redirected'] = () => '<Response><Pause duration="60"/></Response>';
      const created = await sdk.create(c, {
        from: FROM, to: TO, applicationId: 'app-compat', answerUrl: `${appUrl}/answer`, answerMethod: 'POST',
        disconnectUrl: `${appUrl}/disconnect`, callTimeout: 10, callbackTimeout: 5, tag: 'first', displayName: 'Compat Test', priority: 3,
      });
      assert.match(created.callId, /^c-[0-9a-f]{8}-/);
      assert.equal(created.accountId, MAIN.id);
      assert.equal(created.applicationId, 'app-compat');
      assert.equal(created.callUrl, `${sb.base}/api/v2/accounts/${MAIN.id}/calls/${created.callId}`);
      assert.equal(created.callTimeout, 10);
      assert.equal(created.callbackTimeout, 5);
      assert.equal(created.priority, 3);
      assert.equal(created.tag, 'first');
      const id = created.callId;

      const answered = await stateOf(sdk, c, id, (s) => s.state === 'answered');
      assert.equal(answered.direction, 'outbound');
      assert.equal(answered.from, FROM);
      assert.equal(answered.to, TO);
      await until(async () => eventsOf(id).some((e) => e.eventType === 'answer'), { what: 'answer event' });
      await until(async () => phone.stats.peer !== null, { timeout: 10000, what: 'RTP at the phone' });

      assert.equal(await sdk.update(c, id, { state: 'active', redirectUrl: `${appUrl}/redirected`, tag: 'second' }), 200);
      const redirect = await until(async () => eventsOf(id).find((e) => e.path === '/redirected'), { what: 'redirect event' });
      assert.equal(redirect.eventType, 'redirect');
      assert.equal(redirect.tag, 'second');

      assert.equal(await sdk.replace(c, id, '<?xml version="1.0" encoding="UTF-8"?><Response><Tag>replaced</Tag><SendDtmf>9</SendDtmf><Pause duration="60"/></Response>'), 204);
      // (@bandwidth/voice 5's CallState model has no `tag`: read it without the SDK.)
      await until(async () => (await call(`${sb.base}/api/v2/accounts/${MAIN.id}/calls/${id}`, { account: MAIN })).body.tag === 'replaced',
        { what: 'the replaced document\'s tag' });
      await until(async () => phone.stats.digits.some((d) => d.digit === '9'), { timeout: 5000, what: 'the replaced document\'s digit at the phone' });

      if (sdk.list) {
        const listed = await sdk.list(c, { to: TO });
        assert.ok(listed.some((s) => s.callId === id && s.state === 'answered'), JSON.stringify(listed));
      }

      assert.equal(await sdk.update(c, id, { state: 'completed' }), 200);
      const ended = await stateOf(sdk, c, id, (s) => s.state === 'disconnected');
      assert.equal(ended.disconnectCause, 'hangup');
      const disconnect = await until(async () => eventsOf(id).find((e) => e.path === '/disconnect'), { what: 'disconnect event' });
      assert.equal(disconnect.cause, 'hangup');
      assert.equal(disconnect.tag, 'replaced');
    });

    test('errors carry Bandwidth\'s type and description', async () => {
      const c = sdk.client(sb.base);
      const missing = await sdk.get(c, 'c-00000000-00000000-0000-0000-0000-000000000000').then(() => null, sdk.error);
      assert.equal(missing?.status, 404);
      assert.equal(missing.body.type, 'not-found');
      assert.match(missing.body.description, /was not found/);
      const refused = await sdk.create(c, {
        from: FROM, to: TO, applicationId: 'a', answerUrl: `${appUrl}/answer`, machineDetection: { mode: 'async' },
      }).then(() => null, sdk.error);
      assert.equal(refused?.status, 400);
      assert.equal(refused.body.type, 'validation');
      assert.match(refused.body.description, /machineDetection/);
    });

    test('BXML builders: every verb runs in a real call', async () => {
      const c = sdk.client(sb.base);
      const phone = phones[phoneIndex++];
      const bLeg = phones[phoneIndex++];
      const p = await createParticipant(sb, { publishPermissions: ['AUDIO'] }, MAIN);
      const ctx = { app: appUrl, token: p.token };
      const pick = (row) => (name === '@bandwidth/voice 5' ? row[1] : row[2])(ctx);
      const first = sdk.bxml(FIRST.map(pick));
      const second = sdk.bxml(SECOND.map(pick));
      answers['/answer'] = () => first;
      answers['/after'] = () => second;
      const created = await sdk.create(c, { from: FROM, to: TO, applicationId: 'app-compat', answerUrl: `${appUrl}/answer`, disconnectUrl: `${appUrl}/disconnect` });
      const id = created.callId;
      await until(async () => phone.stats.peer !== null, { timeout: 10000, what: 'RTP at the phone' });
      phone.stream();
      const ended = await stateOf(sdk, c, id, (s) => s.state === 'disconnected');
      const mine = eventsOf(id);
      assert.equal(ended.disconnectCause, 'hangup', `every verb ran (${ended.errorMessage ?? ''})\n${first}\n${second}`);
      // Tag, then Redirect: the redirect event carries the tag; the document at /after ran.
      const redirect = mine.find((e) => e.path === '/after');
      assert.equal(redirect?.eventType, 'redirect');
      assert.equal(redirect.tag, 'compat');
      // PlayAudio and SendDtmf reached the phone.
      assert.ok(phone.stats.energy > 1, `the tone at the phone (energy ${phone.stats.energy})`);
      assert.deepEqual(phone.stats.digits.map((d) => d.digit).slice(0, 2), ['1', '2']);
      // Both transfers ran: the session one (which has no media server to join here) and the
      // trunk one, whose phone answered, then hung up.
      // (Callbacks are delivered on their own: the last may land just after the call reads as ended.)
      await until(async () => eventsOf(id).filter((e) => e.path === '/leg-end').length >= 2, { timeout: 5000, what: 'both transfer legs ended' })
        .catch(() => {});
      const legs = eventsOf(id).filter((e) => e.path === '/leg-end');
      assert.equal(legs.length, 2, JSON.stringify(legs));
      assert.equal(legs[0].transferTo, 'sip:sipx.webrtc.bandwidth.com:5060');
      assert.equal(legs[1].transferTo, B_LEG);
      assert.equal(legs[1].cause, 'hangup');
      assert.ok(bLeg.stats.peer !== null, 'the B-leg phone got RTP');
      // The disconnect callback, too, may land just after the call reads as disconnected.
      const disconnect = await until(async () => eventsOf(id).find((e) => e.path === '/disconnect'), { timeout: 5000, what: 'disconnect event' });
      assert.equal(disconnect.cause, 'hangup');
    });
  });
}

test('bad credentials: 401 with Bandwidth\'s error type', async () => {
  const r = await call(`${sb.base}/api/v2/accounts/${MAIN.id}/calls`, { account: { ...MAIN, password: 'wrong-password' } });
  assert.equal(r.status, 401);
  assert.equal(r.body.type, 'authentication-error');
});
