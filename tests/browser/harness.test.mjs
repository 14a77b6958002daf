// Proves the browser/media test harness itself, before any Switchboard code is involved:
//  (a) Janus starts inside the test namespace with only the websockets transport and videoroom plugin;
//  (b) a tiny node relay between two Chromium pages and a Janus VideoRoom carries page A's fake
//      microphone to page B (totalAudioEnergy > 0 on B's <audio>);
//  (c) every ICE candidate (and c= address) in Janus's SDP is the namespace's veth address;
//  (d) the stock Bandwidth SDK bundle builds, its page loads without errors, and it opens the
//      device WebSocket with the documented URL shape.
// Must run inside the namespace:  scripts/netns.sh exec node --test tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocketServer } from 'ws';
import {
  assertInTestNetns, netnsAddress, NETNS, startJanus, JanusClient, sdpCandidates, sdpConnectionAddresses,
} from '../support/media.mjs';
import {
  launchChromium, startStaticServer, audioEnergy, waitFor, until, selectedCandidatePairs,
} from '../support/browser.mjs';
import { buildStockSdk } from './build-stock-sdk.mjs';

let janus;
let browser;
let web;
let vethAddr;

before(async () => {
  assertInTestNetns();
  vethAddr = netnsAddress();
  [janus, browser, web] = await Promise.all([startJanus({ netns: true }), launchChromium(), startStaticServer()]);
});

after(async () => {
  await browser?.close();
  await web?.close();
  await janus?.stop();
});

function assertOnlyVethAddresses(sdp, what) {
  const cands = sdpCandidates(sdp);
  assert.ok(cands.length > 0, `${what}: Janus offered no candidate:\n${sdp}`);
  for (const c of cands) {
    assert.equal(c.address, vethAddr, `${what}: candidate address ${c.address} is not the veth address`);
    assert.equal(c.type, 'host', `${what}: unexpected candidate type ${c.type}`);
  }
  for (const a of sdpConnectionAddresses(sdp)) {
    assert.ok(a === vethAddr || a === '0.0.0.0', `${what}: c= address ${a} (expected ${vethAddr})`);
  }
  assert.doesNotMatch(sdp, /\b127\.\d+\.\d+\.\d+\b/, `${what}: a loopback address appears in the SDP`);
  assert.doesNotMatch(sdp, /IP6|[0-9a-f]{1,4}::[0-9a-f]/i, `${what}: an IPv6 address appears in the SDP`);
}

test('(a) Janus runs in the namespace with only websockets + videoroom', async () => {
  assert.equal(janus.info.janus, 'server_info');
  assert.equal(janus.info.version_string, '1.1.2');
  assert.deepEqual(Object.keys(janus.info.transports), ['janus.transport.websockets']);
  assert.deepEqual(Object.keys(janus.info.plugins), ['janus.plugin.videoroom']);
  assert.deepEqual(Object.keys(janus.info.events || {}), []);
  assert.deepEqual(Object.keys(janus.info.loggers || {}), []);
  assert.equal(janus.info['ice-lite'], false, 'full ICE: DTLS starts sooner (config/janus/README.md)');
  assert.match(janus.wsUrl, /^ws:\/\/127\.0\.0\.1:\d+$/);
  const log = janus.logs();
  assert.match(log, new RegExp(`Adding '${NETNS.nsIf}' to the ICE enforce list`));
  assert.match(log, new RegExp(`Using ${vethAddr.replace(/\./g, '\\.')} as local IP`));
});

test('(b)+(c) page A -> Janus VideoRoom -> page B carries audio; Janus offers only the veth address', async () => {
  const jc = await JanusClient.connect(janus.wsUrl);
  try {
    await jc.createSession();
    const admin = await jc.attach();
    const room = 100000 + Math.floor(Math.random() * 900000);
    const created = await jc.message(admin, {
      request: 'create', room, admin_key: janus.adminKey, audiocodec: 'opus', publishers: 4,
    });
    assert.equal(created.data.videoroom, 'created');
    // Without the admin_key, creating rooms is refused (admin_key is set in the template).
    await assert.rejects(jc.message(admin, { request: 'create', room: room + 1 }), /plugin error/);

    const [pageA, pageB] = await Promise.all([browser.newTestPage(), browser.newTestPage()]);
    await Promise.all([pageA.goto(`${web.url}/rtc-peer.html`), pageB.goto(`${web.url}/rtc-peer.html`)]);

    // Publisher: join, then publish with the full offer (no trickle, no candidates).
    const pubH = await jc.attach();
    const joined = await jc.message(pubH, { request: 'join', ptype: 'publisher', room, display: 'A' });
    assert.equal(joined.data.videoroom, 'joined');
    const feed = joined.data.id;
    const offer = await pageA.evaluate(() => window.publishOffer());
    assert.equal(sdpCandidates(offer).length, 0, 'the page offer should carry no candidates');
    const webrtcUp = jc.waitEvent((m) => m.janus === 'webrtcup' && m.sender === pubH, 10000);
    const published = await jc.message(pubH, { request: 'publish' }, { type: 'offer', sdp: offer });
    assert.equal(published.data.configured, 'ok');
    assert.equal(published.jsep?.type, 'answer');
    assertOnlyVethAddresses(published.jsep.sdp, 'publisher answer');
    await pageA.evaluate((sdp) => window.applyAnswer(sdp), published.jsep.sdp);
    await webrtcUp; // subscribing earlier gets 428 "No such feed"

    // Subscriber: join with the feed, answer Janus's offer, start.
    const subH = await jc.attach();
    const attached = await jc.message(subH, { request: 'join', ptype: 'subscriber', room, streams: [{ feed }] });
    assert.equal(attached.data.videoroom, 'attached');
    assert.equal(attached.jsep?.type, 'offer');
    assertOnlyVethAddresses(attached.jsep.sdp, 'subscriber offer');
    const answer = await pageB.evaluate((sdp) => window.answerOffer(sdp), attached.jsep.sdp);
    const started = await jc.message(subH, { request: 'start' }, { type: 'answer', sdp: answer });
    assert.equal(started.data.started, 'ok');

    // B plays A's audio: wait for decoded energy on B's <audio>.
    const audioSel = '#remotes audio';
    await waitFor(pageB, (sel) => document.querySelector(sel), 10000, audioSel);
    const stats = await until(async () => {
      const s = await audioEnergy(pageB, audioSel);
      return s && s.packetsReceived > 0 && s.totalAudioEnergy > 0 ? s : null;
    }, { timeout: 10000, what: 'audio energy on page B' });
    assert.ok(stats.totalSamplesReceived > 0);
    assert.match(stats.tracks[0].codec, /opus/i);

    // Both pages' selected pairs stay inside the namespace; Janus's side is the veth address.
    for (const [name, page] of [['A', pageA], ['B', pageB]]) {
      const pairs = await selectedCandidatePairs(page);
      assert.equal(pairs.length, 1, `${name}: one peer connection`);
      assert.equal(pairs[0].state, 'connected', `${name}: connected`);
      assert.equal(pairs[0].remote.address, vethAddr, `${name}: remote candidate`);
      assert.ok([vethAddr, '127.0.0.1'].includes(pairs[0].local.address), `${name}: local candidate ${pairs[0].local.address}`);
    }
    assert.deepEqual(pageA.errors, []);
    assert.deepEqual(pageB.errors, []);

    await jc.message(admin, { request: 'destroy', room, admin_key: janus.adminKey });
    await Promise.all([pageA.context().close(), pageB.context().close()]);
  } finally {
    jc.close();
  }
});

test('(d) the stock SDK bundle builds, loads, and opens /v3/?token=… on websocketUrl', async () => {
  const { warnings } = await buildStockSdk();
  assert.deepEqual(warnings.map((w) => w.text), []);

  // A stand-in for the device signaling endpoint: answers setMediaPreferences and records the rest.
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((r) => wss.once('listening', r));
  const seen = { url: null, messages: [] };
  wss.on('connection', (ws, req) => {
    seen.url = req.url;
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data));
      seen.messages.push(msg);
      if (msg.method === 'setMediaPreferences' && msg.id !== undefined) {
        ws.send(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: {} }));
      } else if (msg.method === 'offerSdp') {
        ws.send(JSON.stringify({ jsonrpc: '2.0', id: msg.id, error: { code: -32000, message: 'stand-in refuses offers' } }));
      }
    });
  });
  const page = await browser.newTestPage();
  try {
    await page.goto(`${web.url}/stock-sdk.html`);
    await waitFor(page, () => window.stockReady === true && typeof window.connectStock === 'function', 10000);
    const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ a: '9900000', p: 'p-1', v: 'v3' })}.c2ln`;
    const base = `ws://127.0.0.1:${wss.address().port}`;
    await page.evaluate(([t, u]) => window.connectStock(t, u, { publish: false }), [token, base]);

    const url = new URL(seen.url, base);
    assert.equal(url.pathname, '/v3/');
    assert.equal(url.searchParams.get('token'), token);
    assert.equal(url.searchParams.get('client'), 'browser');
    assert.equal(url.searchParams.get('sdkVersion'), '0.12.0-beta.1');
    assert.match(url.searchParams.get('uniqueId'), /^[0-9a-f-]{36}$/);
    assert.deepEqual(seen.messages[0], { jsonrpc: '2.0', method: 'setMediaPreferences', params: { protocol: 'WEBRTC' }, id: seen.messages[0].id });

    await page.evaluate(() => window.disconnectStock());
    await until(() => seen.messages.some((m) => m.method === 'leave'), { timeout: 5000, what: 'leave' });
    assert.deepEqual(page.errors, []);
    assert.deepEqual((await page.evaluate(() => window.__events)).map((e) => e.type), ['connected', 'disconnected']);

    // publish(): the SDK's peer connection is visible in window.__pcs (through webrtc-adapter's
    // wrapping too) and its first offer is the data-channel-only one (janus-notes, follow-up §0).
    seen.messages = [];
    // (the SDK rejects with the raw JSON-RPC error object; the page records its message)
    await assert.rejects(page.evaluate(([t, u]) => window.connectStock(t, u), [token, base]));
    const last = (await page.evaluate(() => window.__events)).at(-1);
    assert.deepEqual([last.type, last.message], ['error', 'stand-in refuses offers']);
    const offer = seen.messages.find((m) => m.method === 'offerSdp');
    assert.ok(offer, 'offerSdp was sent');
    assert.match(offer.params.sdpOffer, /^v=0/);
    assert.match(offer.params.sdpOffer, /m=application \d+ UDP\/DTLS\/SCTP webrtc-datachannel/);
    assert.doesNotMatch(offer.params.sdpOffer, /m=audio/);
    assert.deepEqual(offer.params.mediaMetadata.mediaStreams, {});
    assert.equal(await page.evaluate(() => window.__pcs.length), 1);
  } finally {
    await page.context().close();
    for (const c of wss.clients) c.terminate();
    await new Promise((r) => wss.close(r));
  }
});
