// A test phone: sipp (Debian's sip-tester) does the SIP, and a UDP socket in the test does the
// media — it streams a PCMU tone (symmetric RTP: to wherever switchboard's RTP comes from) and
// counts and decodes what arrives. Loopback only.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCENARIOS = path.join(root, 'tests/sip/scenarios');

// G.711 µ-law of one 16-bit sample (ITU-T G.711), for the tone we send.
function linearToUlaw(sample) {
  const BIAS = 0x84;
  let sign = 0;
  let s = sample;
  if (s < 0) { s = -s; sign = 0x80; }
  if (s > 32635) s = 32635;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}
function ulawToLinear(u) {
  u = ~u & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  let s = ((mantissa << 3) + 0x84) << exponent;
  s -= 0x84;
  return sign ? -s : s;
}

// Opens the phone's media socket. stream() starts a 440 Hz tone as PCMU every 20 ms.
export async function phoneMedia() {
  const sock = dgram.createSocket('udp4');
  await new Promise((r) => sock.bind(0, '127.0.0.1', r));
  const stats = { received: 0, receivedPayloadTypes: {}, energy: 0, sent: 0, peer: null, digits: [] };
  sock.on('message', (msg, rinfo) => {
    if (msg.length < 12) return;
    stats.received++;
    const pt = msg[1] & 0x7f;
    stats.receivedPayloadTypes[pt] = (stats.receivedPayloadTypes[pt] || 0) + 1;
    stats.peer = { address: rinfo.address, port: rinfo.port };
    const cc = msg[0] & 0x0f;
    const ext = (msg[0] & 0x10) !== 0;
    let off = 12 + cc * 4;
    if (ext) off += 4 + msg.readUInt16BE(off + 2) * 4;
    if (pt === 0) {
      let sum = 0;
      for (let i = off; i < msg.length; i++) { const v = ulawToLinear(msg[i]) / 32768; sum += v * v; }
      stats.energy += sum / Math.max(1, msg.length - off);
    }
    if (pt === 101 && msg.length >= off + 4 && (msg[off + 1] & 0x80)) {
      const ev = msg[off];
      const digit = '0123456789*#ABCD'[ev];
      const ts = msg.readUInt32BE(4);
      if (!stats.digits.some((d) => d.ts === ts)) stats.digits.push({ digit, ts });
    }
  });
  let timer = null;
  let closed = false;
  let muted = false;
  let amplitude = 8000;
  let seq = 1000;
  let ts = 8000;
  let phase = 0;
  const ssrc = 0x1234abcd;
  const sendFrame = (payloadType, payload, marker = false) => {
    if (!stats.peer) return;
    const pkt = Buffer.alloc(12 + payload.length);
    pkt[0] = 0x80;
    pkt[1] = (marker ? 0x80 : 0) | payloadType;
    pkt.writeUInt16BE(seq++ & 0xffff, 2);
    pkt.writeUInt32BE(ts >>> 0, 4);
    pkt.writeUInt32BE(ssrc, 8);
    payload.copy(pkt, 12);
    sock.send(pkt, stats.peer.port, stats.peer.address);
    stats.sent++;
  };
  return {
    port: sock.address().port,
    stats,
    // Streams a tone to the address switchboard sends from (symmetric RTP, RFC 4961).
    stream() {
      if (timer) return;
      let first = true;
      timer = setInterval(() => {
        const frame = Buffer.alloc(160);
        for (let i = 0; i < 160; i++) {
          frame[i] = linearToUlaw(muted ? 0 : Math.round(amplitude * Math.sin(phase)));
          phase += (2 * Math.PI * 440) / 8000;
        }
        sendFrame(0, frame, first);
        first = false;
        ts += 160;
      }, 20);
    },
    // The stream goes on with silent frames (digital silence) instead of the tone, or back.
    mute(on = true) { muted = on; },
    // The tone's amplitude (of 32767; default 8000): a low one stands for a quiet room.
    volume(a) { amplitude = a; },
    // One RFC 4733 digit: 5 updates then 3 end packets, all with the same timestamp.
    sendDigit(digit) {
      const event = '0123456789*#ABCD'.indexOf(digit);
      const start = ts;
      for (let i = 1; i <= 8; i++) {
        const payload = Buffer.alloc(4);
        payload[0] = event;
        payload[1] = (i > 5 ? 0x80 : 0) | 10;
        payload.writeUInt16BE(Math.min(i, 5) * 160, 2);
        const saved = ts;
        ts = start;
        sendFrame(101, payload, i === 1);
        ts = saved;
      }
    },
    close() { clearInterval(timer); timer = null; if (!closed) { closed = true; sock.close(); } },  // idempotent
  };
}

// Runs sipp with a scenario; resolves {code, stdout, stderr}. Never longer than `timeoutMs`.
export function sipp({ target, scenario, keys = {}, holdMs, calls = 1, rate, timeoutMs = 30000, extra = [] }) {
  const args = [...(target ? [target] : []), '-sf', path.join(SCENARIOS, scenario), '-m', String(calls), '-i', '127.0.0.1',
    ...(extra.includes('-p') ? [] : ['-p', '0']), '-nostdin', '-timeout', `${Math.ceil(timeoutMs / 1000)}s`, '-timeout_error', '-trace_err',
    '-error_file', `/tmp/sipp-err-${process.pid}-${Date.now()}.log`];
  if (holdMs !== undefined) args.push('-d', String(holdMs));
  if (rate) args.push('-r', String(rate));
  for (const [k, v] of Object.entries(keys)) args.push('-key', k, String(v));
  args.push(...extra);
  // Not in the working tree: sipp's own files and any core dump go to the temp dir.
  const proc = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: tmpdir() });
  const done = new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => { stdout += d; });
    proc.stderr.on('data', (d) => { stderr += d; });
    const t = setTimeout(() => proc.kill('SIGKILL'), timeoutMs + 5000);
    proc.on('exit', (code) => { clearTimeout(t); resolve({ code, stdout, stderr }); });
  });
  // A phone that waits for more calls than a test placed is stopped by the test's after().
  done.kill = () => { if (proc.exitCode === null) proc.kill('SIGKILL'); return done; };
  return done;
}

// Resolves once a UDP socket is bound to 127.0.0.1:`port` (a sipp phone started on it is ready to
// answer). A fixed sleep was not enough when the machine was loaded: the call went out before
// sipp had bound its port, and the test waited for an answer that could not come.
export async function udpBound(port, timeoutMs = 10000) {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const table = readFileSync('/proc/net/udp', 'utf8');
    if (table.split('\n').some((line) => line.trim().split(/\s+/)[1] === local)) return;
    if (Date.now() > deadline) throw new Error(`nothing bound UDP 127.0.0.1:${port} in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// A UDP port on loopback that nothing holds right now (for sipp phones that bind it themselves).
export async function freeUdpPort() {
  const s = dgram.createSocket('udp4');
  await new Promise((r) => s.bind(0, '127.0.0.1', r));
  const port = s.address().port;
  s.close();
  return port;
}
