// Recording downloads (issue 9): GET …/recordings/{id}/media streams the WAV from the file in
// bounded chunks — a 450 MB file (larger than the old 400 MB in-memory limit) downloads whole
// with Content-Length while the server's memory stays flat; Range requests get 206 with
// Content-Range, or 416 past the end; a client that goes away mid-download leaves the server up
// and the file closed. The recordings are seeded in the data directory (a sparse file with
// marks at known offsets), as the server finds them at start.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync, openSync, writeSync, ftruncateSync, closeSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { startSwitchboard, call } from '../support/server.mjs';
import { tempDir } from '../support/tempdir.mjs';

const A = { id: '9900000', username: 'test-user', password: 'test-password-1' };
const AUTH = `Basic ${Buffer.from(`${A.username}:${A.password}`).toString('base64')}`;
const BIG = 450 * 1024 * 1024;
const SMALL = 44 + 16000;
const MARKS = [44, 123456789, 300 * 1024 * 1024 + 7, BIG - 16];  // offsets of 16-byte marks in the big file

const hex = (n) => crypto.randomBytes(n).toString('hex');
const id = (p) => `${p}-${hex(4)}-${hex(4)}-${hex(2)}-${hex(2)}-${hex(2)}-${hex(6)}`;
const mark = (offset) => Buffer.from(`mark@${offset}`.padEnd(16, '.'));

function wavHeader(dataBytes) {
  const b = Buffer.alloc(44);
  b.write('RIFF', 0); b.writeUInt32LE(36 + dataBytes, 4); b.write('WAVE', 8);
  b.write('fmt ', 12); b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22);
  b.writeUInt32LE(8000, 24); b.writeUInt32LE(16000, 28); b.writeUInt16LE(2, 32); b.writeUInt16LE(16, 34);
  b.write('data', 36); b.writeUInt32LE(dataBytes, 40);
  return b;
}

// A finished recording as RecordingStore writes it: <root>/<account>/<call>/<id>.wav and .json.
function seed(root, size, marks) {
  const callId = id('c');
  const recordingId = id('r');
  const dir = path.join(root, 'recordings', A.id, callId);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${recordingId}.wav`);
  const fd = openSync(file, 'w');
  ftruncateSync(fd, size);  // sparse: no disk used for the zeros
  writeSync(fd, wavHeader(size - 44), 0, 44, 0);
  for (const at of marks) writeSync(fd, mark(at), 0, 16, at);
  closeSync(fd);
  writeFileSync(path.join(dir, `${recordingId}.json`), JSON.stringify({
    recordingId, accountId: A.id, applicationId: '', callId, to: '+15551234567', from: '+15550001111',
    direction: 'outbound', channels: 1, fileFormat: 'wav', startTime: '2026-01-01T10:00:00.000Z',
    endTime: '2026-01-01T13:00:00.000Z', durationSeconds: (size - 44) / 16000, status: 'complete', bytes: size, hasMedia: true,
  }));
  return { callId, recordingId, file };
}

let sb;
let big;
let small;
let dataDir;
before(async () => {
  dataDir = tempDir('sb-dl-');
  big = seed(dataDir, BIG, MARKS);
  small = seed(dataDir, SMALL, [1000]);
  // The recordings API comes with the voice API, which needs SIP (nothing is dialled here).
  // Under AddressSanitizer freed blocks wait in a quarantine (256 MB by default) before reuse, so
  // every 64 KiB chunk sent would count as growth; a small quarantine keeps the memory check about
  // what the server holds on to. (The server inherits this process's environment.)
  if (process.env.ASAN_OPTIONS !== undefined) process.env.ASAN_OPTIONS += ':quarantine_size_mb=4';
  sb = await startSwitchboard({ dataDir, config: { accounts: [A], sipListen: '127.0.0.1:0', sipTrunk: 'sip:127.0.0.1:9' } });
});
after(async () => {
  const { code } = await sb.stop();
  rmSync(dataDir, { recursive: true, force: true });
  assert.equal(code, 0);
});

const mediaUrl = (r) => `${sb.base}/api/v2/accounts/${A.id}/calls/${r.callId}/recordings/${r.recordingId}/media`;
const rssKB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${sb.proc.pid}/status`, 'utf8'))[1]);
// The server's open descriptors on this file.
const openOn = (file) => readdirSync(`/proc/${sb.proc.pid}/fd`).filter((fd) => {
  try { return readlinkSync(`/proc/${sb.proc.pid}/fd/${fd}`).startsWith(file); } catch { return false; }
}).length;

// The server's resident size once it stops changing: right after start-up it still grows while the
// speech workers warm flite's voices in the background, which is not the download's doing.
async function settledRssKB() {
  let last = rssKB();
  for (let i = 0; i < 60; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const now = rssKB();
    if (Math.abs(now - last) < 256) return now;
    last = now;
  }
  return last;
}

test('a 450 MB recording downloads whole, with Content-Length, while the server\'s memory stays flat', async (t) => {
  const before = await settledRssKB();
  let peak = before;
  const poll = setInterval(() => { peak = Math.max(peak, rssKB()); }, 20);
  t.after(() => clearInterval(poll));
  const res = await fetch(mediaUrl(big), { headers: { authorization: AUTH } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-length'), String(BIG));
  assert.equal(res.headers.get('accept-ranges'), 'bytes');
  assert.match(res.headers.get('content-type'), /audio\/vnd\.wave/);
  let received = 0;
  const found = new Map();
  const reader = res.body.getReader();
  const started = Date.now();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (const at of MARKS) {  // the marks that fall in this piece
      if (at >= received && at + 16 <= received + value.length)
        found.set(at, Buffer.from(value.buffer, value.byteOffset + at - received, 16).toString());
    }
    received += value.length;
  }
  clearInterval(poll);
  const seconds = (Date.now() - started) / 1000;
  t.diagnostic(`${(BIG / 1048576).toFixed(0)} MB in ${seconds.toFixed(2)} s; server RSS ${(before / 1024).toFixed(0)} MB before, peak ${(peak / 1024).toFixed(0)} MB`);
  assert.equal(received, BIG);
  for (const at of MARKS) assert.equal(found.get(at), mark(at).toString(), `the bytes at ${at}`);
  assert.ok(peak - before < 64 * 1024, `memory grew by ${((peak - before) / 1024).toFixed(0)} MB`);
  assert.equal(openOn(big.file), 0, 'the file is closed once sent');
});

test('Range requests: 206 with Content-Range for one range, 416 past the end, the whole file otherwise', async () => {
  const get = (range) => fetch(mediaUrl(small), { headers: { authorization: AUTH, ...(range ? { range } : {}) } });
  const whole = Buffer.from(await (await get()).arrayBuffer());
  assert.equal(whole.length, SMALL);
  const cases = [
    ['bytes=0-43', 0, 43],
    ['bytes=1000-1015', 1000, 1015],
    [`bytes=${SMALL - 10}-`, SMALL - 10, SMALL - 1],
    ['bytes=-10', SMALL - 10, SMALL - 1],
    [`bytes=100-${SMALL + 5000}`, 100, SMALL - 1],  // a last byte past the end is the end
  ];
  for (const [range, first, last] of cases) {
    const r = await get(range);
    assert.equal(r.status, 206, range);
    assert.equal(r.headers.get('content-range'), `bytes ${first}-${last}/${SMALL}`, range);
    assert.equal(r.headers.get('content-length'), String(last - first + 1), range);
    assert.deepEqual(Buffer.from(await r.arrayBuffer()), whole.subarray(first, last + 1), range);
  }
  assert.equal(whole.subarray(1000, 1016).toString(), mark(1000).toString());
  for (const range of [`bytes=${SMALL}-`, `bytes=${SMALL + 1}-${SMALL + 9}`, 'bytes=-0']) {
    const r = await get(range);
    assert.equal(r.status, 416, range);
    assert.equal(r.headers.get('content-range'), `bytes */${SMALL}`, range);
    const body = await r.json();
    assert.equal(body.code, 'range_not_satisfiable');
    assert.match(body.error, new RegExp(`outside the recording's ${SMALL} bytes`));
  }
  // Not understood (several ranges, another unit, bad syntax, last before first): ignored, 200 whole.
  for (const range of ['bytes=0-1,5-6', 'items=0-4', 'bytes=abc', 'bytes=50-10']) {
    const r = await get(range);
    assert.equal(r.status, 200, range);
    assert.equal(r.headers.get('content-range'), null, range);
    assert.equal(Buffer.from(await r.arrayBuffer()).length, SMALL, range);
  }
  // Another account's credentials learn nothing from a Range.
  const other = await fetch(mediaUrl(small), { headers: { authorization: `Basic ${Buffer.from('x:y').toString('base64')}`, range: 'bytes=0-1' } });
  assert.equal(other.status, 401);
});

test('a client that goes away mid-download: the server stays up, the file is closed, the recording deletes', async () => {
  const got = await new Promise((resolve, reject) => {
    const req = http.get(mediaUrl(big), { headers: { authorization: AUTH } }, (res) => {
      let n = 0;
      res.on('data', (d) => {
        n += d.length;
        if (n > 8 * 1024 * 1024) {  // 8 MB in: hang up
          req.destroy();
          resolve(n);
        }
      });
      res.on('error', () => {});
    });
    req.on('error', (e) => { if (e.code !== 'ECONNRESET') reject(e); });
  });
  assert.ok(got < BIG);
  // The server notices at its next write and closes the file.
  const deadline = Date.now() + 5000;
  while (openOn(big.file) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(openOn(big.file), 0, 'no descriptor left on the file');
  assert.equal((await fetch(`${sb.base}/healthz`)).status, 200);
  const one = mediaUrl(big).replace(/\/media$/, '');
  assert.equal((await call(one, { method: 'DELETE', account: A })).status, 204);
  assert.equal((await call(one, { account: A })).status, 404);
});
