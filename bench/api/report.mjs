// Prints the table of bench/api/run.sh from the files it left in its results dir.
//   node report.mjs RESULTS_DIR
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
const json = (name) => JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
const meta = json('meta.json');

function wrk(name) {
  const text = readFileSync(path.join(dir, `wrk-${name}.txt`), 'utf8');
  const line = text.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  const r = {};
  for (const kv of line.split(' ').slice(1)) {
    const [k, v] = kv.split('=');
    r[k] = Number(v);
  }
  r.errors = r.errors_connect + r.errors_read + r.errors_write + r.errors_timeout;
  r.cpu = json(`cpu-${name}.json`);
  return r;
}

const fmt = (v, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
const int = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a');
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const row = (cells, widths) => cells.map((c, i) => (i === 0 ? pad(c, widths[i]) : lpad(c, widths[i]))).join('  ');
const rule = (n) => '-'.repeat(n);

const out = [];
const p = (s = '') => out.push(s);

p(`Switchboard REST API benchmark  (${meta.cores} cores: ${meta.cpu})`);
p(`${meta.wrk}; nginx ${meta.nginx}; node ${meta.node}`);
p(`wrk -t${meta.wrk_threads} -c${meta.connections}, ${meta.seconds} s per measured run; switchboard: ${meta.store} store, 2 threads, logLevel warn, requestLog off, no rate limit`);
p(`Background CPU use before the run: ${meta.background_cpu_pct}% of ${meta.cores * 100}%${meta.background_cpu_pct >= 20 ? '  <-- WARNING: machine was busy, figures are low' : ''}`);
p(`Response bodies: getSession ${meta.get_bytes} B, createParticipant ${meta.post_bytes} B; nginx serves static JSON files of exactly these sizes.`);
p();

// ---------------------------------------------------------------- closed loop
const ng = wrk('nginx-get');
const sg = wrk('sb-get');
const np = wrk('nginx-post');
const sp = wrk('sb-post');
const wW = [44, 9, 7, 7, 7, 7, 8, 6, 6];
const disturbed = (c) => (c.other_cpu_pct >= 15 ? ' !' : '');
p('1. Peak throughput, closed loop (wrk --latency; all connections busy all the time)');
p(row(['target', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'errors', 'CPU: srv', 'wrk', 'other'], wW));
p(rule(wW.reduce((a, b) => a + b + 2, -2)));
const wrkRow = (label, r) =>
  p(row([label, int(r.rps), fmt(r.p50_ms), fmt(r.p90_ms), fmt(r.p99_ms), int(r.errors + r.errors_status),
    `${r.cpu.target_cpu_pct}%`, `${r.cpu.generator_cpu_pct}%`, `${r.cpu.other_cpu_pct}%${disturbed(r.cpu)}`], wW));
wrkRow(`nginx      GET  static ${meta.get_bytes} B`, ng);
wrkRow('switchboard GET  getSession', sg);
wrkRow(`nginx      GET  static ${meta.post_bytes} B (*)`, np);
wrkRow('switchboard POST createParticipant', sp);
const getRatio = sg.rps / ng.rps;
const postRatio = sp.rps / np.rps;
p();
p(`   ratio switchboard/nginx  GET : ${fmt(getRatio)}   POST: ${fmt(postRatio)}`);
p('   (*) nginx static serves GET only: the POST figure is compared with nginx GET of a file the size of the');
p('       createParticipant response. "errors" = socket errors + HTTP status >= 400.');
p(`   CPU in % of one core (${meta.cores * 100}% = all ${meta.cores} cores busy): srv = the server under test (nginx: master +`);
p('   workers), wrk/gen = the load generator, other = the rest of the machine ("!" = 15% or more: that run was disturbed).');
p();

// ---------------------------------------------------------------- open loop
const ol = (name) => json(`openloop-${name}.json`);
const og = ol('sb-get');
const op = ol('sb-post');
const ong = ol('nginx-get');
const onp = ol('nginx-post');
const oW = [44, 8, 8, 6, 6, 7, 7, 7, 7, 6, 8, 5, 6];
p('2. Latency at 50% of switchboard\'s peak, open loop (openloop.mjs: constant rate, wrk2-style;');
p(`   latency from each request's intended send time; ${meta.connections} keep-alive connections; 1 s warm-up excluded)`);
p(row(['target', 'rate/s', 'achieved', 'p50 ms', 'p90 ms', 'p99 ms', 'p99.9', 'max ms', 'svc p99', 'errors', 'CPU: srv', 'gen', 'other'], oW));
p(rule(oW.reduce((a, b) => a + b + 2, -2)));
const olRow = (label, r, c) =>
  p(row([label, int(r.offered_rps), int(r.achieved_rps), fmt(r.p50_ms), fmt(r.p90_ms), fmt(r.p99_ms),
    fmt(r.p999_ms), fmt(r.max_ms), fmt(r.service_p99_ms), int(r.errors + r.non2xx),
    `${c.target_cpu_pct}%`, `${c.generator_cpu_pct}%`, `${c.other_cpu_pct}%${disturbed(c)}`], oW));
olRow('switchboard GET  getSession', og, json('cpu-ol-sb-get.json'));
olRow('switchboard POST createParticipant', op, json('cpu-ol-sb-post.json'));
olRow(`nginx      GET  static ${meta.get_bytes} B (same rate)`, ong, json('cpu-ol-nginx-get.json'));
olRow(`nginx      GET  static ${meta.post_bytes} B (same rate)`, onp, json('cpu-ol-nginx-post.json'));
p('   The nginx rows are the floor of this generator + loopback at the same rates. "svc p99" is measured from');
p('   the actual write instead of the intended time (the difference is queueing behind busy connections).');
p();

// ---------------------------------------------------------------- memory
const stores = meta.mem_stores.split(/\s+/).filter(Boolean);
const mem = {};
for (const s of stores) if (existsSync(path.join(dir, `memory-${s}.json`))) mem[s] = json(`memory-${s}.json`);
const mb = (kb) => `${(kb / 1024).toFixed(1)} MB`;
const mW = [24, 10, 11, 10, 10, 13, 16];
p(`3. Memory (VmRSS of a fresh server; ${int(meta.mem_sessions)} sessions x 2 participants, each added to its session;`);
p(`   ${int(meta.mem_sessions * 5)} requests, <= ${meta.connections} in flight; 1 MB = 1024 kB)`);
p(row(['store', 'idle RSS', 'loaded RSS', 'peak HWM', 'growth', 'per session', 'per participant'], mW));
p(rule(mW.reduce((a, b) => a + b + 2, -2)));
for (const [s, m] of Object.entries(mem)) {
  p(row([`${s}${s === 'sqlite' ? ' (goal)' : ' (info)'}`, mb(m.idle_rss_kb), mb(m.loaded_rss_kb), mb(m.loaded_hwm_kb),
    mb(m.growth_kb), `${int(m.bytes_per_session)} B`, `${int(m.bytes_per_participant)} B`], mW));
}
const tput = json('throughput-rss.json');
p(`   (per participant = growth / ${int(meta.mem_sessions * 2)}; per session = growth / ${int(meta.mem_sessions)}.`);
p(`   RSS of the throughput server after all runs above, with ~${int((sp.requests + op.sent) / 1000)}k participants created: ${mb(tput.rss_kb)})`);
p();

// ---------------------------------------------------------------- goals
p('   With the sqlite store the data lives in the database file: RSS growth is mostly SQLite\'s page cache, which');
p('   is bounded (cache_size, default 2 MB), so it stays flat as data grows. The memory store row shows what the');
p('   data model itself costs in RAM.');
p();
const goalMem = mem.sqlite || Object.values(mem)[0];
const goals = [
  ['GET req/s >= 0.7 x nginx', `${fmt(getRatio)} x`, getRatio >= 0.7],
  ['POST req/s >= 0.3 x nginx', `${fmt(postRatio)} x`, postRatio >= 0.3],
  ['GET p99 < 5 ms at half peak', `${fmt(og.p99_ms)} ms @ ${int(og.offered_rps)}/s`, og.p99_ms < 5 && og.errors + og.non2xx === 0],
  ['POST p99 < 5 ms at half peak', `${fmt(op.p99_ms)} ms @ ${int(op.offered_rps)}/s`, op.p99_ms < 5 && op.errors + op.non2xx === 0],
];
if (goalMem) {
  goals.push(['idle RSS < 20 MB', mb(goalMem.idle_rss_kb), goalMem.idle_rss_kb < 20 * 1024]);
  goals.push(['< 2 KB per participant', `${int(goalMem.bytes_per_participant)} B`, goalMem.bytes_per_participant < 2048]);
}
const gW = [34, 24, 6];
p('4. Goals');
p(row(['goal', 'measured', 'result'], gW));
p(rule(gW.reduce((a, b) => a + b + 2, -2)));
for (const [g, v, ok] of goals) p(row([g, v, ok ? 'PASS' : 'MISS'], gW));
const passed = goals.filter((g) => g[2]).length;
p(`${passed} of ${goals.length} goals met.`);
const cpus = ['nginx-get', 'sb-get', 'nginx-post', 'sb-post', 'ol-sb-get', 'ol-sb-post', 'ol-nginx-get', 'ol-nginx-post']
  .filter((n) => json(`cpu-${n}.json`).other_cpu_pct >= 15);
if (meta.background_cpu_pct >= 20 || cpus.length) {
  p(`WARNING: other processes used the CPU during ${cpus.length ? cpus.join(', ') : 'the run'}; those figures are`);
  p('         low/noisy. Re-run on an otherwise idle machine.');
}
console.log(out.join('\n'));
