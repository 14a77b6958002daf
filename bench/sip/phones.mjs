// bench/sip: the phones' media — one UDP socket per phone sending PCMU frames on one drift-free
// schedule and checking everything it receives (loss, order, timing, which source it came from).
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { FRAME, HDR, BURST_EVERY, BURST, QUIET, LOUD_MS, MU_DECODE, writeHeader, readHeader } from './frames.mjs';

const now = () => performance.now();

// ---------------------------------------------------------------- phones
export const phones = new Map(); // id -> Phone
let nextPhoneId = 1;
// Latency samples are taken only inside the measurement window (runStep sets `on`).
export const measuring = { on: false };

export class Phone {
  constructor({ kind = 'bridge', bursts = false, source = null, session = null, role = 'listener' } = {}) {
    this.id = nextPhoneId++;
    if (nextPhoneId > 0xfff0) nextPhoneId = 1;
    this.kind = kind;
    this.bursts = bursts;
    this.source = source;          // the phone whose frames we expect (bit-exact), or null
    this.burstSource = source;     // the phone whose bursts we time by energy
    this.session = session;
    this.role = role;
    this.peer = null;
    this.streaming = false;
    this.frozen = false;
    this.seq = (Math.random() * 65536) | 0;
    this.ts = (Math.random() * 2 ** 32) >>> 0;
    this.ssrc = (Math.random() * 2 ** 32) >>> 0;
    this.counter = 0;
    this.first = true;
    this.sendTimes = new Float64Array(65536);
    this.burstTimes = [];
    this.sent = 0;        // frames sent; the counter of the next frame (mod 2^16)
    this.tailMissing = 0;
    this.sendLateMax = 0;
    this.sendSkips = 0;
    this.offset = (this.id * 7) % 20; // ms into each 20 ms slot: spreads the phones' sends
    this.rx = {
      packets: 0, lost: 0, dup: 0, late: 0, tsJumps: 0, markers: 0, badPt: 0, first: true,
      lastSeq: 0, lastTs: 0, jitter: 0, lastTransit: 0, maxD: 0, lastArrival: 0, maxGap: 0,
      firstArrival: 0,
    };
    this.src = { base: null, last: 0, first: 0, max: 0, distinct: 0, map: new Uint8Array(65536), valid: 0, crosstalk: 0 };
    this.lat = [];      // ms per source frame (counter-matched), inside the window
    this.burstLat = []; // ms per burst (energy-detected), inside the window
    this.prevLoud = false;
    this.missingLog = []; // gaps in the source's counters (first 50), for --keep
  }

  async open() {
    this.sock = dgram.createSocket('udp4');
    this.sock.on('error', () => {});
    this.sock.on('message', (msg, rinfo) => this.onPacket(msg, rinfo));
    await new Promise((r) => this.sock.bind(0, '127.0.0.1', r));
    this.port = this.sock.address().port;
    phones.set(this.id, this);
    return this;
  }

  startStreaming() {
    if (this.streaming || this.frozen || !this.peer) return;
    this.streaming = true;
    const t = now();
    this.nextDue = sched.grid0 + Math.ceil((t - sched.grid0 - this.offset) / 20) * 20 + this.offset;
    sched.kick();
  }

  sendFrame(late) {
    // A fresh buffer each time: dgram may still hold the previous one if a send was queued.
    const p = Buffer.allocUnsafe(12 + FRAME);
    const burst = this.bursts && (this.counter + this.id * 7) % BURST_EVERY === 0;
    p[0] = 0x80;
    p[1] = (this.first ? 0x80 : 0) | 0;
    p.writeUInt16BE(this.seq & 0xffff, 2);
    p.writeUInt32BE(this.ts >>> 0, 4);
    p.writeUInt32BE(this.ssrc, 8);
    (burst ? BURST : QUIET[this.counter % 50]).copy(p, 12);
    writeHeader(p, 12, this.id, this.counter);
    const t = now();
    this.sendTimes[this.counter & 0xffff] = t;
    if (burst) { this.burstTimes.push(t); if (this.burstTimes.length > 64) this.burstTimes.shift(); }
    this.sock.send(p, this.peer.port, this.peer.address);
    if (late > this.sendLateMax && measuring.on) this.sendLateMax = late;
    this.first = false;
    this.seq = (this.seq + 1) & 0xffff;
    this.ts = (this.ts + FRAME) >>> 0;
    this.counter = (this.counter + 1) & 0xffff;
    this.sent++;
  }

  onPacket(msg, rinfo) {
    const t = now();
    if (!this.peer) { this.peer = { address: rinfo.address, port: rinfo.port }; this.startStreaming(); }
    if (this.frozen || msg.length < 12) return;
    const rx = this.rx;
    const pt = msg[1] & 0x7f;
    const marker = (msg[1] & 0x80) !== 0;
    const seq = msg.readUInt16BE(2);
    const ts = msg.readUInt32BE(4);
    if (pt !== 0) { rx.badPt++; return; }
    rx.packets++;
    const transit = t - ts / 8; // ms; only differences matter
    if (rx.first) {
      rx.first = false;
      rx.firstArrival = t;
      rx.lastTransit = transit;
    } else {
      if (marker) rx.markers++;
      const d = (seq - rx.lastSeq) & 0xffff;
      if (d === 0) { rx.dup++; return; }
      if (d >= 0x8000) { rx.late++; return; }
      if (d > 1) rx.lost += d - 1;
      if (((ts - rx.lastTs) >>> 0) !== ((FRAME * d) >>> 0)) rx.tsJumps++;
      // RFC 3550 A.8 interarrival jitter (ms), over the measurement window only.
      if (measuring.on) {
        const D = Math.abs(transit - rx.lastTransit);
        rx.jitter += (D - rx.jitter) / 16;
        if (D > rx.maxD) rx.maxD = D;
        if (t - rx.lastArrival > rx.maxGap) rx.maxGap = t - rx.lastArrival;
      }
      rx.lastTransit = transit;
    }
    rx.lastSeq = seq;
    rx.lastTs = ts;
    rx.lastArrival = t;
    const cc = msg[0] & 0x0f;
    let off = 12 + cc * 4;
    if (msg[0] & 0x10) off += 4 + msg.readUInt16BE(off + 2) * 4;
    if (msg.length - off < FRAME) return;

    // Whose frame is it? (only meaningful when this phone hears exactly one other phone)
    if (this.source) {
      const h = readHeader(msg, off);
      if (h) {
        if (h.id !== this.source.id) this.src.crosstalk++;
        else this.#sourceFrame(h.counter, t);
      }
    }
    // Energy: a rising edge of a loud frame is a burst.
    if (this.burstSource) {
      let sum = 0;
      for (let i = off + HDR; i < off + FRAME; i++) { const v = MU_DECODE[msg[i]]; sum += v * v; }
      const loud = sum / (FRAME - HDR) > LOUD_MS;
      if (loud && !this.prevLoud && measuring.on) {
        const bt = this.burstSource.burstTimes;
        for (let i = bt.length - 1; i >= 0; i--) {
          if (bt[i] <= t) { if (t - bt[i] < 500) this.burstLat.push(t - bt[i]); break; }
        }
      }
      this.prevLoud = loud;
    }
  }

  #sourceFrame(c16, t) {
    const s = this.src;
    s.valid++;
    let ext;
    if (s.base === null) { s.base = c16; ext = c16; s.first = ext; s.max = ext; }
    else ext = s.last + ((((c16 - (s.last & 0xffff)) & 0xffff) ^ 0x8000) - 0x8000);
    s.last = ext;
    if (ext > s.max + 1 && this.missingLog.length < 50) this.missingLog.push({ after: s.max, to: ext, at: Math.round(t), measuring: measuring.on });
    if (ext > s.max) s.max = ext;
    if (ext < s.first) s.first = ext;
    const k = ext & 0xffff;
    if (s.map[k]) return; // a repeat (concealment by repetition)
    s.map[k] = 1;
    s.distinct++;
    if (measuring.on) this.lat.push(t - this.source.sendTimes[k]);
  }

  // Source frames that never arrived: gaps, plus a tail if the stream stopped (more than 10 frames,
  // 200 ms, behind what the source had sent when the window closed).
  get audioMissing() { return this.src.base === null ? 0 : (this.src.max - this.src.first + 1) - this.src.distinct + this.tailMissing; }
  get audioExpected() { return this.src.base === null ? 0 : this.src.max - this.src.first + 1 + this.tailMissing; }

  // Counters at the start of the measurement window, for the window-only figures.
  snapshot() {
    const { rx, src } = this;
    this.snap = { lost: rx.lost, packets: rx.packets, bad: rx.tsJumps + rx.markers + rx.late, distinct: src.distinct, max: src.base === null ? null : src.max };
  }
  get window() {
    const { rx, src, snap } = this;
    if (!snap) return { lost: 0, expected: 0, bad: 0, audioMissing: 0, audioExpected: 0 };
    let audioExpected = 0;
    let audioMissing = 0;
    if (src.base !== null) {
      const from = snap.max === null ? src.first - 1 : snap.max;
      audioExpected = src.max - from + this.tailMissing;
      audioMissing = Math.max(0, audioExpected - (src.distinct - snap.distinct));
    }
    return { lost: rx.lost - snap.lost, expected: rx.packets - snap.packets + rx.lost - snap.lost, bad: rx.tsJumps + rx.markers + rx.late - snap.bad, audioMissing, audioExpected };
  }

  freeze() {
    if (!this.frozen && this.source && this.src.base !== null) this.tailMissing = Math.max(0, this.source.sent - 11 - this.src.max);
    this.frozen = true;
    this.streaming = false;
  }
  close() { this.freeze(); phones.delete(this.id); try { this.sock.close(); } catch { /* closed */ } }
}

// One timer for every phone: each sends frame k at grid0 + offset + 20·k ms.
export const sched = {
  grid0: now(),
  timer: null,
  kick() { if (!this.timer) this.timer = setTimeout(() => this.run(), 0); },
  run() {
    this.timer = null;
    const t = now();
    let next = Infinity;
    for (const p of phones.values()) {
      if (!p.streaming) continue;
      while (p.nextDue <= t + 0.25) {
        const behind = t - p.nextDue;
        if (behind > 100) { // more than 5 frames behind: skip ahead (a real phone's clock does not wait)
          const skip = Math.floor(behind / 20); // ≥ 5; afterwards less than 20 ms behind
          p.nextDue += skip * 20;
          p.ts = (p.ts + skip * FRAME) >>> 0; // a gap in time; sequence numbers and counters stay contiguous
          if (measuring.on) p.sendSkips += skip;
          continue;
        }
        p.sendFrame(behind);
        p.nextDue += 20;
      }
      if (p.nextDue < next) next = p.nextDue;
    }
    if (next !== Infinity) this.timer = setTimeout(() => this.run(), Math.max(0, next - now()));
  },
};
