// Issue 11, "How it is tested", first bullet: Switchboard used from another computer. A server
// namespace (switchboard, Janus, coturn) and a laptop namespace (Chromium) joined by a veth
// (scripts/twohost.sh). The page comes from https:// on the server's address with a certificate of
// a CA this test makes and only the test's browser trusts; it publishes its microphone and hears
// another participant: directly, relayed through coturn when the application asks for
// iceTransportPolicy "relay", and over TURN/TCP when the laptop's network drops UDP. Wrong TURN
// credentials give a clear error from the SDK instead of a hang.
//
// Run: scripts/twohost.sh up && scripts/twohost.sh exec server node --test tests/twohost/
// (`make twohost`, part of `make test`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TWOHOST, blockUdpFromLaptop, droppedPackets, launchLaptopChromium, unblockLaptop } from './topology.mjs';
import { MEDIA_PORTS, RELAY_PORTS, TURN_PORT, inRange, selectedPairs, startTwoHostStack, until } from './stack.mjs';
import { tempDir } from '../support/tempdir.mjs';

let stack;
before(async () => { stack = await startTwoHostStack(); });
after(async () => {
  unblockLaptop();
  await stack?.stop();
});

// Two laptop devices in one session, each publishing its (fake) microphone; resolves when each
// hears the other. Returns their pages.
async function twoTalking(options = {}) {
  const s = await stack.session();
  const a = await stack.participant(s);
  const b = await stack.participant(s);
  const pages = [];
  for (const p of [a, b]) {
    const page = await stack.device(p.token, options);
    assert.ok(page.connectResult.ok, `connect failed: ${JSON.stringify(page.connectResult)}`);
    await page.evaluate(() => window.rtcPublish({ audio: true, video: false }));
    pages.push(page);
  }
  await stack.hears(pages[0], b.id);
  await stack.hears(pages[1], a.id);
  return pages;
}

// Every connected peer connection of the pages (each device publishes on one and receives on
// another), with its selected pair.
async function pairsOf(pages) {
  const all = [];
  for (const page of pages) all.push(...(await selectedPairs(page)).filter((p) => p.state === 'connected'));
  assert.equal(all.length, 2 * pages.length, `connected peer connections: ${JSON.stringify(all)}`);
  return all;
}

// The far end of every pair is Janus on the server: its one host candidate, in the media ports.
function assertJanusRemote(pair) {
  assert.equal(pair.remote.address, TWOHOST.serverAddr, JSON.stringify(pair));
  assert.equal(pair.remote.candidateType, 'host', JSON.stringify(pair));
  assert.ok(inRange(pair.remote.port, MEDIA_PORTS), `Janus port ${pair.remote.port} outside ${MEDIA_PORTS}`);
}

test('the page is an https:// secure context on the server address, trusted through the test CA only', async () => {
  const page = await stack.browser.newTestPage();
  await page.goto(`${stack.origin}/sdk.html?sdk=switchboard`);
  const where = await page.evaluate(() => ({ secure: window.isSecureContext, origin: location.origin }));
  assert.deepEqual(where, { secure: true, origin: stack.origin });
  assert.match(stack.origin, new RegExp(`^https://${TWOHOST.serverAddr.replace(/\./g, '\\.')}:\\d+$`));
  await page.close();

  // The same browser without the test CA in its NSS database refuses the certificate: the trust
  // above came from the CA, not from anything lax in the browser or the server.
  const bare = await launchLaptopChromium({ home: tempDir('sb-twohost-bare-'), workDir: tempDir('sb-twohost-bare-') });
  try {
    const p = await bare.newTestPage();
    await assert.rejects(p.goto(`${stack.origin}/sdk.html`), /ERR_CERT_AUTHORITY_INVALID/);
  } finally {
    await bare.close();
  }
});

test('two laptop participants hear each other over the direct path', async () => {
  // The application's own empty ICE server list, which the SDK keeps instead of the server's: with
  // TURN offered, ICE may nominate a relayed pair even where the direct one works (Janus controls
  // the subscribing connection and has been seen to pick the relay under load).
  const pages = await twoTalking({ iceServers: [] });
  for (const pair of await pairsOf(pages)) {
    assertJanusRemote(pair);
    assert.equal(pair.local.candidateType, 'host', JSON.stringify(pair));
    assert.equal(pair.local.address, TWOHOST.laptopAddr);
  }
  for (const p of pages) await p.close();
});

test('iceTransportPolicy "relay": the selected pair is a relay through coturn and audio flows', async () => {
  const pages = await twoTalking({ iceTransportPolicy: 'relay' });
  for (const pair of await pairsOf(pages)) {
    assert.equal(pair.iceTransportPolicy, 'relay');
    assertJanusRemote(pair);
    // The relayed address is coturn's, allocated from its relay range, over UDP to the TURN port.
    assert.equal(pair.local.candidateType, 'relay', JSON.stringify(pair));
    assert.equal(pair.local.address, TWOHOST.serverAddr);
    assert.ok(inRange(pair.local.port, RELAY_PORTS), `relay port ${pair.local.port} outside ${RELAY_PORTS}`);
    // UDP or TCP to coturn, whichever pair ICE nominated first (Janus nominates on the subscribing
    // connection); the TCP-only case is the next test.
    assert.ok(['udp', 'tcp'].includes(pair.local.relayProtocol), JSON.stringify(pair));
    assert.equal(pair.local.url, `turn:${TWOHOST.serverAddr}:${TURN_PORT}?transport=${pair.local.relayProtocol}`);
  }
  for (const p of pages) await p.close();
});

test('UDP from the laptop dropped: media flows through TURN over TCP', async () => {
  blockUdpFromLaptop();
  try {
    // The application passes nothing: the SDK offers host, and TURN over UDP and TCP candidates
    // from the server's list, and ICE finds the only path that works.
    const pages = await twoTalking();
    for (const pair of await pairsOf(pages)) {
      assertJanusRemote(pair);
      assert.equal(pair.local.candidateType, 'relay', JSON.stringify(pair));
      assert.equal(pair.local.relayProtocol, 'tcp', JSON.stringify(pair));
      assert.match(pair.local.url, /transport=tcp/);
    }
    assert.ok(droppedPackets() > 0, 'the firewall dropped the UDP attempts');
    for (const p of pages) await p.close();
  } finally {
    unblockLaptop();
  }
});

test('wrong TURN credentials: the SDK reports a clear error, not a hang', async () => {
  await stack.restartTurnWithSecret('not-the-secret-switchboard-signs-with');
  const s = await stack.session();
  const p = await stack.participant(s);
  const page = await stack.device(p.token, { iceTransportPolicy: 'relay' });
  assert.ok(page.connectResult.ok, `connect failed: ${JSON.stringify(page.connectResult)}`);
  const started = Date.now();
  const publish = await page.evaluate(() => window.rtcPublish({ audio: true, video: false })
    .then((r) => ({ ok: r }), (e) => ({ error: { message: String(e?.message), code: e?.code } })));
  // The SDK's report, whichever way it comes: publish() rejects; or, publish() having resolved
  // with the answer before ICE ran, the connection state fails with its reason; or the SDK's
  // warning on the console names the refusal (TURN's 401, RFC 8656 §7.2).
  const error = publish.error || await until(async () => {
    const failed = (await page.evaluate(() => window.__events)).find((e) => e.type === 'state' && e.error);
    if (failed) return failed.error;
    const line = page.consoleLog.find((l) => /refused the credentials|\(401\)/.test(l));
    return line && { message: line };
  }, { timeout: 15000, what: 'the SDK to report the refused TURN credentials' });
  const took = Date.now() - started;
  assert.ok(took < 15000, `the error must come promptly, took ${took} ms`);
  assert.match(`${error.code} ${error.message}`, /turn|credential|401|relay/i, JSON.stringify(error));
  // And the credentials really were refused: nothing connected.
  assert.ok((await selectedPairs(page)).every((x) => x.state !== 'connected'));
  await page.close();
});
