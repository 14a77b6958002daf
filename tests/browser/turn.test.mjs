// TURN out of the box (issue 11): our SDK, told only `iceTransportPolicy: "relay"`, takes the ICE
// servers from the server's setMediaPreferences result (docs/protocol.md "ICE servers (TURN)") and
// its media flows through the coturn started from switchboard's own config; with a coturn whose
// secret differs, the SDK says clearly that the TURN server refused the credentials.
// Run inside the test network namespace: scripts/netns.sh exec node --test tests/browser/turn.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMediaStack, until } from './media-fixture.mjs';
import { netnsAddress } from '../support/media.mjs';
import { startCoturn, freeTurnPort, turnSection } from '../support/coturn.mjs';

let stack;
let coturn;
let turn;

before(async () => {
  // coturn on the namespace's veth address, where Janus's candidates are too (the relay reaches
  // Janus because the rendered config allows the listen address as a peer).
  const host = netnsAddress();
  const port = await freeTurnPort(host);
  turn = turnSection({ host, port, urls: [`turn:${host}:${port}?transport=udp`] });
  coturn = await startCoturn({ config: { turn } });
  stack = await startMediaStack({ config: { turn } });
  assert.ok(stack.hasOurSdk, 'web/dist/index.js is missing: run wasm/build.sh');
});
after(async () => {
  await stack?.stop();
  await coturn?.stop();
});

// The local and remote candidates of the selected pair of our SDK's "publish" or "subscribe"
// connection (W3C webrtc-stats: RTCTransportStats.selectedCandidatePairId).
async function selectedPair(page, which) {
  const stats = await page.evaluate((w) => window.rtc.getStats(w), which);
  const byId = new Map(stats.map((s) => [s.id, s]));
  const transport = stats.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
  const pair = transport ? byId.get(transport.selectedCandidatePairId)
    : stats.find((s) => s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded');
  if (!pair) return null;
  return { local: byId.get(pair.localCandidateId), remote: byId.get(pair.remoteCandidateId) };
}

function warningsOf(page) {
  const lines = [];
  page.on('console', (m) => { if (m.type() === 'warning' || m.type() === 'error') lines.push(m.text()); });
  return lines;
}

test('with iceTransportPolicy "relay" and no iceServers, media flows through coturn both ways', async () => {
  // A's publishing and subscribing connections are both relayed.
  const { pa, pb } = await stack.twoDevicesHear({
    a: { sdk: 'switchboard', options: { iceTransportPolicy: 'relay' }, alias: 'relayed' },
    b: { sdk: 'switchboard', alias: 'direct' },
  });
  const [first, last] = turn.relayPorts.split('-').map(Number);
  for (const which of ['publish', 'subscribe']) {
    let pair;
    await until(async () => (pair = await selectedPair(pa, which)) !== null, { what: `a selected pair on ${which}` });
    assert.equal(pair.local.candidateType, 'relay', `${which}: local candidate ${JSON.stringify(pair.local)}`);
    assert.equal(pair.local.address ?? pair.local.ip, coturn.host, `${which}: relayed by our coturn`);
    assert.ok(pair.local.port >= first && pair.local.port <= last, `${which}: relay port ${pair.local.port} in ${turn.relayPorts}`);
    assert.equal(pair.local.url, `turn:${coturn.host}:${coturn.port}?transport=udp`, `${which}: the server's TURN URL`);
  }
  await pa.close();
  await pb.close();
});

test('the stock SDK ignores the added iceServers and still hears and is heard', async () => {
  const { pa, pb } = await stack.twoDevicesHear({
    a: { sdk: 'stock', alias: 'stock' },
    b: { sdk: 'switchboard', options: { iceTransportPolicy: 'relay' }, alias: 'relayed' },
  });
  await pa.close();
  await pb.close();
});

test('a coturn with another secret: the SDK reports the refused credentials, publish does not hang', async () => {
  await coturn.stop();
  coturn = await startCoturn({ config: { turn: { ...turn, secret: 'another-secret-that-coturn-has' } } });
  const s = await stack.session();
  const a = await stack.participant(s);
  const pa = await stack.device(a.token, { sdk: 'switchboard', options: { iceTransportPolicy: 'relay' } });
  const warnings = warningsOf(pa);
  const published = await pa.evaluate(() => window.rtcPublish({ audio: true, video: false }, 'refused')
    .then(() => 'published', (e) => `error: ${e.message}`));
  assert.equal(published, 'published', 'publish() settles: it negotiates, ICE fails afterwards');
  await until(async () => warnings.some((w) => /refused the credentials/.test(w)),
    { timeout: 15000, what: 'a warning that the TURN server refused the credentials' });
  const line = warnings.find((w) => /refused the credentials/.test(w));
  assert.match(line, new RegExp(`turn:${coturn.host}:${coturn.port}\\?transport=udp failed \\(401`));
  assert.equal(await selectedPair(pa, 'publish'), null, 'no candidate pair works without TURN');
  await pa.close();
});
