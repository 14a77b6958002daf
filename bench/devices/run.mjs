#!/usr/bin/env node
// bench/devices: N scripted devices connect to /v3/, call setMediaPreferences and ping, and stay
// connected. Reports connect latency (socket open → setMediaPreferences answered) p50/p99, the
// server's resident memory per connected device, and errors. Baseline in the same run: the same
// number of WebSocket connections to a minimal node `ws` echo server (what a bare socket costs).
// Usage: node bench/devices/run.mjs [--devices 1000] [--concurrency 10]
// (At --concurrency 50 the single-threaded node client saturates first: both the server and the
// baseline then show second-long tails on 2 cores.)
import WebSocket, { WebSocketServer } from 'ws';
import { readFileSync } from 'node:fs';
import { startSwitchboard, call } from '../../tests/support/server.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const DEVICES = Number(args.devices || 1000);
const CONCURRENCY = Number(args.concurrency || 10);

const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

function openDevice(url, script) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const ws = new WebSocket(url);
    let id = 0;
    const pending = new Map();
    const rpc = (method, params) => new Promise((res) => {
      id += 1;
      pending.set(id, res);
      ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
    ws.on('message', (d) => {
      const m = JSON.parse(String(d));
      if (pending.has(m.id)) { pending.get(m.id)(m); pending.delete(m.id); }
    });
    ws.on('error', (e) => resolve({ ws, error: e.message }));
    ws.on('open', async () => {
      if (!script) return resolve({ ws, ms: performance.now() - t0 });
      const prefs = await rpc('setMediaPreferences', { protocol: 'WEBRTC' });
      const ms = performance.now() - t0;
      const ping = await rpc('ping', {});
      resolve({ ws, ms, error: prefs.error || ping.error ? 'rpc error' : null });
    });
  });
}

async function connectAll(urls, script) {
  const results = [];
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < urls.length) {
      const i = next++;
      results[i] = await openDevice(urls[i], script);
    }
  }));
  return results;
}

function summarize(name, results, pid, rssBefore) {
  const ok = results.filter((r) => !r.error);
  const lat = ok.map((r) => r.ms).sort((a, b) => a - b);
  const rssAfter = rssKb(pid);
  const perDevice = ((rssAfter - rssBefore) * 1024) / Math.max(1, ok.length);
  return { name, connected: ok.length, errors: results.length - ok.length, p50: pct(lat, 50), p99: pct(lat, 99), rssBefore, rssAfter, perDevice };
}

// --- switchboard ---
const sb = await startSwitchboard({ config: { logLevel: 'warn', rateLimitPerSecond: 0, maxConnectionsPerAddress: 0, maxDevicesPerAccount: 0 } });
const session = (await call(`${sb.api()}/sessions`, { method: 'POST', body: {} })).body.id;
const urls = [];
for (let i = 0; i < DEVICES; i++) {
  const p = (await call(`${sb.api()}/participants`, { method: 'POST', body: { publishPermissions: ['AUDIO'] } })).body;
  if (i < 20) await call(`${sb.api()}/sessions/${session}/participants/${p.participant.id}`, { method: 'PUT', body: { sessionId: session } });
  urls.push(`ws://127.0.0.1:${sb.port}/v3/?token=${p.token}&client=bench&sdkVersion=1&uniqueId=d${i}`);
}
await new Promise((r) => setTimeout(r, 300));
const sbBefore = rssKb(sb.proc.pid);
const sbResults = await connectAll(urls, true);
await new Promise((r) => setTimeout(r, 500));
const sbSummary = summarize('switchboard /v3/ (verify token, setMediaPreferences, ping)', sbResults, sb.proc.pid, sbBefore);
const metrics = await (await fetch(`${sb.adminBase}/metrics`)).text();
const devicesGauge = Number(/^switchboard_devices (\S+)/m.exec(metrics)?.[1]);
for (const r of sbResults) r.ws?.terminate();
await sb.stop();
sb.cleanup();

// --- baseline: a bare ws server in a child-free, same-process-type setting ---
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
wss.on('connection', (ws) => ws.on('message', (d) => {
  const m = JSON.parse(String(d));
  ws.send(JSON.stringify({ jsonrpc: '2.0', id: m.id, result: {} }));
}));
await new Promise((r) => wss.on('listening', r));
const baseUrls = urls.map(() => `ws://127.0.0.1:${wss.address().port}/`);
const baseStart = performance.now();
const baseResults = await connectAll(baseUrls, true);
const baseLat = baseResults.filter((r) => !r.error).map((r) => r.ms).sort((a, b) => a - b);
for (const r of baseResults) r.ws?.terminate();
wss.close();
void baseStart;

const f = (n) => n.toFixed(2);
console.log(`bench/devices: ${DEVICES} devices, ${CONCURRENCY} connecting at a time`);
console.log(`  switchboard: connected ${sbSummary.connected}, errors ${sbSummary.errors}, gauge switchboard_devices=${devicesGauge}`);
console.log(`    connect→setMediaPreferences answered: p50 ${f(sbSummary.p50)} ms, p99 ${f(sbSummary.p99)} ms   (goal p99 < 50 ms: ${sbSummary.p99 < 50 ? 'PASS' : 'MISS'})`);
console.log(`    RSS ${sbSummary.rssBefore} kB → ${sbSummary.rssAfter} kB: ${f(sbSummary.perDevice / 1024)} KB per device   (goal < 50 KB: ${sbSummary.perDevice < 50 * 1024 ? 'PASS' : 'MISS'})`);
console.log(`  baseline (node ws echo server, same client): p50 ${f(pct(baseLat, 50))} ms, p99 ${f(pct(baseLat, 99))} ms`);
console.log(`  ratio p99 switchboard/baseline: ${f(sbSummary.p99 / pct(baseLat, 99))}   errors: ${sbSummary.errors === 0 ? 'none (PASS)' : sbSummary.errors + ' (MISS)'}`);
process.exit(0);
