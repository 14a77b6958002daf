// Constant-rate (open-loop) HTTP/1.1 load generator for bench/api/run.sh - what wrk2 does, for
// machines without wrk2 (Debian does not package it).
//
//   node openloop.mjs --url URL --rate N --seconds S [--warmup S] [--connections C]
//                     [--method GET|POST] [--auth HEADER] [--body JSON]
//
// Requests are scheduled at fixed instants start + i/rate, whether or not earlier ones have
// answered. A request that finds every connection busy waits in a queue, and its latency is
// measured from its *intended* send time, not from when a connection became free - so a server
// stall shows up in the percentiles instead of silently lowering the offered load ("coordinated
// omission"). The time from the actual write to the full response ("service time") is reported
// too: the gap between the two is queueing in the generator.
//
// Fixed pool of keep-alive connections, one request in flight per connection (no pipelining).
// It speaks raw HTTP/1.1 over net.Socket instead of http.Agent: the node http client costs
// several times more CPU per request, and on a 2-core machine every cycle the generator burns is
// taken from the server. Responses must carry Content-Length (switchboard and nginx static do).
//
// Prints one JSON object: {offered_rps, achieved_rps, sent, completed, non2xx, errors,
// p50_ms, p90_ms, p99_ms, p999_ms, max_ms, service_p50_ms, service_p99_ms, late_sends}.
import net from 'node:net';
import { performance } from 'node:perf_hooks';

function parseArgs(argv) {
  const o = { method: 'GET', connections: 32, warmup: 1, seconds: 10 };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i].replace(/^--/, '');
    o[k] = argv[i + 1];
  }
  for (const k of ['rate', 'seconds', 'warmup', 'connections']) o[k] = Number(o[k]);
  if (!o.url || !(o.rate > 0) || !(o.seconds > 0)) {
    console.error('usage: node openloop.mjs --url URL --rate N --seconds S [--warmup S] [--connections C] [--method M] [--auth H] [--body B]');
    process.exit(2);
  }
  return o;
}

const opt = parseArgs(process.argv.slice(2));
const url = new URL(opt.url);
const port = Number(url.port || 80);
const body = opt.body ? Buffer.from(opt.body) : null;
let head = `${opt.method} ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\n`;
if (opt.auth) head += `Authorization: ${opt.auth}\r\n`;
if (body) head += `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n`;
head += '\r\n';
const request = body ? Buffer.concat([Buffer.from(head), body]) : Buffer.from(head);

const periodMs = 1000 / opt.rate;
const warmupCount = Math.round(opt.rate * opt.warmup);
const total = warmupCount + Math.round(opt.rate * opt.seconds);
const measured = total - warmupCount;
const latency = new Float64Array(measured);  // from intended send time
const service = new Float64Array(measured);  // from actual write
let recorded = 0;
let completed = 0;
let non2xx = 0;
let errors = 0;
let lateSends = 0;  // requests written more than 1 ms after their intended time

// Pending intended send times, as a growable ring of indices (index i is due at start + i*period).
let nextIndex = 0;   // next request index to become due
let queueHead = 0;   // next due index waiting for a connection
let start = 0;

const idle = [];
const HEADER_END = Buffer.from('\r\n\r\n');

class Conn {
  constructor() {
    this.buf = null;
    this.need = -1;
    this.status = 0;
    this.index = -1;
    this.sentAt = 0;
    this.ready = new Promise((resolve, reject) => {
      this.sock = net.connect({ host: url.hostname, port, noDelay: true }, resolve);
      this.sock.once('error', reject);
    });
    this.sock.on('data', (chunk) => this.onData(chunk));
    this.sock.on('close', () => {
      if (this.index >= 0) { errors++; this.index = -1; }
      this.dead = true;
    });
  }
  send(index) {
    this.index = index;
    this.sentAt = performance.now();
    if (this.sentAt - (start + index * periodMs) > 1) lateSends++;
    this.sock.write(request);
  }
  onData(chunk) {
    this.buf = this.buf ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (this.need < 0) {
        const he = this.buf.indexOf(HEADER_END);
        if (he < 0) return;
        const headers = this.buf.toString('latin1', 0, he);
        this.status = Number(headers.slice(9, 12));
        const m = headers.match(/\r\ncontent-length:\s*(\d+)/i);
        if (!m) { console.error('openloop: response without Content-Length'); process.exit(1); }
        this.need = he + 4 + Number(m[1]);
      }
      if (this.buf.length < this.need) return;
      this.buf = this.buf.length === this.need ? null : this.buf.subarray(this.need);
      this.need = -1;
      this.complete();
      if (!this.buf) return;
    }
  }
  complete() {
    const now = performance.now();
    const i = this.index;
    this.index = -1;
    completed++;
    if (this.status < 200 || this.status > 299) non2xx++;
    if (i >= warmupCount) {
      latency[recorded] = now - (start + i * periodMs);
      service[recorded] = now - this.sentAt;
      recorded++;
    }
    idle.push(this);
    pump();
    if (completed + errors >= total) finish();
  }
}

// Moves every request whose intended time has come to the queue and hands queued requests to
// idle connections. Called from a 1 ms timer and after every response, so at high rates requests
// go out with much finer granularity than the timer's.
function pump() {
  const due = Math.min(total, Math.floor((performance.now() - start) / periodMs) + 1);
  if (due > nextIndex) nextIndex = due;
  while (queueHead < nextIndex && idle.length) {
    const c = idle.pop();
    if (!c.dead) c.send(queueHead++);
  }
}

function tick() {
  pump();
  if (nextIndex < total) setTimeout(tick, 1);
}

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

let finished = false;
function finish() {
  if (finished) return;
  finished = true;
  clearTimeout(deadline);
  const elapsed = (performance.now() - start) / 1000 - opt.warmup;
  const cpu = process.cpuUsage(cpu0);
  const lat = latency.subarray(0, recorded).sort();
  const svc = service.subarray(0, recorded).sort();
  const r = (x) => Math.round(x * 1000) / 1000;
  console.log(JSON.stringify({
    offered_rps: opt.rate,
    achieved_rps: Math.round(recorded / elapsed),
    sent: total, completed, non2xx, errors, late_sends: lateSends,
    p50_ms: r(percentile(lat, 50)), p90_ms: r(percentile(lat, 90)), p99_ms: r(percentile(lat, 99)),
    p999_ms: r(percentile(lat, 99.9)), max_ms: r(lat.length ? lat[lat.length - 1] : NaN),
    service_p50_ms: r(percentile(svc, 50)), service_p99_ms: r(percentile(svc, 99)),
    generator_cpu_pct: Math.round((100 * (cpu.user + cpu.system)) / 1e6 / (elapsed + opt.warmup)),
  }));
  for (const c of conns) c.sock.destroy();
  process.exit(0);
}

const conns = [];
for (let i = 0; i < opt.connections; i++) conns.push(new Conn());
await Promise.all(conns.map((c) => c.ready));
idle.push(...conns);
start = performance.now();
const cpu0 = process.cpuUsage();
// Bounded: whatever has not answered 5 s after the last scheduled send counts as an error.
const deadline = setTimeout(() => {
  errors += total - completed - errors;
  finish();
}, (opt.warmup + opt.seconds + 5) * 1000);
tick();
