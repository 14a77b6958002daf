// Janus replies are validated (issue 8, item 6): a malformed reply to a device's offer — not
// JSON, wrong types, missing fields, a huge message — fails that offer with a JSON-RPC error; the
// server keeps running and the next well-formed exchange works. A fake Janus (tests/support/
// fake-janus.mjs) answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { readFileSync } from 'node:fs';
import { startSwitchboard, call } from '../support/server.mjs';
import { startFakeJanus, goodPublishReply } from '../support/fake-janus.mjs';
import { until } from '../support/api.mjs';

const OFFER = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 0.0.0.0', 'a=mid:0', 'a=sendonly', 'a=msid:stream-a track-a', 'a=rtpmap:111 opus/48000/2', 'a=ice-ufrag:abcd',
  'a=ice-pwd:abcdabcdabcdabcdabcdabcd',
  'a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF',
  'a=setup:actpass', ''].join('\r\n');

// Each offer with a stream id of its own: a device may not publish one another device of the
// session publishes (docs/protocol.md `offerSdp`).
let offers = 0;
const offer = () => OFFER.replace('a=msid:stream-a', `a=msid:stream-${++offers}`);

let sb;
let janus;
let sessionId;

before(async () => {
  janus = await startFakeJanus();
  // Every offer here is a new participant of the same session.
  sb = await startSwitchboard({ config: { janusUrl: janus.url, maxParticipantsPerSession: 100 } });
  sessionId = (await call(`${sb.api()}/sessions`, { method: 'POST', body: {} })).body.id;
  await until(() => janus.received.some((m) => m.janus === 'attach'), { what: 'switchboard to attach to the fake Janus' });
});
after(async () => { await sb?.stop(); sb?.cleanup(); await janus?.close(); });

async function device() {
  const created = (await call(`${sb.api()}/participants`, { method: 'POST', body: { publishPermissions: ['AUDIO'] } })).body;
  const put = await call(`${sb.api()}/sessions/${sessionId}/participants/${created.participant.id}`, { method: 'PUT', body: { sessionId } });
  assert.equal(put.status, 204);
  const ws = new WebSocket(`ws://127.0.0.1:${sb.port}/v3/?token=${created.token}&client=test&sdkVersion=1.0&uniqueId=u-1`);
  await new Promise((r, j) => { ws.on('open', r); ws.on('error', j); });
  let nextId = 1;
  const replies = new Map();
  ws.on('message', (d) => {
    const m = JSON.parse(String(d));
    if (m.id !== undefined && replies.has(m.id)) replies.get(m.id)(m);
  });
  return {
    ws,
    rpc(method, params, timeout = 15000) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no reply to ${method}`)), timeout);
        replies.set(id, (m) => { clearTimeout(t); resolve(m); });
        ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
      });
    },
  };
}

function rssKb() {
  return Number(readFileSync(`/proc/${sb.proc.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]);
}

async function healthy() {
  assert.equal((await fetch(`${sb.base}/healthz`)).status, 200);
  assert.equal(sb.proc.exitCode, null, 'switchboard is still running');
}

async function offerGets(reply) {
  janus.publishReply = reply;
  const d = await device();
  const r = await d.rpc('offerSdp', { sdpOffer: offer() });
  d.ws.close();
  return r;
}

test('a well-formed exchange works (the fake Janus is good enough)', async () => {
  const r = await offerGets(goodPublishReply);
  assert.ok(r.result, JSON.stringify(r.error));
  assert.match(r.result.sdpAnswer, /^v=0/);
});

test('malformed replies fail the offer with a JSON-RPC error; the server goes on', async () => {
  const good = goodPublishReply;
  const malformed = {
    'publisher id of the wrong type': (c) => ({ ...good(c), plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'joined', id: 'seven' } } }),
    'negative publisher id': (c) => ({ ...good(c), plugindata: { plugin: 'janus.plugin.videoroom', data: { videoroom: 'joined', id: -1 } } }),
    'jsep that is a string': (c) => ({ ...good(c), jsep: 'v=0' }),
    'jsep without sdp': (c) => ({ ...good(c), jsep: { type: 'answer' } }),
    'sdp of the wrong type': (c) => ({ ...good(c), jsep: { type: 'answer', sdp: 42 } }),
    'plugindata.data an array': (c) => ({ ...good(c), plugindata: { plugin: 'x', data: [1, 2] } }),
    'plugindata a string': (c) => ({ ...good(c), plugindata: 'joined' }),
    'janus field a number': (c) => ({ ...good(c), janus: 7 }),
    'error that is not an object': (c) => ({ janus: 'error', transaction: c.transaction, error: 'boom' }),
    'plugin error with wrong types': (c) => ({ janus: 'event', transaction: c.transaction, plugindata: { data: { error_code: 'x', error: {} } } }),
  };
  for (const [what, reply] of Object.entries(malformed)) {
    const r = await offerGets(reply);
    assert.ok(r.error, `${what}: expected an error, got ${JSON.stringify(r.result)}`);
    assert.equal(r.error.code, -32002, `${what}: ${JSON.stringify(r.error)}`);
    await healthy();
  }
  const ok = await offerGets(goodPublishReply);
  assert.ok(ok.result, `after the malformed replies: ${JSON.stringify(ok.error)}`);
});

test('a reply that is not JSON, or one with a transaction of the wrong type, times out that request only', async () => {
  for (const reply of [() => '{not json', (c) => ({ ...goodPublishReply(c), transaction: 12345 })]) {
    const started = Date.now();
    const r = await offerGets(reply);
    assert.equal(r.error?.code, -32002, JSON.stringify(r));
    assert.match(r.error.message, /did not answer in time/);
    assert.ok(Date.now() - started < 14000);
    await healthy();
  }
  assert.ok((await offerGets(goodPublishReply)).result);
});

test('events with a malformed sender or jsep are ignored', async () => {
  // Sent unsolicited after the good reply: an event for a handle given as a string, and one
  // whose jsep is not an object.
  janus.publishReply = goodPublishReply;
  const d = await device();
  const r = await d.rpc('offerSdp', { sdpOffer: offer() });
  assert.ok(r.result);
  const sock = [...janus.sockets()][0];
  sock.send(JSON.stringify({ janus: 'event', sender: 'abc', plugindata: { data: {} } }));
  sock.send(JSON.stringify({ janus: 'event', sender: 101, plugindata: { data: {} }, jsep: [1] }));
  sock.send(JSON.stringify({ janus: 'webrtcup', sender: { id: 1 } }));
  sock.send(JSON.stringify({ janus: 'hangup', sender: 1.5 }));
  await new Promise((res) => setTimeout(res, 300));
  await healthy();
  d.ws.close();
});

test('a huge message drops the Janus connection (not the server); it reconnects and works', async () => {
  const sessionsBefore = janus.sessions;
  const rssBefore = rssKb();
  for (let i = 0; i < 5; i++) {
    const r = await offerGets((c) => ({ ...goodPublishReply(c), padding: 'x'.repeat(8 * 1024 * 1024) }));
    assert.equal(r.error?.code, -32002, JSON.stringify(r));
    await healthy();
    await until(() => janus.received.filter((m) => m.janus === 'attach').length > 0 && janus.sessions > sessionsBefore + i,
      { what: 'a new Janus session', timeout: 10000 });
    await new Promise((res) => setTimeout(res, 300));
  }
  // Five 8 MiB messages were refused at the 1 MiB limit: memory did not take them in.
  const grown = rssKb() - rssBefore;
  console.log(`# RSS growth after five 8 MiB Janus messages: ${grown} kB`);
  assert.ok(grown < 16 * 1024, `RSS grew by ${grown} kB`);
  await until(() => janus.sessions > sessionsBefore && janus.received.filter((m) => m.janus === 'attach').length > 0,
    { what: 'a new Janus session', timeout: 10000 });
  // The device of the next offer works once the control handle is attached again.
  await new Promise((res) => setTimeout(res, 500));
  const ok = await offerGets(goodPublishReply);
  assert.ok(ok.result, JSON.stringify(ok.error));
});
