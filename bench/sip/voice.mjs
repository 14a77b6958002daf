#!/usr/bin/env node
// bench/sip/voice.mjs: the Voice API under load — concurrent calls running an IVR (SpeakSentence
// inside Gather, a digit, a spoken answer) and concurrent recorded calls, each against a baseline
// of the same number of plain calls (<Pause>) in the same invocation.
//
//   node bench/sip/voice.mjs [--calls 100] [--seconds 8] [--rate 25] [--modes plain,ivr,record]
//
// No Janus: calls of the voice API that are not in a session only need switchboard and the
// phones. One sipp UAS (tests/sip/scenarios/uas_answer_inf.xml, -inf CSV: one RTP port per call)
// answers every call behind the trunk; the phones' media is one UDP socket per phone in this
// process. The application server is in this process too.
//
// What a phone measures (everything switchboard sends it, PCMU):
//   - loss: gaps in the RTP sequence numbers of the stream switchboard sends (one stream per call:
//     silence, prompts and digits all go through the same 20 ms schedule), and late frames (an
//     inter-arrival over 60 ms);
//   - IVR: prompt latency = first frame of the call → first loud frame (TTS queued, synthesized or
//     cached, resampled, played); the phone then sends "1" as RFC 4733 and waits for the gather
//     callback's answer (a second prompt) and the BYE. It is split at the moment this process
//     sends the answer callback's reply (the BXML): first frame → reply sent (the callback's round
//     trip), reply sent → the prompt's first frame that is not digital silence (BXML fetched and
//     parsed, speech started: the TTS start latency, or an upper bound of it when the prompt is
//     already in the call's first packet), and reply sent → first loud frame (the same plus the
//     quiet start flite gives every utterance).
//     The n-th call placed is matched with the n-th phone (its answerUrl carries n; the phones
//     answer the INVITEs in the order they come, which is the order the calls were placed);
//   - record: the phone streams a 440 Hz tone for the whole call; the recording, downloaded through
//     the REST API, must hold the tone for --seconds (frames with energy vs frames sent).
// Switchboard's CPU seconds and RSS growth per call come from /proc for each step.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startSwitchboard, call, basicAuth } from '../../tests/support/server.mjs';
import { cpuSeconds, rssKB } from './procstats.mjs';
import { MU_DECODE, linearToMu, FRAME } from './frames.mjs';
import { opt, sleep } from '../common.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CALLS = Number(opt('calls', 100));
const SECONDS = Number(opt('seconds', 8));
const RATE = Number(opt('rate', 25));
const MODES = opt('modes', 'plain,ivr,record').split(',');
const GOALS = { calls: 100, promptP95Ms: 150 };
const ACCOUNT = { id: '9900000', username: 'bench-user', password: 'bench-password-1', allowedDestinations: ['\\+1555\\d{7}'],
  maxCallsPerMinute: 100000, maxConcurrentCalls: 1000, allowedCallbackNetworks: ['127.0.0.1'] };
const LOUD = 1500 * 1500;  // mean square of a frame that carries speech or a tone (silence ≈ 0)

const log = (...a) => console.error(`[bench/voice ${process.uptime().toFixed(1)}s]`, ...a);
function pct(xs, p) {
  if (!xs.length) return NaN;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const meanSquare = (buf, off) => {
  let sum = 0;
  for (let i = off; i < buf.length; i++) { const v = MU_DECODE[buf[i]]; sum += v * v; }
  return sum / Math.max(1, buf.length - off);
};

// ---------------------------------------------------------------- phones
class Phone {
  constructor(sock) {
    this.sock = sock;
    this.port = sock.address().port;
    this.peer = null;
    this.firstAt = null; this.soundAt = null; this.loudAt = null; this.lastAt = null;
    this.lastSeq = null; this.received = 0; this.lost = 0; this.late = 0; this.loudFrames = 0;
    this.sent = 0; this.seq = 1; this.ts = 0; this.timer = null; this.onLoud = null;
    sock.on('message', (msg, rinfo) => this.onPacket(msg, rinfo));
  }
  onPacket(msg, rinfo) {
    if (msg.length < 12 || (msg[1] & 0x7f) !== 0) return;
    const t = performance.now();
    this.peer ??= { port: rinfo.port, address: rinfo.address };
    const seq = msg.readUInt16BE(2);
    if (this.lastSeq !== null) {
      const gap = (seq - this.lastSeq - 1 + 0x10000) & 0xffff;
      if (gap < 1000) this.lost += gap;
      if (t - this.lastAt > 60) this.late++;
    }
    this.lastSeq = seq; this.lastAt = t; this.received++;
    this.firstAt ??= t;
    const ms = meanSquare(msg, 12);
    // Any sample not zero: switchboard's silence is digital zero, and flite's audio starts with a
    // low noise floor, well before the first word is loud (about 240 ms in SENTENCE).
    if (ms > 0) this.soundAt ??= t;
    if (ms > LOUD) {
      this.loudFrames++;
      if (this.loudAt === null) { this.loudAt = t; this.onLoud?.(); }
    }
  }
  send(pt, payload, marker = false, ts = this.ts) {
    if (!this.peer) return;
    const pkt = Buffer.alloc(12 + payload.length);
    pkt[0] = 0x80; pkt[1] = (marker ? 0x80 : 0) | pt;
    pkt.writeUInt16BE(this.seq++ & 0xffff, 2); pkt.writeUInt32BE(ts >>> 0, 4); pkt.writeUInt32BE(0x5eed0000 + this.port, 8);
    payload.copy(pkt, 12);
    this.sock.send(pkt, this.peer.port, this.peer.address);
  }
  // A 440 Hz tone every 20 ms (for recordings).
  tone() {
    let n = 0;
    this.timer = setInterval(() => {
      const frame = Buffer.alloc(FRAME);
      for (let i = 0; i < FRAME; i++) frame[i] = linearToMu(Math.round(6000 * Math.sin((2 * Math.PI * 440 * (n * FRAME + i)) / 8000)));
      this.send(0, frame, n === 0); n++; this.sent++; this.ts += FRAME;
    }, 20);
  }
  // RFC 4733 §2.5: one event, 5 updates then 3 end packets, one timestamp.
  digit(d) {
    const event = '0123456789*#'.indexOf(d);
    const start = this.ts;
    for (let i = 1; i <= 8; i++) {
      const p = Buffer.alloc(4);
      p[0] = event; p[1] = (i > 5 ? 0x80 : 0) | 10; p.writeUInt16BE(Math.min(i, 5) * 160, 2);
      this.send(101, p, i === 1, start);
    }
    this.ts += 800;
  }
  close() { clearInterval(this.timer); this.sock.close(); }
}
async function openPhone() {
  const sock = dgram.createSocket('udp4');
  await new Promise((r) => sock.bind(0, '127.0.0.1', r));
  return new Phone(sock);
}

// ---------------------------------------------------------------- the application server
const SENTENCE = 'Thank you for calling Switchboard. For sales, press one. For support, press two.';
const documents = {
  plain: () => `<Response><Pause duration="${SECONDS}"/><Hangup/></Response>`,
  ivr: () => `<Response><Gather gatherUrl="/gather" maxDigits="1" firstDigitTimeout="15"><SpeakSentence voice="julie">${SENTENCE}</SpeakSentence></Gather><Hangup/></Response>`,
  record: () => `<Response><StartRecording recordingAvailableUrl="/recording"/><Pause duration="${SECONDS}"/><StopRecording/><Hangup/></Response>`,
};
const events = [];
const answerReplied = new Map();  // ?n= of the answerUrl → performance.now() when its BXML was sent
let mode = 'plain';
const app = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', () => {
    let event = {};
    try { event = body ? JSON.parse(body) : {}; } catch { /* counted below as a bad event */ }
    const [route, query] = req.url.split('?');
    events.push({ path: route, ...event });
    res.setHeader('content-type', 'application/xml');
    if (route === '/answer') {
      res.end(documents[mode]());
      answerReplied.set(Number(new URLSearchParams(query).get('n')), performance.now());
    }
    else if (req.url === '/gather') res.end(`<Response><SpeakSentence>You pressed ${event.digits}. Goodbye.</SpeakSentence><Hangup/></Response>`);
    else res.end('');
  });
});

// ---------------------------------------------------------------- one step: N calls of a mode
async function runStep(sb, trunkPort, m, n) {
  mode = m;
  events.length = 0;
  answerReplied.clear();
  const tmp = mkdtempSync(path.join(tmpdir(), 'sbvoice-'));
  const phones = await Promise.all(Array.from({ length: n }, openPhone));
  const csv = path.join(tmp, 'phones.csv');
  writeFileSync(csv, `SEQUENTIAL\n${phones.map((p) => `${p.port};;`).join('\n')}\n`);
  const sipp = spawn('sipp', ['-sf', path.join(root, 'tests/sip/scenarios/uas_answer_inf.xml'), '-inf', csv, '-m', String(n),
    '-i', '127.0.0.1', '-p', String(trunkPort), '-nostdin', '-timeout', `${SECONDS + 60 + n / RATE}s`], { stdio: 'ignore', cwd: tmp });
  await sleep(300);
  for (const p of phones) {
    if (m === 'record') p.onLoud = null;
    if (m === 'ivr') p.onLoud = () => setTimeout(() => p.digit('1'), 300);
  }
  // Phones start their tone as soon as switchboard's first packet tells them where to send.
  const toneStarter = setInterval(() => { if (m === 'record') for (const p of phones) if (p.peer && !p.timer) p.tone(); }, 10);
  const cpu0 = cpuSeconds(sb.proc.pid); const rss0 = rssKB(sb.proc.pid); let rssPeak = rss0;
  const rssTimer = setInterval(() => { rssPeak = Math.max(rssPeak, rssKB(sb.proc.pid)); }, 250);
  const t0 = performance.now();
  const created = [];
  for (let i = 0; i < n; i++) {
    const r = await call(`${sb.base}/api/v2/accounts/${ACCOUNT.id}/calls`, {
      method: 'POST', account: ACCOUNT,
      body: { from: '+15550001111', to: '+15551234567', applicationId: 'bench', answerUrl: `http://127.0.0.1:${app.address().port}/answer?n=${i}`,
        disconnectUrl: `http://127.0.0.1:${app.address().port}/disconnect` },
    });
    if (r.status === 201) created.push(r.body.callId);
    else log(`create ${i}: ${r.status} ${JSON.stringify(r.body)}`);
    const due = t0 + ((i + 1) * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
  }
  const deadline = Date.now() + (SECONDS + 40) * 1000;
  while (events.filter((e) => e.path === '/disconnect').length < created.length && Date.now() < deadline) await sleep(200);
  const wall = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(sb.proc.pid) - cpu0;
  clearInterval(rssTimer); clearInterval(toneStarter);
  const result = {
    mode: m, calls: n, created: created.length,
    ended: events.filter((e) => e.path === '/disconnect').length,
    hungUpNormally: events.filter((e) => e.path === '/disconnect' && e.cause === 'hangup').length,
    lost: phones.reduce((a, p) => a + p.lost, 0), late: phones.reduce((a, p) => a + p.late, 0),
    frames: phones.reduce((a, p) => a + p.received, 0),
    cpuPerCallMs: (cpu * 1000) / n, cpuShare: cpu / wall, rssPerCallKB: (rssPeak - rss0) / n,
  };
  if (m === 'ivr') {
    const latencies = phones.filter((p) => p.loudAt !== null).map((p) => p.loudAt - p.firstAt);
    const split = phones.map((p, i) => ({ p, replied: answerReplied.get(i) })).filter(({ p, replied }) => p.loudAt !== null && replied !== undefined);
    const callback = split.map(({ p, replied }) => replied - p.firstAt);
    const speech = split.map(({ p, replied }) => p.loudAt - replied);
    const audio = split.filter(({ p }) => p.soundAt !== null).map(({ p, replied }) => p.soundAt - replied);
    const gathers = events.filter((e) => e.path === '/gather');
    Object.assign(result, {
      prompted: latencies.length, promptP50Ms: pct(latencies, 50), promptP95Ms: pct(latencies, 95),
      callbackP50Ms: pct(callback, 50), callbackP95Ms: pct(callback, 95), speechP50Ms: pct(speech, 50), speechP95Ms: pct(speech, 95),
      audioP50Ms: pct(audio, 50), audioP95Ms: pct(audio, 95),
      // A phone heard speech before its call's BXML was sent: the call↔phone match was wrong.
      mismatched: speech.filter((x) => x < 0).length,
      gathered: gathers.length, rightDigits: gathers.filter((e) => e.digits === '1').length,
    });
  }
  if (m === 'record') {
    const available = events.filter((e) => e.path === '/recording' && e.eventType === 'recordingAvailable');
    const full = [];
    for (const e of available) {
      // The account's REST rate limit applies to downloads too: wait as told and retry.
      let media;
      for (let attempt = 0; attempt < 20; attempt++) {
        media = await fetch(`${sb.base}/api/v2/accounts/${ACCOUNT.id}/calls/${e.callId}/recordings/${e.recordingId}/media`,
          { headers: { authorization: basicAuth(ACCOUNT) } });
        if (media.status !== 429) break;
        await media.arrayBuffer();
        await sleep(1000 * Number(media.headers.get('retry-after') || 1));
      }
      if (!media.ok) log(`recording ${e.recordingId}: ${media.status}`);
      full.push(media.ok ? wavToneSeconds(Buffer.from(await media.arrayBuffer())) : 0);
    }
    Object.assign(result, {
      recordings: available.length, recordedSecondsMin: Math.min(...full), recordedSecondsP50: pct(full, 50),
      recordingsShort: full.filter((s) => s < SECONDS - 0.5).length,
    });
  }
  await new Promise((r) => { if (sipp.exitCode !== null) r(); else { sipp.once('exit', r); setTimeout(() => { sipp.kill('SIGKILL'); r(); }, 5000); } });
  for (const p of phones) p.close();
  rmSync(tmp, { recursive: true, force: true });
  return result;
}

// Seconds of audio with energy in a WAV of 16-bit PCM (any channel count: channel 0 and the mix
// both carry the phone in a mono or two-channel recording).
function wavToneSeconds(wav) {
  if (wav.length < 44 || wav.toString('ascii', 0, 4) !== 'RIFF') return 0;
  let off = 12; let channels = 1; let rate = 8000; let data = null;
  while (off + 8 <= wav.length) {
    const id = wav.toString('ascii', off, off + 4); const size = wav.readUInt32LE(off + 4);
    if (id === 'fmt ') { channels = wav.readUInt16LE(off + 10); rate = wav.readUInt32LE(off + 12); }
    if (id === 'data') { data = wav.subarray(off + 8, Math.min(wav.length, off + 8 + size)); break; }
    off += 8 + size + (size & 1);
  }
  if (!data) return 0;
  const frame = (rate / 50) * channels * 2;
  let loud = 0;
  for (let o = 0; o + frame <= data.length; o += frame) {
    let sum = 0;
    for (let i = o; i < o + frame; i += 2) { const v = data.readInt16LE(i); sum += v * v; }
    if (sum / (frame / 2) > LOUD) loud++;
  }
  return loud / 50;
}

// ---------------------------------------------------------------- main
await new Promise((r) => app.listen(0, '127.0.0.1', r));
const trunkSock = dgram.createSocket('udp4');
await new Promise((r) => trunkSock.bind(0, '127.0.0.1', r));
const trunkPort = trunkSock.address().port;
trunkSock.close();
const sb = await startSwitchboard({
  config: { sipListen: '127.0.0.1:0', sipTrunk: `sip:127.0.0.1:${trunkPort}`, rtpPortMin: 30000, rtpPortMax: 31999,
    accounts: [ACCOUNT], maxCalls: 1000, logLevel: 'warn' },
});
const results = [];
try {
  for (const m of MODES) {
    log(`${m}: ${CALLS} calls at ${RATE}/s`);
    results.push(await runStep(sb, trunkPort, m, CALLS));
    log(JSON.stringify(results.at(-1)));
  }
} finally {
  await sb.stop().catch(() => {}); sb.cleanup(); app.close();
}

const plain = results.find((r) => r.mode === 'plain');
console.log(`\nbench/sip/voice: ${CALLS} concurrent calls per mode, ${SECONDS} s each, placed at ${RATE}/s`);
console.log('mode     calls  ended  lost frames  late  CPU ms/call  × plain  RSS KB/call  details');
for (const r of results) {
  const ratio = plain && r !== plain ? f(r.cpuPerCallMs / plain.cpuPerCallMs, 2) : '1.00';
  const details = r.mode === 'ivr'
    ? `prompt p50 ${f(r.promptP50Ms, 0)} ms p95 ${f(r.promptP95Ms, 0)} ms: answer callback p50 ${f(r.callbackP50Ms, 0)} p95 ${f(r.callbackP95Ms, 0)} ms, `
      + `BXML sent → prompt audio starts p50 ${f(r.audioP50Ms, 0)} p95 ${f(r.audioP95Ms, 0)} ms (goal < ${GOALS.promptP95Ms}), → first word loud p50 ${f(r.speechP50Ms, 0)} p95 ${f(r.speechP95Ms, 0)} ms${r.mismatched ? ` (${r.mismatched} calls matched to the wrong phone)` : ''}; `
      + `prompted ${r.prompted}/${r.calls}; gather "1" ${r.rightDigits}/${r.calls}`
    : r.mode === 'record' ? `recordings ${r.recordings}/${r.calls}; tone in WAV min ${f(r.recordedSecondsMin, 2)} s p50 ${f(r.recordedSecondsP50, 2)} s; short ${r.recordingsShort}` : '';
  console.log(`${r.mode.padEnd(8)} ${String(r.calls).padStart(5)}  ${String(r.ended).padStart(5)}  ${String(r.lost).padStart(11)}  ${String(r.late).padStart(4)}  ${f(r.cpuPerCallMs).padStart(11)}  ${ratio.padStart(7)}  ${f(r.rssPerCallKB).padStart(11)}  ${details}`);
}
const ok = results.every((r) => r.ended === r.calls && r.lost === 0)
  // The goal is TTS start latency: from the BXML leaving the application to the prompt's audio at
  // the phone (the answer callback's round trip before it is the application's, not speech; the
  // silence flite puts before the first word is in the audio, not a wait for it).
  && results.filter((r) => r.mode === 'ivr').every((r) => r.rightDigits === r.calls && r.audioP95Ms < GOALS.promptP95Ms)
  && results.filter((r) => r.mode === 'record').every((r) => r.recordings === r.calls && r.recordingsShort === 0);
console.log(`goals (${GOALS.calls} calls each, zero loss, every digit and recording, BXML sent → prompt audio p95 < ${GOALS.promptP95Ms} ms): ${ok ? 'met' : 'NOT met'}`);
process.exit(0);
