// Memory workload for bench/api/run.sh.
//
//   node memory.mjs --base URL --account ID --auth HEADER --pid PID [--sessions N] [--concurrency C]
//
// Reads the server's VmRSS (/proc/PID/status) before any request, then creates N sessions
// (default 10,000), each with 2 participants that are added to it (POST session, 2 x POST
// participant, 2 x PUT membership = 5 requests per session), with at most C (default 32)
// requests in flight over keep-alive connections. Then reads VmRSS again (and VmHWM, the peak).
// Prints one JSON object with the figures in kB / bytes.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const o = { sessions: 10000, concurrency: 32 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) o[argv[i].replace(/^--/, '')] = argv[i + 1];
o.sessions = Number(o.sessions);
o.concurrency = Number(o.concurrency);

function status(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number((text.match(new RegExp(`^${k}:\\s+(\\d+)\\s+kB`, 'm')) || [])[1]);
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: o.concurrency });
const base = new URL(`${o.base}/v1/accounts/${o.account}`);

function request(method, path, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? null : JSON.stringify(body);
    const headers = { authorization: o.auth };
    if (payload) { headers['content-type'] = 'application/json'; headers['content-length'] = Buffer.byteLength(payload); }
    const req = http.request({ agent, host: base.hostname, port: base.port, method, path: base.pathname + path, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode < 200 || res.statusCode > 299) reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
        else resolve(text ? JSON.parse(text) : null);
      });
    });
    req.setTimeout(10000, () => req.destroy(new Error(`${method} ${path}: timeout`)));
    req.on('error', reject);
    req.end(payload);
  });
}

async function oneSession(n) {
  const s = await request('POST', '/sessions', { tag: `mem-${n}` });
  const [a, b] = await Promise.all([
    request('POST', '/participants', { publishPermissions: ['AUDIO'], tag: `mem-${n}-a` }),
    request('POST', '/participants', { publishPermissions: ['AUDIO'], tag: `mem-${n}-b` }),
  ]);
  await Promise.all([
    request('PUT', `/sessions/${s.id}/participants/${a.participant.id}`, { sessionId: s.id }),
    request('PUT', `/sessions/${s.id}/participants/${b.participant.id}`, { sessionId: s.id }),
  ]);
}

const idle = status(o.pid);
const t0 = performance.now();
let next = 0;
// Each worker has up to 2 requests in flight, so concurrency/2 workers keep <= concurrency.
const workers = Array.from({ length: Math.max(1, Math.floor(o.concurrency / 2)) }, async () => {
  while (next < o.sessions) await oneSession(next++);
});
await Promise.all(workers);
const seconds = (performance.now() - t0) / 1000;
await new Promise((r) => setTimeout(r, 500));
const loaded = status(o.pid);
agent.destroy();
const growthKb = loaded.rss - idle.rss;
const participants = o.sessions * 2;
console.log(JSON.stringify({
  sessions: o.sessions, participants, requests: o.sessions * 5, seconds: Math.round(seconds * 10) / 10,
  idle_rss_kb: idle.rss, loaded_rss_kb: loaded.rss, loaded_hwm_kb: loaded.hwm, growth_kb: growthKb,
  bytes_per_session: Math.round((growthKb * 1024) / o.sessions),
  bytes_per_participant: Math.round((growthKb * 1024) / participants),
}));
