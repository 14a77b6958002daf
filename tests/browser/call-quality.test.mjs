// Call quality (issue 14 item 1, docs/sdk.md "Call quality"), our SDK in Chromium and in Firefox:
// two participants hear each other through Janus; on a healthy call getCallStats() rates the audio
// MOS > 3.5 (above 4 on a quiet machine). Then about 25 % of the UDP packets Janus sends to the
// listener's subscribing connection are dropped, and the listener's SDK raises `high-packet-loss`
// and `low-mos`; once the loss is removed it clears both; each exactly once.
//
// The loss is an nftables rule (`numgen random mod 100 < 25 drop`) in the test's network namespace,
// on the source port of Janus's side of that connection (its selected candidate pair's remote
// port): `tc netem` cannot be used, the kernels these tests run on have no sch_netem ("Specified
// qdisc kind is unknown"). Run inside the test network namespace WITH its default route (Firefox
// gathers no ICE candidates without one; nothing leaves through it):
//   SBNET_DEFAULT_ROUTE=1 scripts/netns.sh up
//   scripts/netns.sh exec node --test --test-concurrency=1 tests/browser/call-quality.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startMediaStack, subscribingJanusPort, until } from './media-fixture.mjs';

let stack;
let lossTable = null;
before(async () => { stack = await startMediaStack({ firefox: true }); });
after(async () => {
  if (lossTable) execFileSync('nft', ['delete', 'table', 'inet', lossTable]);
  await stack?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Firefox's fake tone is quiet (docs in firefox-media.test.mjs).
const HEARD = { minEnergy: 0.002 };

// Drops `percent` % of the UDP packets from `port`, at random, until the table is deleted.
function dropFrom(port, percent) {
  const table = `sb_quality_loss_${process.pid}`;
  execFileSync('nft', ['-f', '-'], {
    input: `table inet ${table} {
  chain input { type filter hook input priority -10; policy accept;
    udp sport ${port} numgen random mod 100 < ${percent} drop
  }
}
`,
  });
  return table;
}

for (const engine of ['chromium', 'firefox']) {
  test(`${engine}: 25 % loss raises high-packet-loss and low-mos at the listener, once; both clear once when it goes`, async (t) => {
    if (!stack.hasOurSdk) return t.skip('web/dist/index.js not built (make wasm)');
    const { pa, pb } = await stack.twoDevicesHear({
      // The listener's low-mos threshold is 3: Firefox's jitter buffer grows on a busy machine,
      // which the E-model counts as delay (about 3.2 at 400 ms), while 25 % loss is far below.
      a: { sdk: 'switchboard' }, b: { sdk: 'switchboard', browser: engine, options: { qualityThresholds: { mos: 3 } } }, heard: HEARD,
    });
    // b listens: its warnings, with the time they came.
    await pb.evaluate(() => {
      window.__quality = [];
      const at = () => Math.round(performance.now());
      window.rtc.onQualityWarning((name, details) => window.__quality.push({ at: at(), raised: name, details }));
      window.rtc.onQualityWarningCleared((name) => window.__quality.push({ at: at(), cleared: name }));
      window.__samples = 0;
      window.rtc.on('callStats', () => { window.__samples += 1; });
    });
    const quality = () => pb.evaluate(() => window.__quality);
    const callStats = (page) => page.evaluate(() => window.rtc.getCallStats());

    // Healthy: the inbound audio is rated above 3.5 (loopback: no loss, a few ms of RTT; above 4
    // on a quiet machine).
    let healthy;
    await until(async () => {
      healthy = await callStats(pb);
      return healthy?.mos > 3.5 && healthy.streams.some((s) => s.direction === 'inbound' && s.kind === 'audio' && s.mos > 3.5);
    }, { timeout: 15000, what: `a MOS > 3.5 at b: ${JSON.stringify(healthy)}` });
    console.log(`# ${engine} healthy: MOS ${healthy.mos.toFixed(2)}, RTT ${healthy.rttMs} ms, loss ${healthy.packetLoss}, in ${healthy.bitrateKbps.inbound?.toFixed(1)} kbit/s`);
    assert.ok(healthy.packetLoss < 0.05, JSON.stringify(healthy));
    assert.ok(healthy.bitrateKbps.inbound > 5 && healthy.bitrateKbps.outbound > 5, JSON.stringify(healthy.bitrateKbps));
    let a;
    await until(async () => (a = await callStats(pa))?.mos > 3.5, { timeout: 10000, what: `a rates its call > 3.5 too: ${JSON.stringify(a)}` });
    const before = await quality();
    assert.deepEqual(before.filter((e) => /packet-loss|mos/.test(e.raised ?? e.cleared ?? '')), [], JSON.stringify(before));

    const port = await subscribingJanusPort(pb);
    assert.ok(port, 'b\'s subscribing connection has a Janus port');
    lossTable = dropFrom(port, 25);
    const lossAt = Date.now();
    const raised = (name) => async () => (await quality()).some((e) => e.raised === name);
    await until(raised('high-packet-loss'), { timeout: 20000, what: 'high-packet-loss at b' });
    await until(raised('low-mos'), { timeout: 20000, what: 'low-mos at b' });
    console.log(`# ${engine}: both raised ${Date.now() - lossAt} ms after the loss began`);
    const lossy = await callStats(pb);
    console.log(`# ${engine} lossy: MOS ${lossy.mos?.toFixed(2)}, loss ${lossy.packetLoss?.toFixed(3)}`);
    const loss = (await quality()).find((e) => e.raised === 'high-packet-loss');
    // One second's loss around the 25 % dropped: a busy machine's own late packets add to it
    // (0.49 was seen at load 8), so the bound says "this loss, not all or none".
    assert.ok(loss.details.value > 0.1 && loss.details.value < 0.6, JSON.stringify(loss));
    assert.equal(loss.details.threshold, 0.05);
    const mos = (await quality()).find((e) => e.raised === 'low-mos');
    assert.ok(mos.details.value < 3 && mos.details.threshold === 3, JSON.stringify(mos));
    await sleep(4000);  // still lossy: nothing raised again

    execFileSync('nft', ['delete', 'table', 'inet', lossTable]);
    lossTable = null;
    const restoredAt = Date.now();
    const cleared = (name) => async () => (await quality()).some((e) => e.cleared === name);
    await until(cleared('high-packet-loss'), { timeout: 30000, what: 'high-packet-loss cleared at b' });
    await until(cleared('low-mos'), { timeout: 30000, what: 'low-mos cleared at b' });
    console.log(`# ${engine}: both cleared ${Date.now() - restoredAt} ms after the loss ended`);
    await sleep(4000);  // healthy again: nothing raised or cleared again
    const seen = (await quality()).filter((e) => /packet-loss|mos/.test(e.raised ?? e.cleared));
    assert.deepEqual(seen.map((e) => (e.raised ? `+${e.raised}` : `-${e.cleared}`)).sort(),
      ['+high-packet-loss', '+low-mos', '-high-packet-loss', '-low-mos'], JSON.stringify(seen));
    // Loss gone; the MOS is back above the threshold (Firefox's jitter buffer, grown during the
    // loss, takes a while to shrink, so not always above 4 yet).
    const after = await callStats(pb);
    assert.ok(after.packetLoss < 0.05 && after.mos >= 3, JSON.stringify(after));
    // a's own receiving path was not touched: no loss warning there.
    assert.ok(await pa.evaluate(() => window.rtc.getCallStats().packetLoss < 0.05));
    assert.ok(await pb.evaluate(() => window.__samples) >= 15, 'a callStats event every second');
    await pa.close();
    await pb.close();
  });
}
