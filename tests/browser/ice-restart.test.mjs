// A page's media path is cut and comes back (issue 13 item 2): nft drops the UDP of that page's
// two peer connections at the Janus ports they use (their selected candidate pairs' remote ports;
// Janus keeps a handle's port across an ICE restart, so the cut holds until it is removed). Our
// SDK sees the connections `disconnected`, restarts ICE (publisher: a restart offer; subscriber:
// `restartIce`), reports `reconnecting`, and once the path is back audio energy rises again at
// the other participant and the state is `connected`. With the path never back it reports
// `failed` (ice_failed) after its bounded restarts. Our SDK only. Run inside the test network
// namespace (root: nft changes the namespace's ruleset only):
//     scripts/netns.sh exec node --test --test-concurrency=1 tests/browser/ice-restart.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMediaStack, until } from './media-fixture.mjs';
import { cutPorts, janusPorts, energyFrom, energyRises } from '../support/media-path.mjs';

let stack;
let cut = null;
before(async () => { stack = await startMediaStack(); });
after(async () => {
  await cut?.restore();
  await stack?.stop();
});

const states = async (page) => (await stack.events(page, 'state')).map((e) => e.state);

test('a cut media path restored: ICE restarts bring audio back at the other participant, reconnecting → connected', async (t) => {
  if (!stack.hasOurSdk) return t.skip('web/dist/index.js not built (make wasm)');
  const { a, b, pa, pb } = await stack.twoDevicesHear({
    a: { sdk: 'switchboard', options: { iceRestartDelayMs: 2000, maxIceRestarts: 15 } },
    b: { sdk: 'switchboard' },
  });
  await energyRises(stack, pb, a.id, { what: 'energy from a at b before the cut' });
  const ports = await janusPorts(pa);
  assert.equal(ports.length, 2, `a's two connections each have a Janus port: ${ports}`);
  cut = await cutPorts(ports);
  await until(async () => (await states(pa)).includes('reconnecting'), { timeout: 30000, what: 'a reconnecting' });
  // Nothing arrives from a meanwhile.
  const e1 = await energyFrom(stack, pb, a.id);
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(await energyFrom(stack, pb, a.id), e1, 'no audio from a while its path is cut');
  assert.equal(await pa.evaluate(() => window.rtc.connectionState), 'reconnecting');

  const restoredAt = Date.now();
  await cut.restore();
  cut = null;
  await energyRises(stack, pb, a.id, { what: 'energy from a rising at b after the path is back' });
  await energyRises(stack, pa, b.id, { what: 'energy from b rising at a after the path is back' });
  console.log(`# audio back ${Date.now() - restoredAt} ms after the path was restored`);
  await until(async () => (await pa.evaluate(() => window.rtc.connectionState)) === 'connected', { what: 'a connected' });
  const seen = await states(pa);
  assert.deepEqual(seen.slice(-2), ['reconnecting', 'connected'], seen.join(' → '));
  assert.ok(!seen.includes('failed'));
  await pa.close();
  await pb.close();
});

test('a cut media path never restored: failed with ice_failed after the bounded restarts', async (t) => {
  if (!stack.hasOurSdk) return t.skip('web/dist/index.js not built (make wasm)');
  const { pa, pb } = await stack.twoDevicesHear({
    a: { sdk: 'switchboard', options: { iceRestartDelayMs: 1500, maxIceRestarts: 2, iceDisconnectedMs: 1000 } },
    b: { sdk: 'switchboard' },
  });
  cut = await cutPorts(await janusPorts(pa));
  const cutAt = Date.now();
  await until(async () => (await states(pa)).includes('failed'), { timeout: 45000, what: 'a failed' });
  const failed = (await stack.events(pa, 'state')).find((e) => e.state === 'failed');
  assert.equal(failed.error?.code, 'ice_failed', JSON.stringify(failed));
  assert.match(failed.error.message, /after 2 ICE restart\(s\)/);
  const seen = await states(pa);
  assert.deepEqual(seen.slice(-2), ['reconnecting', 'failed'], seen.join(' → '));
  console.log(`# failed ${Date.now() - cutAt} ms after the cut`);
  // b is not affected: its state stays connected.
  assert.equal(await pb.evaluate(() => window.rtc.connectionState), 'connected');
  await cut.restore();
  cut = null;
  await pa.close();
  await pb.close();
});
