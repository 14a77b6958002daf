// Call quality under delay (issue 14 item 1, docs/sdk.md "Call quality"), our SDK in Chromium and
// in Firefox: two participants hear each other through Janus; then every UDP packet Janus sends to
// the listener's subscribing connection is held 400 ms, and the listener's SDK raises `high-rtt`
// (threshold lowered to 200 ms) and getCallStats().rttMs rises past 350 ms; once the delay is
// removed it clears, and each happens exactly once.
//
// Why not `tc qdisc add … netem delay 400ms`, as the issue suggests: the kernels these tests run on
// have no sch_netem (nor fq, nor clsact: "Specified qdisc kind is unknown"), and nftables cannot
// hand packets to userspace there (`nft add rule … queue num 3`: "No such file or directory", no
// nft_queue). The iptables NFQUEUE target and nfnetlink_queue are present, so an iptables rule in
// the test's network namespace queues the packets from Janus's port of that connection (its
// selected candidate pair's remote port) and tests/support/delay-queue.py, a userspace queue,
// accepts each 400 ms later, in order, never dropping one.
//
// The RTT that rises is ICE's (the nominated pair's currentRoundTripTime, W3C webrtc-stats): the
// consent checks' responses (RFC 7675) come back through the delayed path. Run inside the test
// network namespace WITH its default route (Firefox gathers no ICE candidates without one; nothing
// leaves through it):
//   SBNET_DEFAULT_ROUTE=1 scripts/netns.sh up
//   scripts/netns.sh exec node --test --test-concurrency=1 tests/browser/call-delay.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMediaStack, subscribingJanusPort, until } from './media-fixture.mjs';

const DELAY_MS = 400;
const THRESHOLD_MS = 200;
const delayQueue = path.join(path.dirname(fileURLToPath(import.meta.url)), '../support/delay-queue.py');

let stack;
let rule = null;   // the iptables rule's arguments after -I/-D, while it is in place
let queue = null;  // the delay-queue process, while it runs
before(async () => { stack = await startMediaStack({ firefox: true }); });
after(async () => {
  if (rule) execFileSync('iptables', ['-D', ...rule]);
  if (queue) await stopQueue();
  await stack?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// The page's receiving jitter buffer delay over the next second, in ms (W3C webrtc-stats
// jitterBufferDelay / jitterBufferEmittedCount of its inbound audio): logged, since the E-model
// counts it in the mouth-to-ear delay, and a delay's onset makes it grow.
const jitterBufferMs = (page) => page.evaluate(async () => {
  const read = async () => {
    let delay = 0, emitted = 0;
    for (const pc of window.__pcs || []) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'audio') { delay += r.jitterBufferDelay ?? 0; emitted += r.jitterBufferEmittedCount ?? 0; }
      });
    }
    return { delay, emitted };
  };
  const a = await read();
  await new Promise((r) => setTimeout(r, 1000));
  const b = await read();
  return b.emitted > a.emitted ? Math.round((b.delay - a.delay) / (b.emitted - a.emitted) * 1000) : null;
});
const HEARD = { minEnergy: 0.002 };  // Firefox's fake tone is quiet (see firefox-media.test.mjs)

// Starts delay-queue.py on queue `number` and resolves once it is bound ("ready").
async function startQueue(number, delayMs) {
  queue = spawn('python3', [delayQueue, '--queue', String(number), '--delay-ms', String(delayMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  queue.stderr.on('data', (d) => { err += d; });
  await new Promise((resolve, reject) => {
    queue.stdout.on('data', (d) => { out += d; if (out.includes('ready')) resolve(); });
    queue.on('exit', (code) => reject(new Error(`delay-queue.py exited ${code} before ready: ${err}`)));
  });
}

// SIGTERM: it accepts what it still holds and exits 0.
async function stopQueue() {
  const q = queue;
  queue = null;
  if (q.exitCode !== null) return q.exitCode;
  const exited = once(q, 'exit');
  q.kill('SIGTERM');
  const [code] = await exited;
  return code;
}

['chromium', 'firefox'].forEach((engine, i) => {
  test(`${engine}: ${DELAY_MS} ms delay raises high-rtt at the listener, once; it clears once when the delay goes`, async (t) => {
    if (!stack.hasOurSdk) return t.skip('web/dist/index.js not built (make wasm)');
    const { pa, pb } = await stack.twoDevicesHear({
      a: { sdk: 'switchboard' }, b: { sdk: 'switchboard', browser: engine, options: { qualityThresholds: { rttMs: THRESHOLD_MS } } }, heard: HEARD,
    });
    // b listens: its warnings with the time they came, and the largest rttMs of its samples.
    await pb.evaluate(() => {
      window.__quality = [];
      window.__maxRtt = 0;
      const at = () => Math.round(performance.now());
      window.rtc.onQualityWarning((name, details) => window.__quality.push({ at: at(), raised: name, details }));
      window.rtc.onQualityWarningCleared((name) => window.__quality.push({ at: at(), cleared: name }));
      window.rtc.on('callStats', () => { window.__maxRtt = Math.max(window.__maxRtt, window.rtc.getCallStats()?.rttMs ?? 0); });
    });
    const quality = () => pb.evaluate(() => window.__quality);
    const rttEvents = async () => (await quality()).filter((e) => (e.raised ?? e.cleared) === 'high-rtt');
    const callStats = (page) => page.evaluate(() => window.rtc.getCallStats());

    // Healthy: loopback, a few ms of round trip.
    let healthy;
    await until(async () => (healthy = await callStats(pb))?.rttMs >= 0 && healthy.rttMs < 50,
      { timeout: 15000, what: `an RTT under 50 ms at b: ${JSON.stringify(healthy)}` });
    console.log(`# ${engine} healthy: RTT ${healthy.rttMs} ms, MOS ${healthy.mos?.toFixed(2) ?? 'not yet'}`);
    assert.deepEqual(await rttEvents(), []);

    const port = await subscribingJanusPort(pb);
    assert.ok(port, 'b\'s subscribing connection has a Janus port');
    const queueNumber = 900 + i;
    await startQueue(queueNumber, DELAY_MS);
    // --queue-bypass: were the queue process gone, packets would pass rather than be dropped.
    rule = ['INPUT', '-p', 'udp', '--sport', String(port), '-j', 'NFQUEUE', '--queue-num', String(queueNumber), '--queue-bypass'];
    execFileSync('iptables', ['-I', ...rule]);
    const delayedAt = Date.now();
    await until(async () => (await rttEvents()).some((e) => e.raised), { timeout: 30000, what: 'high-rtt at b' });
    console.log(`# ${engine}: high-rtt raised ${Date.now() - delayedAt} ms after the delay began`);
    const [raised] = await rttEvents();
    assert.equal(raised.details.threshold, THRESHOLD_MS);
    // The delay is one way; the round trip carries it once, plus the loopback's few ms (and a
    // busy machine's scheduling: a generous upper bound).
    assert.ok(raised.details.value > DELAY_MS - 50 && raised.details.value < DELAY_MS + 300, JSON.stringify(raised));
    await sleep(4000);  // still delayed: nothing raised again, and the stats say so
    const delayed = await callStats(pb);
    const maxRtt = await pb.evaluate(() => window.__maxRtt);
    const inbound = delayed.streams.find((s) => s.direction === 'inbound' && s.kind === 'audio');
    console.log(`# ${engine} delayed: RTT ${delayed.rttMs} ms (largest sample ${maxRtt} ms), MOS ${delayed.mos?.toFixed(2)}, jitter buffer ${await jitterBufferMs(pb)} ms; inbound audio ${JSON.stringify(inbound)}`);
    assert.ok(delayed.rttMs > DELAY_MS - 50, JSON.stringify(delayed));
    assert.equal((await rttEvents()).length, 1, JSON.stringify(await quality()));
    // Audio still flows, late but whole: the queue drops nothing.
    assert.ok(delayed.packetLoss < 0.05, JSON.stringify(delayed));

    execFileSync('iptables', ['-D', ...rule]);
    rule = null;
    const restoredAt = Date.now();
    await until(async () => (await rttEvents()).some((e) => e.cleared), { timeout: 40000, what: 'high-rtt cleared at b' });
    console.log(`# ${engine}: high-rtt cleared ${Date.now() - restoredAt} ms after the delay ended`);
    assert.equal(await stopQueue(), 0, 'delay-queue.py exits cleanly on SIGTERM');
    await sleep(4000);  // healthy again: nothing raised or cleared again
    const seen = await rttEvents();
    assert.deepEqual(seen.map((e) => (e.raised ? '+' : '-') + (e.raised ?? e.cleared)), ['+high-rtt', '-high-rtt'], JSON.stringify(seen));
    const restored = await callStats(pb);
    console.log(`# ${engine} restored: RTT ${restored.rttMs} ms, MOS ${restored.mos?.toFixed(2)}, jitter buffer ${await jitterBufferMs(pb)} ms; b's warnings: ${JSON.stringify((await quality()).map((e) => (e.raised ? '+' : '-') + (e.raised ?? e.cleared)))}`);
    assert.ok(restored.rttMs < THRESHOLD_MS, JSON.stringify(restored));
    await pa.close();
    await pb.close();
  });
});
