// Clients for the hostile-client tests (tests/integration/hostile-http.test.mjs): raw bytes on a
// socket, requests from a chosen loopback address, held connections, and /proc readings.
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import { readFileSync } from 'node:fs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Sends `bytes` on a fresh connection and collects everything until the server closes it.
export function raw(port, bytes, { localAddress, timeout = 5000 } = {}) {
  return new Promise((resolve) => {
    const chunks = [];
    const s = net.connect({ port, host: '127.0.0.1', localAddress });
    const done = (error) => {
      clearTimeout(timer);
      s.destroy();
      resolve({ ...parse(Buffer.concat(chunks).toString('latin1')), error });
    };
    const timer = setTimeout(() => done('timeout'), timeout);
    s.on('connect', () => { if (bytes) s.write(bytes); });
    s.on('data', (d) => chunks.push(d));
    s.on('end', () => done());
    s.on('error', (e) => done(e.code));
  });
}

export function parse(text) {
  const m = text.match(/^HTTP\/1\.1 (\d{3})[^\r]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/);
  if (!m) return { status: 0, text };
  let body = m[3];
  try { body = JSON.parse(body); } catch { /* not JSON */ }
  return { status: Number(m[1]), head: m[2], body, text };
}

// A request over node:http from a chosen loopback address.
export function req(port, { method = 'GET', path: p = '/healthz', headers = {}, body, localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const r = http.request({ host: '127.0.0.1', port, method, path: p, headers, localAddress, agent: false }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let parsed = text;
        try { parsed = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, body: parsed });
      });
    });
    r.on('error', reject);
    if (body !== undefined) r.write(body);
    r.end();
  });
}

export async function healthy(sb, localAddress) {
  const r = await req(sb.port, { localAddress });
  assert.equal(r.status, 200, 'the server still answers /healthz');
  assert.equal(r.body.status, 'ok');
}

// A kept-alive connection that has been served once (so the server has accepted it).
export function holdConnection(port, localAddress) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1', localAddress });
    let got = '';
    s.on('connect', () => s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'));
    s.on('data', (d) => { got += d; if (/\r\n\r\n[\s\S]*ok/.test(got)) resolve(s); });
    s.on('error', reject);
    s.on('end', () => reject(new Error(`held connection closed: ${got}`)));
  });
}

export function assertJsonError(r, status, code) {
  assert.equal(r.status, status, `status of ${JSON.stringify(r.text ?? r.body).slice(0, 300)}`);
  assert.equal(typeof r.body, 'object', 'the error body is JSON');
  if (code) assert.equal(r.body.code, code);
  assert.ok(r.body.error || r.body.message, 'the error says why');
}

// utime + stime of a process, in seconds (proc(5): fields 14 and 15, in clock ticks of 1/100 s).
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
// An ASan build: gcc links the runtime as libasan.so; clang links it into the binary, which then
// shows ASan's x86-64 shadow gap, [0x00008fff7000, 0x02008fff6fff] unmapped
// (github.com/google/sanitizers/wiki/AddressSanitizerAlgorithm, "64-bit").
export function isSanitized(sb) {
  const maps = readFileSync(`/proc/${sb.proc.pid}/maps`, 'utf8');
  return maps.includes('libasan') || /^8fff7000-2008fff7000 ---p /m.test(maps);
}
export const rssKb = (pid) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]);
