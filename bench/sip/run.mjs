#!/usr/bin/env node
// bench/sip: the SIP bridge under load, seen from the phones.
//
//   cd /work/main && scripts/netns.sh exec node bench/sip/run.mjs [--calls 100] [--seconds 20]
//
// Janus (inside the test namespace) + switchboard with a SIP listener on 127.0.0.1, one sipp
// process for the signalling of all calls (-inf CSV: per-call token and RTP port,
// bench/sip/dialin_inf.xml), and the phones' media in this process: one UDP socket per phone that
// sends 20 ms PCMU frames on a drift-free schedule and checks everything it receives.
//
// Every frame a phone sends starts with a 16-byte header in small µ-law codes (0xF0..0xFF, which
// survive µ-law → linear → µ-law unchanged): magic, phone id, a frame counter and a check word.
// A phone subscribed to exactly one other phone gets that phone's frames back bit-exact from the
// bridge (decode → 1-input mix → encode), so it can tell which of the source's frames reached it
// (audio loss through phone → switchboard → Janus → rtp_forward → switchboard → phone), that they
// came from the right phone, and how long each took (send time → arrival time). Bursting phones
// also send one loud 20 ms 1 kHz frame per second; the receivers find it by energy alone.
//
// Phases (all in one run):
//   1. latency: --latency-pairs sessions of 2 phones that hear each other, plus --direct-pairs
//      pairs of sockets that send straight to each other on loopback (the transport floor,
//      measured by the same code in the same event loop), on an otherwise idle bridge.
//   2. load steps (--steps, default 25,50,100,150): N phones in sessions of --per-session phones.
//      --mode talker (default): in each session phone 0 is the talker, every other phone is
//      subscribed to it alone, and the talker to phone 1 (a two-way conversation with listeners).
//      --mode all: everybody subscribed to the whole session (N·(k-1) forwards, mixing k-1 inputs).
//      Each step: dial all calls at --rate calls/s, wait until every call has media (and every
//      forward exists), settle, then measure for --seconds: loss at the phones, CPU and RSS of
//      switchboard and Janus. Steps continue up to --calls whatever happens, then stop at the
//      first step with loss (or after the last step).
// Options: --calls 100 --seconds 20 --steps 25,50,100,150 --per-session 10 --mode talker|all
//          --rate 20 --latency-seconds 10 --latency-pairs 6 --direct-pairs 2
//          --retries 1 (repeat a lossy step once when the phones or the whole machine stalled in it)
//          --nice N (run the phones, sipp, switchboard and Janus at this priority, e.g. -10)
//          --phones-nice N (run only the phones and sipp at this priority, e.g. -10: the load generator
//          then does not fall behind when other work shares the machine; the servers are not favoured)
//          --perf (perf record switchboard for a few seconds of the --calls step, print the top symbols)
//          --janus-ports 2000 (size of Janus's rtp_port_range, a random block in 20000-29999)
//          --keep (keep the temp dir: sipp logs and CSV files, perf.data)
// See bench/README.md "sip/" for what each figure means.
// Exit status: 0 when the benchmark ran (goals met or not), 1 when it failed.
import { spawn, execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startJanus, inTestNetns, NETNS } from '../../tests/support/media.mjs';
import { startSwitchboard, call, binary } from '../../tests/support/server.mjs';
import { cpuSeconds, rssKB, ctxSwitches, machineBusySeconds, udpCounters, nodeCpuSeconds } from './procstats.mjs';
import { phones, Phone, sched, measuring } from './phones.mjs';
import { opt, sleep } from '../common.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

// ---------------------------------------------------------------- options
const flag = (name) => process.argv.includes(`--${name}`);
const CALLS = Number(opt('calls', 100));
const SECONDS = Number(opt('seconds', 20));
const PER_SESSION = Number(opt('per-session', 10));
const MODE = opt('mode', 'talker');
const RATE = Number(opt('rate', 20));
const LAT_SECONDS = Number(opt('latency-seconds', 10));
const LAT_PAIRS = Number(opt('latency-pairs', 6));
const DIRECT_PAIRS = Number(opt('direct-pairs', 2));
const PERF = flag('perf');
const KEEP = flag('keep');
const RETRIES = Number(opt('retries', 1)); // repeats of a lossy step during which the phones themselves stalled
const JANUS_PORTS = Number(opt('janus-ports', 2000)); // size of Janus's rtp_port_range
const NICE = opt('nice', null); // e.g. --nice -5: run phones, sipp, switchboard and Janus at this priority
const PHONES_NICE = opt('phones-nice', null); // priority of this process (the phones) and sipp only
const STEPS = [...new Set([...opt('steps', '25,50,100,150').split(',').map(Number), CALLS])].filter((n) => n > 0).sort((a, b) => a - b);
const SETTLE_MS = 2000;
if (!['talker', 'all'].includes(MODE)) { console.error('--mode talker|all'); process.exit(2); }
if (!(CALLS > 0 && SECONDS > 0 && PER_SESSION >= 2 && RATE > 0)) { console.error('bad options'); process.exit(2); }

const GOALS = { calls: 100, addedP95Ms: 20, rssPerCallKB: 1024 };

// ---------------------------------------------------------------- small helpers
const now = () => performance.now();
const log = (...a) => console.error(`[bench/sip ${(process.uptime()).toFixed(1)}s]`, ...a);
function pct(xs, p) {
  if (!xs.length) return NaN;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
const median = (xs) => pct(xs, 50);
const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
async function until(pred, { timeout, every = 100 }) {
  const end = Date.now() + timeout;
  for (;;) {
    if (await pred()) return true;
    if (Date.now() > end) return false;
    await sleep(every);
  }
}


// ---------------------------------------------------------------- the stack
const tmp = mkdtempSync(path.join(tmpdir(), 'sbsip-'));
let janus;
let sb;
let sippProc = null;
const cleanups = [];
let cleaning = null;
async function cleanup() {
  if (cleaning) return cleaning;
  cleaning = (async () => {
    clearTimeout(sched.timer);
    for (const p of [...phones.values()]) p.close();
    if (sippProc && sippProc.exitCode === null && sippProc.signalCode === null) sippProc.kill('SIGKILL');
    for (const c of cleanups.reverse()) await c().catch(() => {});
    if (sb) { await sb.stop().catch(() => {}); sb.cleanup(); }
    if (janus) await janus.stop().catch(() => {});
    if (!KEEP) rmSync(tmp, { recursive: true, force: true });
    else log(`kept ${tmp}`);
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, async () => { log(`${sig}: cleaning up`); await cleanup(); process.exit(130); });

// Whole-run bound: startup + latency phase + every step (ramp, settle, window, teardown) + slack.
const stepBoundMs = (n) => (n / RATE) * 2000 + 20000 + SETTLE_MS + SECONDS * 1000 + 30000 + 20000;
const runBoundMs = 60000 + (1 + RETRIES) * (stepBoundMs(LAT_PAIRS * 2) + STEPS.reduce((a, n) => a + stepBoundMs(n), 0));
const watchdog = setTimeout(async () => { console.error(`bench/sip: over its time bound (${Math.round(runBoundMs / 1000)} s); stopping`); await cleanup(); process.exit(1); }, runBoundMs);
watchdog.unref();

async function metric(name) {
  const text = await (await fetch(`${sb.adminBase}/metrics`)).text();
  return Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(text)?.[1]);
}

// The room streams' adaptive jitter buffer bounds (CallAudioPipeline::Config defaults).
function jitterDepthFromSource() {
  try {
    const src = readFileSync(path.join(root, 'server/sip/media/CallAudioPipeline.hpp'), 'utf8');
    const min = /jitterMinDepth\s*=\s*(\d+)/.exec(src);
    const max = /jitterMaxDepth\s*=\s*(\d+)/.exec(src);
    return { min: min ? Number(min[1]) : 1, max: max ? Number(max[1]) : 1 };
  } catch { return { min: 1, max: 1 }; }
}

// ---------------------------------------------------------------- sipp
function runSipp({ target, csv, calls, holdMs, tag }) {
  const csvPath = path.join(tmp, `calls-${tag}.csv`);
  writeFileSync(csvPath, `SEQUENTIAL\n${csv.map((r) => r.join(';')).join('\n')}\n`);
  const timeoutS = Math.ceil((holdMs + (calls / RATE) * 2000 + 30000) / 1000);
  const args = [target, '-sf', path.join(here, 'dialin_inf.xml'), '-inf', csvPath,
    '-m', String(calls), '-l', String(calls), '-r', String(RATE), '-rp', '1000', '-d', String(holdMs),
    '-i', '127.0.0.1', '-p', '0', '-nostdin', '-timeout', `${timeoutS}s`, '-timeout_error',
    '-trace_err', '-error_file', path.join(tmp, `sipp-${tag}-errors.log`),
    '-trace_screen', '-screen_file', path.join(tmp, `sipp-${tag}-screen.log`)];
  const proc = spawn('sipp', args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: tmp });
  sippProc = proc;
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const killer = setTimeout(() => proc.kill('SIGKILL'), timeoutS * 1000 + 10000);
  const done = new Promise((resolve) => proc.on('exit', (code, signal) => {
    clearTimeout(killer);
    let errors = '';
    try { errors = readFileSync(path.join(tmp, `sipp-${tag}-errors.log`), 'utf8').split('\n').filter((l) => l.trim()).slice(-4).join(' | ').slice(0, 600); } catch { /* none */ }
    let screen = '';
    try { screen = readFileSync(path.join(tmp, `sipp-${tag}-screen.log`), 'utf8'); } catch { /* none */ }
    const count = (re) => { const m = re.exec(screen); return m ? Number(m[1]) : NaN; };
    resolve({
      code, signal, stderr, errors,
      successful: count(/Successful call\s+\|\s+\d+\s+\|\s+(\d+)/),
      failed: count(/Failed call\s+\|\s+\d+\s+\|\s+(\d+)/),
    });
  }));
  return { proc, done };
}

// ---------------------------------------------------------------- one step
// n bridged phones in sessions of `perSession`; `mode` talker|all; plus `directPairs` loopback pairs.
async function runStep({ tag, n, perSession, mode, seconds, directPairs, perf = false }) {
  const sessions = [];
  for (let s = 0, left = n; left > 0; s++) { const k = Math.min(perSession, left); sessions.push(k); left -= k; }
  // REST: sessions, participants, memberships with subscriptions.
  const bridge = [];
  let expectedForwards = 0;
  for (const k of sessions) {
    const sid = (await call(`${sb.api()}/sessions`, { method: 'POST', body: {} })).body.id;
    const parts = [];
    for (let i = 0; i < k; i++) {
      const r = await call(`${sb.api()}/participants`, { method: 'POST', body: { publishPermissions: ['AUDIO'] } });
      if (r.status !== 200) throw new Error(`create participant: ${r.status} ${JSON.stringify(r.body)}`);
      parts.push({ id: r.body.participant.id, token: r.body.token });
    }
    const ps = [];
    for (let i = 0; i < k; i++) {
      const role = i === 0 ? 'talker' : 'listener';
      ps.push(new Phone({ session: sid, role, bursts: mode === 'talker' ? i <= 1 : i === 0 }));
    }
    for (let i = 0; i < k; i++) {
      let subs;
      if (mode === 'all') { subs = { sessionId: sid }; ps[i].burstSource = ps[0] === ps[i] ? null : ps[0]; }
      else {
        const hears = i === 0 ? (k > 1 ? 1 : null) : 0;
        subs = { participants: hears === null ? [] : [{ participantId: parts[hears].id }] };
        if (hears !== null) { ps[i].source = ps[hears]; ps[i].burstSource = ps[hears]; }
      }
      ps[i].subsUrl = `${sb.api()}/sessions/${sid}/participants/${parts[i].id}/subscriptions`;
      ps[i].subsBody = subs;
      const put = await call(`${sb.api()}/sessions/${sid}/participants/${parts[i].id}`, { method: 'PUT', body: subs });
      if (put.status !== 204) throw new Error(`join: ${put.status} ${JSON.stringify(put.body)}`);
    }
    expectedForwards += mode === 'all' ? k * (k - 1) : (k > 1 ? k : 0);
    for (let i = 0; i < k; i++) { await ps[i].open(); ps[i].token = parts[i].token; bridge.push({ phone: ps[i], index: i }); }
  }
  // Direct loopback pairs: the transport floor, same code, same event loop.
  const direct = [];
  for (let i = 0; i < directPairs; i++) {
    const a = await new Phone({ kind: 'direct', bursts: true }).open();
    const b = await new Phone({ kind: 'direct', bursts: true }).open();
    a.source = a.burstSource = b; b.source = b.burstSource = a;
    a.peer = { address: '127.0.0.1', port: b.port };
    direct.push(a, b);
  }
  // Dial order: phone 0 of every session, then phone 1 of every session, ...
  const order = [...bridge].sort((x, y) => x.index - y.index).map((x) => x.phone);
  const rampMs = (n / RATE) * 1000;
  const upTimeout = rampMs + 10000;
  const holdMs = Math.round(upTimeout + SETTLE_MS + seconds * 1000 + 4000);
  const sbPid = sb.proc.pid;
  const janusPid = janus.pid;
  const rssPre = { sb: rssKB(sbPid), janus: rssKB(janusPid) };
  const udp0 = udpCounters();
  const activeBefore = await metric('switchboard_sip_active_calls');
  const t0 = now();
  log(`${tag}: ${n} calls in ${sessions.length} sessions (${mode}), dialing at ${RATE}/s, hold ${(holdMs / 1000).toFixed(1)} s`);
  const sipp = runSipp({ target: `127.0.0.1:${await sb.sipPort()}`, csv: order.map((p) => [p.token, p.port]), calls: n, holdMs, tag });
  for (const p of direct) p.startStreaming();
  // Up: every phone has media from the bridge, every forward exists, every subscriber hears its source.
  let sippEnded = false;
  sipp.done.then(() => { sippEnded = true; });
  // A forward that failed at setup is never retried by the bridge (Janus answers rtp_forward with
  // 428 "No such feed" now and then right after add_remote_publisher); PUTting the same
  // subscriptions again makes it retry. Counted and reported: it is a bridge bug, not load.
  let repairs = 0;
  let lastRepair = now();
  const allUp = await until(async () => {
    if (sippEnded) return true;
    const t = now();
    if (!order.every((p) => p.rx.packets > 0)) return false;
    const fwd = await metric('switchboard_media_forwarders');
    const deaf = order.filter((p) => p.source && p.src.valid === 0 && t - p.rx.firstArrival > 3000 && p.source.rx.packets > 0
      && t - p.source.rx.firstArrival > 3000);
    if (t - lastRepair > 2000 && (deaf.length || (mode === 'all' && fwd < expectedForwards && t - t0 > rampMs + 5000))) {
      lastRepair = t;
      for (const p of (mode === 'all' ? order : deaf)) {
        await call(p.subsUrl, { method: 'PUT', body: p.subsBody });
        repairs++;
      }
    }
    if (fwd < expectedForwards) return false;
    return order.every((p) => !p.source || p.src.valid > 0);
  }, { timeout: upTimeout, every: 200 });
  const upMs = now() - t0;
  if (!allUp || sippEnded) log(`${tag}: not every call came up (${order.filter((p) => p.rx.packets > 0).length}/${n} have media, forwarders ${await metric('switchboard_media_forwarders')}/${expectedForwards})`);
  await sleep(SETTLE_MS);
  // Measurement window; it must end before the first BYE (t0 + holdMs).
  const windowMs = Math.max(1000, Math.min(seconds * 1000, t0 + holdMs - 1500 - now()));
  if (windowMs < seconds * 1000) log(`${tag}: window shortened to ${(windowMs / 1000).toFixed(1)} s (calls came up slowly)`);
  for (const p of [...order, ...direct]) { p.lat.length = 0; p.burstLat.length = 0; p.snapshot(); }
  const c0 = { sb: cpuSeconds(sbPid), janus: cpuSeconds(janusPid), node: nodeCpuSeconds(), sipp: cpuSeconds(sipp.proc.pid), machine: machineBusySeconds(), t: now(), sbCs: ctxSwitches(sbPid), janusCs: ctxSwitches(janusPid) };
  measuring.on = true;
  const rssSamples = { sb: [], janus: [] };
  const sampler = setInterval(() => { rssSamples.sb.push(rssKB(sbPid)); rssSamples.janus.push(rssKB(janusPid)); }, 1000);
  let perfOut = null;
  let perfRun = null;
  if (perf) perfRun = runPerf(sbPid, Math.min(5, Math.max(1, Math.floor(windowMs / 1000) - 2)));
  const canary = runCanary(windowMs - 200);
  await sleep(windowMs);
  measuring.on = false;
  const c1 = { sb: cpuSeconds(sbPid), janus: cpuSeconds(janusPid), node: nodeCpuSeconds(), sipp: cpuSeconds(sipp.proc.pid), machine: machineBusySeconds(), t: now(), sbCs: ctxSwitches(sbPid), janusCs: ctxSwitches(janusPid) };
  clearInterval(sampler);
  rssSamples.sb.push(rssKB(sbPid)); rssSamples.janus.push(rssKB(janusPid));
  const activeDuring = await metric('switchboard_sip_active_calls');
  const udp1 = udpCounters();
  const udpErrors = ['InErrors', 'RcvbufErrors', 'SndbufErrors'].map((k) => [k, (udp1[k] ?? 0) - (udp0[k] ?? 0)]).filter(([, v]) => v > 0);
  const forwardsDuring = await metric('switchboard_media_forwarders');
  for (const p of [...order, ...direct]) p.freeze();
  const perfRec = perfRun ? await perfRun : null;
  const stalls = await canary;
  log(`${tag}: window done; waiting for sipp to hang up`);
  const sippResult = await sipp.done;
  sippProc = null;
  for (const p of [...order, ...direct]) p.close();
  if (perfRec) perfOut = await perfReport(perfRec);
  const drained = await until(async () => (await metric('switchboard_sip_active_calls')) === activeBefore
    && (await metric('switchboard_media_forwarders')) === 0, { timeout: 20000, every: 250 });
  if (!drained) log(`${tag}: calls/forwarders did not drain (active ${await metric('switchboard_sip_active_calls')}, forwarders ${await metric('switchboard_media_forwarders')})`);

  // ---- results
  if (KEEP) {
    writeFileSync(path.join(tmp, `phones-${tag}.json`), JSON.stringify([...order, ...direct].map((p) => ({
      id: p.id, kind: p.kind, role: p.role, session: p.session, source: p.source?.id, sent: p.sent, rx: p.rx, window: p.window,
      src: { base: p.src.base, first: p.src.first, max: p.src.max, distinct: p.src.distinct, valid: p.src.valid, crosstalk: p.src.crosstalk },
      tail: p.tailMissing, missing: p.missingLog, sendLateMax: p.sendLateMax, sendSkips: p.sendSkips,
    })), null, 1));
  }
  const secs = (c1.t - c0.t) / 1000;
  const cpu = {};
  for (const k of ['sb', 'janus', 'node', 'sipp', 'machine']) cpu[k] = ((c1[k] - c0[k]) / secs) * 100; // % of one core
  const cs = { sb: (c1.sbCs - c0.sbCs) / secs, janus: (c1.janusCs - c0.janusCs) / secs };
  cpu.other = Math.max(0, cpu.machine - cpu.sb - cpu.janus - cpu.node - (Number.isFinite(cpu.sipp) ? cpu.sipp : 0));
  const up = order.filter((p) => p.rx.packets > 0);
  const validated = mode === 'talker';
  const clean = up.filter((p) => p.rx.lost === 0 && p.rx.tsJumps === 0 && p.rx.markers === 0 && p.rx.late === 0
    && (!validated || !p.source || (p.src.valid > 0 && p.audioMissing === 0 && p.src.crosstalk === 0)));
  const sum = (xs, fn) => xs.reduce((a, x) => a + fn(x), 0);
  // The same, over the measurement window only (steady state, every call up).
  const cleanWindow = up.filter((p) => { const w = p.window; return w.lost === 0 && w.bad === 0
    && (!validated || !p.source || (p.src.valid > 0 && w.audioMissing === 0 && p.src.crosstalk === 0)); });
  const win = {
    clean: cleanWindow.length,
    rtpLossPct: (100 * sum(up, (p) => p.window.lost)) / Math.max(1, sum(up, (p) => p.window.expected)),
    audioLossPct: validated ? (100 * sum(up, (p) => (p.source ? p.window.audioMissing : 0))) / Math.max(1, sum(up, (p) => (p.source ? p.window.audioExpected : 0))) : NaN,
    bad: sum(up, (p) => p.window.bad),
  };
  const rtpLost = sum(up, (p) => p.rx.lost);
  const rtpExpected = sum(up, (p) => p.rx.packets + p.rx.lost);
  const audioMissing = validated ? sum(up, (p) => (p.source ? p.audioMissing : 0)) : NaN;
  const audioExpected = validated ? sum(up, (p) => (p.source ? p.audioExpected : 0)) : NaN;
  const deaf = validated ? up.filter((p) => p.source && p.src.valid === 0).length : 0;
  const stopped = validated ? up.filter((p) => p.tailMissing > 0).length : 0;
  const lat = [].concat(...order.map((p) => p.lat));
  const burstLat = [].concat(...order.map((p) => p.burstLat));
  const dLat = [].concat(...direct.map((p) => p.lat));
  const dBurst = [].concat(...direct.map((p) => p.burstLat));
  const perCallMedian = order.filter((p) => p.lat.length >= 10).map((p) => median(p.lat));
  const rssDuring = { sb: median(rssSamples.sb), janus: median(rssSamples.janus) };
  return {
    tag, n, mode, sessions: sessions.length, perSession, up: up.length, clean: clean.length, upMs, windowS: secs,
    win, rtpLost, rtpExpected, rtpLossPct: rtpExpected ? (100 * rtpLost) / rtpExpected : NaN,
    audioMissing, audioExpected, audioLossPct: audioExpected ? (100 * audioMissing) / audioExpected : NaN,
    crosstalk: sum(up, (p) => p.src.crosstalk), repairs, deaf, stopped,
    tsJumps: sum(up, (p) => p.rx.tsJumps), markers: sum(up, (p) => p.rx.markers), late: sum(up, (p) => p.rx.late), dup: sum(up, (p) => p.rx.dup),
    badPt: sum(up, (p) => p.rx.badPt),
    jitterMean: up.length ? sum(up, (p) => p.rx.jitter) / up.length : NaN, jitterMax: Math.max(...up.map((p) => p.rx.jitter)),
    maxGap: Math.max(...up.map((p) => p.rx.maxGap)), maxD: Math.max(...up.map((p) => p.rx.maxD)),
    sendLateMax: Math.max(0, ...[...order, ...direct].map((p) => p.sendLateMax)),
    sendSkips: sum([...order, ...direct], (p) => p.sendSkips),
    lat: { n: lat.length, p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99), max: pct(lat, 100) },
    burst: { n: burstLat.length, p50: pct(burstLat, 50), p95: pct(burstLat, 95) },
    direct: { n: dLat.length, p50: pct(dLat, 50), p95: pct(dLat, 95), p99: pct(dLat, 99), bn: dBurst.length, bp50: pct(dBurst, 50), bp95: pct(dBurst, 95) },
    perCall: { n: perCallMedian.length, min: pct(perCallMedian, 0), max: pct(perCallMedian, 100) },
    cpu, cs, rssPre, rssDuring, activeDuring, forwardsDuring, expectedForwards,
    sipp: sippResult, drained, perfOut, stalls, udpErrors,
  };
}

// A separate tiny process that sleeps 1 ms at a time for `ms` and reports how late it woke up: when
// it stalls too, the whole machine stalled (other load, the hypervisor), not this process or the bridge.
const CANARY = `const { performance: p } = require('perf_hooks'); const end = p.now() + Number(process.argv[1]);
let last = p.now(), max = 0, n20 = 0, n50 = 0;
const tick = () => { const t = p.now(), late = t - last - 1; if (late > max) max = late; if (late > 20) n20++; if (late > 50) n50++;
  last = t; if (t > end) console.log(JSON.stringify({ max, n20, n50 })); else setTimeout(tick, 1); };
setTimeout(tick, 1);`;
function runCanary(ms) {
  return new Promise((resolve) => {
    const c = spawn(process.execPath, ['-e', CANARY, String(ms)], { stdio: ['ignore', 'pipe', 'ignore'] });
    // The canary runs at the servers' priority, not at the phones' (--phones-nice).
    if (PHONES_NICE !== null) try { os.setPriority(c.pid, NICE !== null ? Number(NICE) : 0); } catch { /* gone */ }
    let out = '';
    c.stdout.on('data', (d) => { out += d; });
    const t = setTimeout(() => c.kill('SIGKILL'), ms + 5000);
    c.on('exit', () => { clearTimeout(t); try { resolve(JSON.parse(out)); } catch { resolve({ max: NaN, n20: NaN, n50: NaN }); } });
  });
}

// The load generator or the whole machine stalled: sends late by more than the jitter buffer hides.
const generatorStalled = (r) => r.sendSkips > 0 || r.sendLateMax > 40 || r.stalls?.n50 > 0;

// perf record of switchboard for `secs` seconds; resolves with the data file (or an error text).
// The report is made later (perfReport), when no phone is streaming: it takes seconds of CPU.
function runPerf(pid, secs) {
  return new Promise((resolve) => {
    const out = path.join(tmp, `perf-${pid}-${Date.now()}.data`);
    const rec = spawn('perf', ['record', '-N', '-B', '-F', '499', '-g', '-p', String(pid), '-o', out, '--', 'sleep', String(secs)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    rec.stderr.on('data', (d) => { err = (err + d).slice(-2000); });
    rec.on('error', (e) => resolve({ error: `perf not available: ${e.message}` }));
    rec.on('exit', (code) => resolve(code === 0 ? { file: out } : { error: `perf record failed (${code}): ${err}` }));
  });
}
function perfReport(rec) {
  if (rec.error) return Promise.resolve(rec.error);
  return new Promise((resolve) => {
    const p = spawn('perf', ['report', '-i', rec.file, '--stdio', '--no-children', '--percent-limit', '1', '--sort', 'dso,symbol', '-g', 'none'],
      { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (d) => { if (out.length < (8 << 20)) out += d; });
    const t = setTimeout(() => p.kill('SIGKILL'), 60000);
    p.on('error', (e) => { clearTimeout(t); resolve(`perf report failed: ${e.message}`); });
    p.on('exit', () => {
      clearTimeout(t);
      resolve(out.split('\n').filter((l) => l.trim() && !l.startsWith('#')).slice(0, 30)
        .map((l) => l.replace(/\s+-\s+-\s*$/, '').trimEnd()).map((l) => (l.length > 150 ? `${l.slice(0, 147)}...` : l)).join('\n'));
    });
  });
}

// ---------------------------------------------------------------- main
async function main() {
  if (!inTestNetns()) throw new Error(`run inside the "${NETNS.name}" namespace: scripts/netns.sh exec node bench/sip/run.mjs`);
  if (!existsSync(binary)) throw new Error(`${binary} missing: cd build && ninja switchboard`);
  // A private copy: others may rebuild build/switchboard during the run.
  const bin = path.join(tmp, 'switchboard');
  copyFileSync(binary, bin);
  chmodSync(bin, 0o755);
  const load1 = os.loadavg()[0];
  const b0 = machineBusySeconds();
  await sleep(2000);
  const busyBefore = ((machineBusySeconds() - b0) / 2) * 100;
  if (busyBefore >= 30) log(`the machine is busy before the start: ${busyBefore.toFixed(0)} % of a core in use; figures will be pessimistic`);
  if (NICE !== null) os.setPriority(0, Number(NICE)); // Janus, switchboard and sipp inherit it
  const maxCalls = Math.max(...STEPS, LAT_PAIRS * 2);
  // Port blocks picked at random so that other runs in the namespace rarely collide.
  // Each call takes two even ports (phone and room sockets; the odd ones are left for RTCP): 4 per call.
  const rtpPortSpan = Math.max(1000, Math.ceil((maxCalls * 4 + 100) / 1000) * 1000);
  const rtpPortMin = 12000 + Math.floor(Math.random() * Math.max(1, Math.floor(8000 / rtpPortSpan))) * rtpPortSpan;
  const rtpPortMax = rtpPortMin + rtpPortSpan - 1;
  const jBase = 20000 + Math.floor(Math.random() * Math.max(1, Math.floor(10000 / JANUS_PORTS))) * JANUS_PORTS;
  janus = await startJanus({ netns: true, rtpPortRange: `${jBase}-${jBase + JANUS_PORTS - 1}` });
  sb = await startSwitchboard({
    bin,
    config: {
      janusUrl: janus.wsUrl, janusAdminKey: janus.adminKey, sipListen: '127.0.0.1:0', rtpPortMin, rtpPortMax,
      maxParticipantsPerSession: 200, maxCalls: 300, logLevel: process.env.SB_LOG || 'warn',
    },
  });
  await sb.sipPort();
  // Janus and switchboard keep their priority; the phones (real phones have their own CPUs) and sipp get this one.
  if (PHONES_NICE !== null) os.setPriority(0, Number(PHONES_NICE));
  await sleep(1000);
  const idle = { sb: rssKB(sb.proc.pid), janus: rssKB(janus.pid) };
  log(`switchboard pid ${sb.proc.pid} (RSS ${idle.sb} kB), janus pid ${janus.pid} (RSS ${idle.janus} kB), load average ${load1.toFixed(2)}`);

  // 1. latency on an idle bridge: pairs that hear each other + direct loopback pairs.
  let latency;
  for (let attempt = 0; ; attempt++) {
    latency = await runStep({ tag: `latency${attempt ? `-retry${attempt}` : ''}`, n: LAT_PAIRS * 2, perSession: 2, mode: 'talker', seconds: LAT_SECONDS, directPairs: DIRECT_PAIRS });
    if (!generatorStalled(latency) || attempt >= RETRIES) break;
    log('latency: the machine or this process stalled during the window; repeating it');
  }
  log(`latency: bridge p50 ${f(latency.lat.p50)} ms p95 ${f(latency.lat.p95)} ms, direct p50 ${f(latency.direct.p50, 2)} ms`);

  // 2. load steps.
  const steps = [];
  for (const n of STEPS) {
    let r;
    for (let attempt = 0; ; attempt++) {
      r = await runStep({ tag: `n${n}${attempt ? `-retry${attempt}` : ''}`, n, perSession: PER_SESSION, mode: MODE, seconds: SECONDS, directPairs: 1, perf: PERF && n === CALLS });
      log(`n=${n}: ${r.clean}/${r.win.clean} of ${n} clean (call/window), rtp loss ${f(r.rtpLossPct, 3)} %, audio loss ${f(r.audioLossPct, 3)} %, sb ${f(r.cpu.sb)} % janus ${f(r.cpu.janus)} % node ${f(r.cpu.node)} % other ${f(r.cpu.other)} %`);
      if (r.win.clean === n || !generatorStalled(r) || attempt >= RETRIES) break;
      log(`n=${n}: the phones (this process) stalled during the step; repeating it`);
      r.discarded = true;
      steps.push(r);
    }
    steps.push(r);
    if (n >= CALLS && r.win.clean < n) break;
  }
  if (KEEP) writeFileSync(path.join(tmp, 'switchboard.log'), sb.logs());
  const serverLog = sb.logs().split('\n').filter((l) => l.trim() && !/ (INFO|DEBUG) /.test(l));
  if (serverLog.length) log(`switchboard logged ${serverLog.length} lines at warn or above; the last ones:\n${serverLog.slice(-15).join('\n')}`);
  report({ latency, steps, idle, load1, busyBefore });
}

function report({ latency, steps, idle, load1, busyBefore }) {
  const depth = jitterDepthFromSource();
  const jbMs = (depth.min - 1) * 20; // what the jitter buffer holds back at its least depth
  const rev = (() => { try { return execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD']).toString().trim(); } catch { return '?'; } })();
  const dirty = (() => { try { return execFileSync('git', ['-C', root, 'status', '--porcelain', 'server']).toString().trim() ? ' (+ uncommitted server/ changes)' : ''; } catch { return ''; } })();
  const out = [];
  const line = (s = '') => out.push(s);
  line('');
  line(`bench/sip — switchboard ${rev}${dirty}, ${new Date().toISOString()}, ${os.cpus().length} cores (${os.cpus()[0]?.model?.trim()}), load average at start ${load1.toFixed(2)}, CPU in use before the start ${busyBefore.toFixed(0)} % of a core${NICE !== null ? `, run at nice ${NICE}` : ''}${PHONES_NICE !== null ? `, phones and sipp at nice ${PHONES_NICE}` : ''}`);
  line(`phones: node dgram sockets in this process; signalling: one sipp (-inf); PCMU 20 ms both ways; mode ${MODE} (${PER_SESSION} phones/session${MODE === 'talker' ? ': phone 0 talks, the others hear only it, it hears phone 1' : ': everybody hears the whole session'})`);
  line('');
  line(`1. Concurrent bridged calls (${SECONDS} s window after all calls are up + ${SETTLE_MS / 1000} s; loss counted from each call's first packet to the end of the window)`);
  const hdr = ['calls', 'sipp ok/failed', 'up', 'clean: call/window', 'RTP loss %: call/window', 'audio loss %: call/window', 'ts jumps: call/window',
    'jitter mean/max ms', 'max gap ms', 'latency p50/p95 ms', 'setup s', 'phones late ms', 'machine stalls ms'];
  const rows = steps.map((r) => [
    `${r.n}${r.discarded ? ' (stalled, repeated)' : ''}`, `${r.sipp.successful}/${r.sipp.failed}`, r.up, `${r.clean}/${r.win.clean}`,
    `${f(r.rtpLossPct, 3)}/${f(r.win.rtpLossPct, 3)}`, `${f(r.audioLossPct, 3)}/${f(r.win.audioLossPct, 3)}`, `${r.tsJumps + r.markers + r.late}/${r.win.bad}`,
    `${f(r.jitterMean, 2)}/${f(r.jitterMax, 2)}`, f(r.maxGap, 0), `${f(r.lat.p50)}/${f(r.lat.p95)}`, f(r.upMs / 1000, 1),
    `${f(r.sendLateMax, 0)}${r.sendSkips ? `, ${r.sendSkips} skipped` : ''}`, stallText(r.stalls),
  ]);
  table(line, hdr, rows);
  for (const r of steps) {
    const notes = [];
    if (r.sipp.code !== 0) notes.push(`sipp exit ${r.sipp.code}${r.sipp.signal ? ` (${r.sipp.signal})` : ''}, successful ${r.sipp.successful}, failed ${r.sipp.failed}${r.sipp.errors ? ` (sipp: ${r.sipp.errors})` : ''}`);
    if (r.udpErrors?.length) notes.push(`kernel UDP counters (namespace-wide, dialing to end of window): ${r.udpErrors.map(([k, v]) => `${k} +${v}`).join(', ')}`);
    if (r.crosstalk) notes.push(`${r.crosstalk} frames from the wrong phone`);
    if (r.repairs) notes.push(`${r.repairs} subscriptions re-PUT because a forward failed at setup (bridge bug, see the server log)`);
    if (r.deaf) notes.push(`${r.deaf} phones never heard the phone they are subscribed to`);
    if (r.stopped) notes.push(`${r.stopped} phones stopped hearing it before the end`);
    if (r.late || r.dup) notes.push(`${r.late} reordered, ${r.dup} duplicate packets`);
    if (r.badPt) notes.push(`${r.badPt} packets not PCMU`);
    if (r.forwardsDuring !== r.expectedForwards) notes.push(`forwarders ${r.forwardsDuring}/${r.expectedForwards}`);
    if (!r.drained) notes.push('calls did not drain after the step');
    if (notes.length) line(`   n=${r.n}${r.discarded ? ' (stalled)' : ''}: ${notes.join('; ')}`);
  }
  line('   call: from each call\'s first packet (ramp-up included) to the end of the window; window: the steady window only.');
  line('   RTP loss: sequence gaps in what the bridge sent each phone. audio loss: frames of the phone it hears that never');
  line('   arrived (a counter in the payload; talker mode only). ts jumps: timestamp not +160 per packet (the bridge skipped');
  line('   ticks), marker bits after the first packet, reordered packets. jitter: RFC 3550 interarrival jitter at the phones.');
  line('   phones late: how late this process sent its frames (max, window). machine stalls: a separate idle process that');
  line('   wakes every 1 ms during the window: its longest oversleep, and how many exceeded 50 ms (the adaptive jitter buffer absorbs\n   stalls up to 100 ms by growing, which costs latency instead of audio).');
  line('');
  line('2. CPU and memory per bridged call (steady window; % of one core; RSS: median during the window, minus the RSS before');
  line('   dialing this step, and minus the RSS of the fresh server before the first call)');
  table(line, ['calls', 'sb %core', 'janus %core', 'node %core', 'other %core', 'sb %core/call', 'janus %core/call', 'sb ctx sw/s/call', 'janus ctx sw/s/call',
    'sb RSS MB', 'sb RSS/call KB: step/fresh', 'janus RSS/call KB'],
    steps.map((r) => [`${r.n}${r.discarded ? ' (stalled)' : ''}`, f(r.cpu.sb), f(r.cpu.janus), f(r.cpu.node), f(r.cpu.other),
      f(r.cpu.sb / r.n, 3), f(r.cpu.janus / r.n, 3), f(r.cs.sb / r.n, 0), f(r.cs.janus / r.n, 0),
      f(r.rssDuring.sb / 1024, 1), `${f((r.rssDuring.sb - r.rssPre.sb) / r.n, 0)}/${f((r.rssDuring.sb - idle.sb) / r.n, 0)}`, f((r.rssDuring.janus - r.rssPre.janus) / r.n, 0)]));
  line('   other: CPU of everything else on the machine (compilers, other tests) during the window.');
  line(`   switchboard RSS at start ${f(idle.sb / 1024, 1)} MB, Janus ${f(idle.janus / 1024, 1)} MB.`);
  line('');
  const L = latency;
  const addedP50 = L.lat.p50 - L.direct.p50 - 20;
  const addedP95 = L.lat.p95 - L.direct.p95 - 20;
  line(`3. Added latency, phone → bridge → phone, idle bridge (${L.n} calls in ${L.sessions} two-phone sessions, ${f(L.windowS, 0)} s; every frame timed by its counter)`);
  table(line, ['path', 'samples', 'p50 ms', 'p95 ms', 'p99 ms', 'burst p50/p95 ms (energy)'], [
    ['phone → switchboard → Janus → switchboard → phone', L.lat.n, f(L.lat.p50, 1), f(L.lat.p95, 1), f(L.lat.p99, 1), `${f(L.burst.p50, 1)}/${f(L.burst.p95, 1)} (${L.burst.n})`],
    ['baseline: node socket → node socket (loopback)', L.direct.n, f(L.direct.p50, 2), f(L.direct.p95, 2), f(L.direct.p99, 2), `${f(L.direct.bp50, 2)}/${f(L.direct.bp95, 2)} (${L.direct.bn})`],
    ['added beyond one 20 ms frame (bridge − baseline − 20)', '', f(addedP50, 1), f(addedP95, 1), '', ''],
  ]);
  line(`   these calls: ${L.clean}/${L.n} clean (${L.win.clean} in the window), RTP loss ${f(L.rtpLossPct, 3)} %, audio loss ${f(L.audioLossPct, 3)} %, ts jumps ${L.tsJumps}${L.repairs ? `, ${L.repairs} subscriptions re-PUT after a failed forward` : ''}; phone sends up to ${f(L.sendLateMax, 1)} ms late${L.sendSkips ? `, ${L.sendSkips} frames skipped` : ''}; machine stalls ${stallText(L.stalls)}; other CPU ${f(L.cpu.other)} % of a core`);
  line(`   per-call median latency ranges ${f(L.perCall.min, 1)}–${f(L.perCall.max, 1)} ms over ${L.perCall.n} directions: each call's 20 ms tick has its own phase`);
  line(`   against the arriving packets, so a call waits 0–20 ms for its next tick (the re-packetization, fixed per call).`);
  line(`   The jitter buffer adapts between ${depth.min} and ${depth.max} frames (CallAudioPipeline::Config defaults, read from the source):`);
  line(`   it starts at ${depth.min} (${jbMs} ms held back) and grows by the frames a packet was late, so a stall costs latency, not audio.`);
  line(`   The rest (bridge − baseline − ${jbMs} ms) is ${f(L.lat.p50 - L.direct.p50 - jbMs, 1)} ms at p50 and ${f(L.lat.p95 - L.direct.p95 - jbMs, 1)} ms at p95:`);
  const rest95 = L.lat.p95 - L.direct.p95 - jbMs;
  line(`   the wait for the call's next tick plus Janus and switchboard processing${rest95 <= 20 ? ', i.e. within the one-frame allowance.' : ' plus jitter-buffer growth after late packets (stalls, see above).'}`);
  for (const r of steps) line(`   under load, n=${r.n}${r.discarded ? ' (stalled)' : ''}: bridge p50/p95 ${f(r.lat.p50, 1)}/${f(r.lat.p95, 1)} ms, p99 ${f(r.lat.p99, 1)}, max ${f(r.lat.max, 1)}; direct pair p50/p95 ${f(r.direct.p50, 2)}/${f(r.direct.p95, 2)} ms; added p95 ${f(r.lat.p95 - r.direct.p95 - 20, 1)} ms`);
  line('');
  // Goals.
  const valid = steps.filter((r) => !r.discarded);
  const cleanSteps = valid.filter((r) => r.win.clean === r.n);
  const maxClean = cleanSteps.length ? Math.max(...cleanSteps.map((r) => r.n)) : 0;
  const head = valid.find((r) => r.n === CALLS) || valid[valid.length - 1];
  const rssPerCall = (head.rssDuring.sb - idle.sb) / head.n; // the conservative one: against the fresh server
  const firstLossy = valid.find((r) => r.win.clean < r.n);
  line('Goals');
  table(line, ['figure', 'value', 'goal', ''], [
    ['concurrent bridged calls with zero loss (steady window)', `${maxClean}${firstLossy ? ` (n=${firstLossy.n}: ${firstLossy.win.clean} clean, RTP loss ${f(firstLossy.win.rtpLossPct, 3)} %, audio loss ${f(firstLossy.win.audioLossPct, 3)} %)` : ` (every step up to ${valid[valid.length - 1].n} clean)`}`, `≥ ${GOALS.calls} on this ${os.cpus().length}-core machine`, maxClean >= GOALS.calls ? 'PASS' : 'MISS'],
    [`CPU per bridged call at n=${head.n} (switchboard / Janus)`, `${f(head.cpu.sb / head.n, 3)} / ${f(head.cpu.janus / head.n, 3)} % of a core`, '(no goal)', ''],
    [`switchboard memory per bridged call at n=${head.n} (RSS growth over the fresh server)`, `${f(rssPerCall, 0)} KB`, `< ${GOALS.rssPerCallKB} KB`, rssPerCall < GOALS.rssPerCallKB ? 'PASS' : 'MISS'],
    ['added latency p95 beyond packetization (idle)', `${f(addedP95, 1)} ms (jitter buffer ${depth.min}–${depth.max} frames, adaptive)`, `≤ ${GOALS.addedP95Ms} ms`, addedP95 <= GOALS.addedP95Ms ? 'PASS' : 'MISS'],
  ]);
  const busy = steps.filter((r) => r.cpu.other >= 15);
  if (busy.length) line(`! other processes used ≥ 15 % of a core during n=${busy.map((r) => r.n).join(', ')}: CPU and loss figures are pessimistic; re-run on an idle machine.`);
  const perfStep = steps.find((r) => r.perfOut);
  if (perfStep) { line(''); line(`perf record of switchboard at n=${perfStep.n} (self time, dso/symbol, ≥ 1 %):`); line(perfStep.perfOut); }
  console.log(out.join('\n'));
}

const stallText = (st) => (st && Number.isFinite(st.max) ? `max ${f(st.max, 0)}${st.n50 ? `, ${st.n50}×>50` : ''}` : '-');

function table(line, hdr, rows) {
  const w = hdr.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
  const fmt = (r) => `| ${r.map((c, i) => String(c).padEnd(w[i])).join(' | ')} |`;
  line(fmt(hdr));
  line(`|${w.map((x) => '-'.repeat(x + 2)).join('|')}|`);
  for (const r of rows) line(fmt(r));
}

let code = 0;
try {
  await main();
} catch (e) {
  console.error(`bench/sip failed: ${e.stack || e.message}`);
  if (sb) console.error(sb.logs().slice(-3000));
  code = 1;
} finally {
  await cleanup();
  clearTimeout(watchdog);
}
process.exit(code);
