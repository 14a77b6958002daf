// bench/sip: what a phone sends — 20 ms PCMU frames whose first 16 bytes carry a header that
// survives the bridge's decode → mix → encode (see run.mjs).
// ---------------------------------------------------------------- G.711 µ-law (as server/sip/media/G711.cpp)
export const MU_DECODE = new Int16Array(256);
for (let code = 0; code < 256; code++) {
  const u = ~code & 0xff;
  let t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  MU_DECODE[code] = (u & 0x80) ? 0x84 - t : t - 0x84;
}
const MU_SEG_END = [0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff];
export function linearToMu(sample) {
  let pcm = sample >> 2;
  let mask = 0xff;
  if (pcm < 0) { pcm = -pcm; mask = 0x7f; }
  if (pcm > 8159) pcm = 8159;
  pcm += 0x84 >> 2;
  let seg = 0;
  while (seg < 8 && pcm > MU_SEG_END[seg]) seg++;
  if (seg >= 8) return 0x7f ^ mask;
  return ((seg << 4) | ((pcm >> (seg + 1)) & 0x0f)) ^ mask;
}

// ---------------------------------------------------------------- frames
export const FRAME = 160;        // samples = bytes of PCMU per 20 ms
export const HDR = 16;           // header nibbles, one per byte, as µ-law codes 0xFF - nibble
export const MAGIC = [0xa, 0x5, 0xc, 0x3];
export const BURST_EVERY = 50;   // one loud frame per second
export const BURST_AMPLITUDE = 20000;
export const QUIET_AMPLITUDE = 300;
export const LOUD_MS = 5000 * 5000; // mean square threshold (burst ≈ 14000², quiet ≈ 212², 9 mixed quiet tones < 1700²)
// The header codes must round-trip through the bridge's decode/encode.
for (let n = 0; n < 16; n++) if (linearToMu(MU_DECODE[0xff - n]) !== 0xff - n) throw new Error('µ-law header codes do not round-trip');
// 440 Hz quiet tone: 1 s = 50 frames holds whole periods, so 50 precomputed frames loop.
export const QUIET = Array.from({ length: 50 }, (_, k) => {
  const b = Buffer.alloc(FRAME);
  for (let i = 0; i < FRAME; i++) b[i] = linearToMu(Math.round(QUIET_AMPLITUDE * Math.sin((2 * Math.PI * 440 * (k * FRAME + i)) / 8000)));
  return b;
});
export const BURST = Buffer.alloc(FRAME);
for (let i = 0; i < FRAME; i++) BURST[i] = linearToMu(Math.round(BURST_AMPLITUDE * Math.sin((2 * Math.PI * 1000 * i) / 8000)));

export function writeHeader(buf, off, id, counter) {
  const words = [(MAGIC[0] << 12) | (MAGIC[1] << 8) | (MAGIC[2] << 4) | MAGIC[3], id & 0xffff, counter & 0xffff, (id ^ counter ^ 0x5a5a) & 0xffff];
  for (let w = 0; w < 4; w++) for (let k = 0; k < 4; k++) buf[off + w * 4 + k] = 0xff - ((words[w] >> (12 - 4 * k)) & 0xf);
}
// -> {id, counter} or null.
export function readHeader(buf, off) {
  const words = [0, 0, 0, 0];
  for (let w = 0; w < 4; w++) {
    let v = 0;
    for (let k = 0; k < 4; k++) {
      const b = buf[off + w * 4 + k];
      if (b < 0xf0) return null;
      v = (v << 4) | (0xff - b);
    }
    words[w] = v;
  }
  if (words[0] !== 0xa5c3 || ((words[1] ^ words[2] ^ 0x5a5a) & 0xffff) !== words[3]) return null;
  return { id: words[1], counter: words[2] };
}

