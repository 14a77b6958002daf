#!/usr/bin/env node
// bench/reconnect/resume: how long a lost signaling connection takes to resume (issue 13,
// docs/protocol.md "Resuming a device"), with our SDK in Chromium, switchboard and Janus in the test
// namespace. Two pages in a call; A's WebSocket goes through a TCP relay (tests/support/relay.mjs).
//   drop:   the relay resets A's connection, the network is back at once: time from the page
//           seeing the loss (state reconnecting) to state connected again;
//   outage: the relay refuses connections for --outage ms, then lets them through: time from the
//           network's return to connected (includes the wait for the next back-off attempt).
// Every run checks that B kept hearing A. Baseline, same run: a fresh page's connect() to
// connected (a new device: token check, WebSocket, setMediaPreferences). Goal: resume < 1 s after
// the network returns.
//     scripts/netns.sh exec node bench/reconnect/resume.mjs --runs 10 --outage 3000
import { startMediaStack } from '../../tests/browser/media-fixture.mjs';
import { startRelay } from '../../tests/support/relay.mjs';
import { newPage } from '../../tests/support/browser.mjs';
import { opt, median, sleep } from '../common.mjs';

const RUNS = Number(opt('runs', 10));
const OUTAGE_MS = Number(opt('outage', 3000));

// Resolves, in the page's clock, when the state has changed `n` times since the start.
const stateCount = (page) => page.evaluate(() => window.__events.filter((e) => e.type === 'state').length);
const waitStates = (page, n) => page.evaluate(async (count) => {
  const deadline = performance.now() + 60000;
  for (;;) {
    const states = window.__events.filter((e) => e.type === 'state');
    if (states.length >= count) return states.slice(-2);
    if (performance.now() > deadline) throw new Error(`no state change: ${JSON.stringify(states)}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}, n);

const stack = await startMediaStack({ config: { logLevel: 'warn', maxParticipantsPerSession: RUNS + 5 } });
const relay = await startRelay(stack.sb.port);
const results = { drop: [], outage: [], online: [], baseline: [] };
try {
  const { pa, pb, atB } = await stack.twoDevicesHear({ a: { sdk: 'switchboard', options: { websocketUrl: relay.url } }, b: { sdk: 'switchboard' } });
  const heard = async (what) => {
    const before = await stack.energy(pb, atB.endpointId);
    await sleep(300);
    if (!(await stack.energy(pb, atB.endpointId) > before)) throw new Error(`B stopped hearing A (${what})`);
  };
  // The relay refuses A for OUTAGE_MS, then lets it through: the time from the network's return
  // to connected. With `online`, the page also gets the browser's online event at the return (a
  // real network change fires it; the relay cannot, so the page is told).
  const outage = async (online) => {
    const n = await stateCount(pa);
    relay.state.refusing = true;
    relay.cut();
    await sleep(OUTAGE_MS);
    relay.state.refusing = false;
    const returned = await pa.evaluate((tell) => {
      const t = performance.now();
      if (tell) window.dispatchEvent(new Event('online'));
      return t;
    }, online);
    const [, resumed] = await waitStates(pa, n + 2);
    if (resumed.state !== 'connected') throw new Error(JSON.stringify(resumed));
    return resumed.t - returned;
  };
  for (let i = 0; i < RUNS; i++) {
    const n = await stateCount(pa);
    relay.cut();
    const [lost, back] = await waitStates(pa, n + 2);
    if (lost.state !== 'reconnecting' || back.state !== 'connected') throw new Error(JSON.stringify([lost, back]));
    results.drop.push(back.t - lost.t);
    await heard(`drop ${i}`);

    results.outage.push(await outage(false));
    await heard(`outage ${i}`);
    results.online.push(await outage(true));
    await heard(`online ${i}`);
  }
  for (let i = 0; i < RUNS; i++) {
    const s = await stack.session();
    const p = await stack.participant(s);
    const page = await newPage(stack.browser);
    await page.goto(`${stack.web.url}/sdk.html?sdk=switchboard`);
    await page.waitForFunction(() => window.sdkReady);
    const ms = await page.evaluate(async ([token, url]) => {
      const t0 = performance.now();
      const r = await window.rtcConnect(token, url);
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      return performance.now() - t0;
    }, [p.token, stack.wsUrl]);
    results.baseline.push(ms);
    await page.close();
  }
  await pa.close();
  await pb.close();
} finally {
  await relay.close();
  await stack.stop();
}

const f = (xs) => xs.map((x) => x.toFixed(0)).join(' ');
const base = median(results.baseline);
console.log(`bench/reconnect/resume: ${RUNS} runs, our SDK, Chromium headless, switchboard + Janus in the test namespace`);
console.log(`  drop -> resumed (network back at once):   median ${median(results.drop).toFixed(0)} ms  [${f(results.drop)}]`);
console.log(`  network back after ${OUTAGE_MS} ms -> resumed:  median ${median(results.outage).toFixed(0)} ms  [${f(results.outage)}]`);
console.log(`  same, with the online event -> resumed:  median ${median(results.online).toFixed(0)} ms  [${f(results.online)}]`);
console.log(`  baseline: a new device's connect():      median ${base.toFixed(0)} ms  [${f(results.baseline)}]`);
console.log(`  ratios: drop ${(median(results.drop) / base).toFixed(2)}, outage ${(median(results.outage) / base).toFixed(2)}, online ${(median(results.online) / base).toFixed(2)}  (goal: resumed < 1000 ms after the network returns: drop ${median(results.drop) < 1000 ? 'PASS' : 'MISS'}, outage ${median(results.outage) < 1000 ? 'PASS' : 'MISS'}, online ${median(results.online) < 1000 ? 'PASS' : 'MISS'})`);
process.exit(0);
