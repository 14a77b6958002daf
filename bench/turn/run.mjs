#!/usr/bin/env node
// Issue 11's figure: how much latency relaying media through coturn adds to a direct path, in the
// two-host topology of the tests (scripts/twohost.sh; tests/twohost/stack.mjs starts the stack).
//
//   scripts/twohost.sh exec server node bench/turn/run.mjs [--pages 3] [--seconds 60] [--warmup 3]
//
// In one run and one browser, `--pages` laptop devices publish and hear each other directly (one
// session) while as many do the same with iceTransportPolicy "relay" (another session), so both
// paths see the same machine load. The laptop's firewall drops TCP to the TURN port, so that every
// relayed connection goes over UDP to coturn (with both, ICE may nominate either; TURN over TCP
// is a fallback, not the path to measure). Every device's peer connections are sampled every 250 ms for:
//   - RTCP round-trip time: remote-inbound-rtp roundTripTime of the microphone, computed by the
//     browser from Janus's receiver reports (RFC 3550 §6.4.1: arrival − LSR − DLSR), one sample
//     per new report (roundTripTimeMeasurements grew);
//   - ICE round-trip time: the selected candidate pair's STUN checks (consent freshness, RFC 7675),
//     the mean of the responses that arrived since the last sample (Δ totalRoundTripTime /
//     Δ responsesReceived).
// Both are round trips through the whole path (for the relay: browser → coturn → Janus and back),
// so the one-way audio latency the relay adds is at most the round trip's difference; the table
// prints the difference of the round trips, the stricter figure. Goal: under 5 ms at p95.
// Exit status 0 when the benchmark ran (whatever the figure), 1 when something failed.
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { TURN_PORT, selectedPairs, startTwoHostStack } from '../../tests/twohost/stack.mjs';
import { blockFromLaptop, unblockLaptop } from '../../tests/twohost/topology.mjs';

const { values: opt } = parseArgs({
  options: {
    pages: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '3' },
  },
});
const PAGES = Math.max(2, Number(opt.pages));
const SECONDS = Number(opt.seconds);
const WARMUP = Number(opt.warmup);
const GOAL_MS = 5;

// Runs in the page: new samples (ms) since the previous call, per kind.
function sampleInPage() {
  return (async () => {
    const state = (window.__rttState ||= new Map());
    const out = { rtcp: [], ice: [] };
    for (const pc of window.__pcs || []) {
      if (pc.connectionState !== 'connected') continue;
      const stats = await pc.getStats();
      let pairId;
      stats.forEach((s) => { if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId; });
      stats.forEach((s) => {
        const key = `${s.type}:${s.id}`;
        const prev = state.get(key);
        if (s.type === 'remote-inbound-rtp' && s.kind === 'audio' && s.roundTripTimeMeasurements) {
          if (prev && s.roundTripTimeMeasurements > prev.n) out.rtcp.push(s.roundTripTime * 1000);
          state.set(key, { n: s.roundTripTimeMeasurements });
        } else if (s.type === 'candidate-pair' && s.id === pairId && s.responsesReceived) {
          if (prev && s.responsesReceived > prev.n) {
            out.ice.push(((s.totalRoundTripTime - prev.total) / (s.responsesReceived - prev.n)) * 1000);
          }
          state.set(key, { n: s.responsesReceived, total: s.totalRoundTripTime });
        }
      });
    }
    return out;
  })();
}

// A separate process that sleeps 1 ms at a time for `ms` and reports how late it woke (p95, max,
// wake-ups over 20 ms): whether the machine itself stalled during the window, which widens the
// tails of both paths whatever the relay does.
const CANARY = `const end = Date.now() + Number(process.argv[1]); const late = [];
let last = performance.now();
(function tick() { const now = performance.now(); late.push(now - last - 1); last = now;
  if (Date.now() < end) setTimeout(tick, 1); else { late.sort((a, b) => a - b);
    console.log(JSON.stringify({ p95: late[Math.floor(late.length * 0.95)], max: late[late.length - 1],
      over20: late.filter((x) => x > 20).length })); } })();`;
function runCanary(ms) {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ['-e', CANARY, String(ms)], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    c.stdout.on('data', (d) => { out += d; });
    const t = setTimeout(() => c.kill('SIGKILL'), ms + 5000);
    c.on('exit', () => { clearTimeout(t); try { resolve(JSON.parse(out)); } catch { resolve(null); } });
  });
}

const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const ms = (x) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');

async function group(stack, options) {
  const session = await stack.session();
  const people = [];
  for (let i = 0; i < PAGES; i++) people.push(await stack.participant(session));
  const pages = [];
  for (const p of people) {
    const page = await stack.device(p.token, options);
    if (!page.connectResult.ok) throw new Error(`connect failed: ${JSON.stringify(page.connectResult)}`);
    await page.evaluate(() => window.rtcPublish({ audio: true, video: false }));
    pages.push(page);
  }
  for (const [i, page] of pages.entries()) {
    for (const [j, other] of people.entries()) if (i !== j) await stack.hears(page, other.id, { timeout: 20000 });
  }
  return pages;
}

async function main() {
  const loadBefore = loadavg()[0];
  const stack = await startTwoHostStack();
  const watchdog = setTimeout(() => { console.error('bench/turn: watchdog expired'); stack.stop().finally(() => process.exit(1)); },
    (SECONDS + WARMUP + 120) * 1000);
  try {
    blockFromLaptop(`tcp dport ${TURN_PORT}`);
    const paths = { direct: await group(stack, {}), relayed: await group(stack, { iceTransportPolicy: 'relay' }) };
    // Check what each path really is before measuring it.
    for (const [name, pages] of Object.entries(paths)) {
      for (const page of pages) {
        for (const pair of await selectedPairs(page)) {
          const want = name === 'direct' ? 'host' : 'relay';
          if (pair.state !== 'connected' || pair.local?.candidateType !== want || (want === 'relay' && pair.local.relayProtocol !== 'udp')) {
            throw new Error(`${name} path uses ${JSON.stringify(pair)}`);
          }
        }
      }
    }
    const samples = { direct: { rtcp: [], ice: [] }, relayed: { rtcp: [], ice: [] } };
    const started = Date.now();
    const canary = new Promise((r) => setTimeout(r, WARMUP * 1000)).then(() => runCanary(SECONDS * 1000));
    const end = started + (WARMUP + SECONDS) * 1000;
    while (Date.now() < end) {
      const measuring = Date.now() - started >= WARMUP * 1000;
      for (const [name, pages] of Object.entries(paths)) {
        for (const page of pages) {
          const got = await page.evaluate(sampleInPage);
          if (measuring) { samples[name].rtcp.push(...got.rtcp); samples[name].ice.push(...got.ice); }
        }
      }
      await new Promise((r) => setTimeout(r, 250));
    }

    console.log(`\nTURN relay added latency: ${PAGES} laptop devices per path, ${SECONDS} s after ${WARMUP} s warm-up, ` +
      `two-host topology (scripts/twohost.sh), coturn over UDP; load average ${loadBefore.toFixed(2)} before, ` +
      `${loadavg()[0].toFixed(2)} after (other work on the machine widens both tails alike)\n`);
    console.log('| round trip | direct n / p50 / p95 ms | relayed n / p50 / p95 ms | added p50 / p95 ms | goal |');
    console.log('| --- | --- | --- | --- | --- |');
    let verdict = 'n/a';
    for (const [kind, label] of [['rtcp', 'RTCP (remote-inbound-rtp)'], ['ice', 'ICE (candidate-pair STUN)']]) {
      const d = samples.direct[kind];
      const r = samples.relayed[kind];
      const added95 = pct(r, 95) - pct(d, 95);
      const goal = Number.isFinite(added95) ? (added95 < GOAL_MS ? 'PASS' : 'MISS') : 'n/a';
      if (kind === 'rtcp' || verdict === 'n/a') verdict = goal;
      console.log(`| ${label} | ${d.length} / ${ms(pct(d, 50))} / ${ms(pct(d, 95))} | ${r.length} / ${ms(pct(r, 50))} / ` +
        `${ms(pct(r, 95))} | ${ms(pct(r, 50) - pct(d, 50))} / ${ms(added95)} | < ${GOAL_MS} ms: ${goal} |`);
    }
    const c = await canary;
    if (c) {
      console.log(`\nmachine stalls in the window (a process sleeping 1 ms at a time): woke late by p95 ${ms(c.p95)} ms, ` +
        `max ${ms(c.max)} ms, ${c.over20} times over 20 ms${c.over20 ? ' (the tails above include them)' : ''}`);
    }
    console.log(`\nrelayed audio adds under ${GOAL_MS} ms at p95 (RTCP round trip): ${verdict}`);
  } finally {
    unblockLaptop();
    clearTimeout(watchdog);
    await stack.stop();
  }
}

main().then(() => process.exit(0), (e) => { console.error(`bench/turn: ${e.stack || e.message}`); process.exit(1); });
