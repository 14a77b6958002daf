// Prints the table of `BENCH_TLS=1 bench/api/run.sh` from the files it left in its results dir:
// switchboard and nginx over TLS with the same certificate, keep-alive GET and POST, and full
// handshakes per second.
//   node report-tls.mjs RESULTS_DIR
import { readFileSync } from 'node:fs';
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
  r.errors = r.errors_connect + r.errors_read + r.errors_write + r.errors_timeout + r.errors_status;
  r.cpu = json(`cpu-${name}.json`);
  return r;
}

const fmt = (v, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
const int = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'n/a');
const row = (cells, widths) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
const rule = (widths) => '-'.repeat(widths.reduce((a, b) => a + b + 2, -2));
const out = [];
const p = (s = '') => out.push(s);

p(`Switchboard REST API over TLS vs nginx over TLS  (${meta.cores} cores: ${meta.cpu})`);
p(`${meta.wrk}; nginx ${meta.nginx}; ${meta.openssl}`);
p(`wrk -t${meta.wrk_threads} -c${meta.connections}, ${meta.seconds} s per measured run; switchboard: ${meta.store} store, 2 threads`);
p('Both: the same self-signed EC P-256 certificate, TLS 1.2 and 1.3 with the same TLS 1.2 ciphers; wrk negotiates TLS 1.3.');
p(`Background CPU use before the run: ${meta.background_cpu_pct}% of ${meta.cores * 100}%${meta.background_cpu_pct >= 20 ? '  <-- WARNING: machine was busy, figures are low' : ''}`);
p();
const runs = {
  ng: wrk('nginx-get'), sg: wrk('sb-get'), np: wrk('nginx-post'), sp: wrk('sb-post'), nh: wrk('nginx-hs'), sh: wrk('sb-hs'),
};
const W = [48, 9, 7, 7, 7, 7, 8, 6, 6];
const disturbed = (c) => (c.other_cpu_pct >= 15 ? ' !' : '');
p(row(['target', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'errors', 'CPU: srv', 'wrk', 'other'], W));
p(rule(W));
const line = (label, r) => p(row([label, int(r.rps), fmt(r.p50_ms), fmt(r.p90_ms), fmt(r.p99_ms), int(r.errors),
  `${r.cpu.target_cpu_pct}%`, `${r.cpu.generator_cpu_pct}%`, `${r.cpu.other_cpu_pct}%${disturbed(r.cpu)}`], W));
line(`nginx       GET  static ${meta.get_bytes} B, keep-alive`, runs.ng);
line('switchboard GET  getSession, keep-alive', runs.sg);
line(`nginx       GET  static ${meta.post_bytes} B, keep-alive (*)`, runs.np);
line('switchboard POST createParticipant, keep-alive', runs.sp);
line(`nginx       GET  static ${meta.get_bytes} B, handshake each`, runs.nh);
line('switchboard GET  getSession, handshake each', runs.sh);
p();
const getRatio = runs.sg.rps / runs.ng.rps;
const postRatio = runs.sp.rps / runs.np.rps;
const hsRatio = runs.sh.rps / runs.nh.rps;
p(`   ratio switchboard/nginx  GET: ${fmt(getRatio)}   POST: ${fmt(postRatio)}   handshakes/s: ${fmt(hsRatio)}`);
p('   (*) nginx static serves GET only: the POST figure is compared with nginx GET of a file the size of the');
p('       createParticipant response. "handshake each": Connection: close on every request, so every request is');
p('       a new connection with a full handshake (req/s = handshakes/s). "errors" = socket errors + status >= 400.');
p(`   CPU in % of one core (${meta.cores * 100}% = all cores busy); "!" = other processes used 15% or more during that run.`);
p();
const goal = getRatio >= 0.6;
p(`Goal: TLS GET >= 0.6 x nginx: ${fmt(getRatio)} x  ${goal ? 'PASS' : 'MISS'}`);
console.log(out.join('\n'));
