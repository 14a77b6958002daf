#!/usr/bin/env node
// Issue 11's figure: how much latency relaying media through coturn adds to a direct path, in the
// two-host topology of the tests (scripts/twohost.sh; tests/twohost/stack.mjs starts the stack).
//
//   scripts/twohost.sh exec server node bench/turn/run.mjs [--pages 2] [--seconds 30] [--warmup 3]
//
// In one run and one browser, `--pages` laptop devices publish and hear each other directly (one
// session) while as many do the same with iceTransportPolicy "relay" (another session), so both
// paths see the same machine load. Every device's peer connections are sampled every 250 ms for:
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
import { parseArgs } from 'node:util';
import { selectedPairs, startTwoHostStack } from '../../tests/twohost/stack.mjs';

const { values: opt } = parseArgs({
  options: {
    pages: { type: 'string', default: '2' },
    seconds: { type: 'string', default: '30' },
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
  const stack = await startTwoHostStack();
  const watchdog = setTimeout(() => { console.error('bench/turn: watchdog expired'); stack.stop().finally(() => process.exit(1)); },
    (SECONDS + WARMUP + 120) * 1000);
  try {
    if (!stack.have.turn) throw new Error('this tree has no TURN support (tests/support/coturn.mjs, config "turn")');
    const paths = { direct: await group(stack, {}), relayed: await group(stack, { iceTransportPolicy: 'relay' }) };
    // Check what each path really is before measuring it.
    for (const [name, pages] of Object.entries(paths)) {
      for (const page of pages) {
        for (const pair of await selectedPairs(page)) {
          const want = name === 'direct' ? 'host' : 'relay';
          if (pair.state === 'connected' && pair.local?.candidateType !== want) {
            throw new Error(`${name} path uses ${JSON.stringify(pair.local)}`);
          }
        }
      }
    }
    const samples = { direct: { rtcp: [], ice: [] }, relayed: { rtcp: [], ice: [] } };
    const started = Date.now();
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
      'two-host topology (scripts/twohost.sh), coturn over UDP\n');
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
    console.log(`\nrelayed audio adds under ${GOAL_MS} ms at p95 (RTCP round trip): ${verdict}`);
  } finally {
    clearTimeout(watchdog);
    await stack.stop();
  }
}

main().then(() => process.exit(0), (e) => { console.error(`bench/turn: ${e.stack || e.message}`); process.exit(1); });
