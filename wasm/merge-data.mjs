#!/usr/bin/env node
// Rewrites a .wasm so that its active data segments become one (the build's last step, bench/size/).
// Binaryen's memory-packing pass, part of -Oz, splits the data wherever a run of zero bytes costs
// more than a segment header: here the 8 zero bytes that start every vtable (offset-to-top and the
// absent RTTI pointer), about 130 segments. Fewer raw bytes, but gzip packs the zeros better than
// the headers: one segment is about 330 bytes smaller once compressed. The memory image is the same.
// Why a script: Debian's Binaryen (version 108) has no option to leave memory-packing out of -Oz
// (no --skip-pass, no flag of the pass), and em++ runs -Oz itself before this step.
//
// Usage: node wasm/merge-data.mjs <file.wasm>   (in place; a module with passive segments or a
// segment whose offset is not a constant is left alone, with a message)
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node wasm/merge-data.mjs <file.wasm>');
  process.exit(2);
}
const bytes = readFileSync(file);

function readU32(at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at.pos++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return value;
  }
}
function readI32(at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at.pos++];
    value |= (b & 0x7f) << shift;
    shift += 7;
    if (b < 0x80) return shift < 32 && b & 0x40 ? value | (-1 << shift) : value;
  }
}
function u32(n) {
  const out = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}
function i32(n) {
  const out = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}

// Sections (WebAssembly core spec §5.5): id, u32 size, body; 11 is data, 12 data count.
const DATA = 11;
const DATA_COUNT = 12;
const parts = [bytes.subarray(0, 8)];
const at = { pos: 8 };
let merged = false;
while (at.pos < bytes.length) {
  const start = at.pos;
  const id = bytes[at.pos++];
  const size = readU32(at);
  const end = at.pos + size;
  if (id === DATA) {
    const segments = [];
    let count = readU32(at);
    while (count--) {
      // Active segment of memory 0 with an i32.const offset: flag 0, 0x41 offset, 0x0b (end).
      if (bytes[at.pos] !== 0 || bytes[at.pos + 1] !== 0x41) {
        console.log(`merge-data: ${file} has a segment that is not active with a constant offset, left as is`);
        process.exit(0);
      }
      at.pos += 2;
      const offset = readI32(at);
      if (bytes[at.pos++] !== 0x0b) throw new Error(`${file}: unexpected data segment offset expression`);
      const length = readU32(at);
      segments.push({ offset, data: bytes.subarray(at.pos, at.pos + length) });
      at.pos += length;
    }
    if (segments.length < 2) process.exit(0); // nothing to merge
    const low = Math.min(...segments.map((s) => s.offset));
    const high = Math.max(...segments.map((s) => s.offset + s.data.length));
    const image = new Uint8Array(high - low); // what lies between segments is zero, as in memory
    for (const s of segments) image.set(s.data, s.offset - low);
    const body = [...u32(1), 0, 0x41, ...i32(low), 0x0b, ...u32(image.length)];
    parts.push(Uint8Array.from([DATA, ...u32(body.length + image.length), ...body]), image);
    merged = true;
  } else if (id === DATA_COUNT) {
    parts.push(Uint8Array.from([DATA_COUNT, 1, 1])); // one segment now
  } else {
    parts.push(bytes.subarray(start, end));
  }
  at.pos = end;
}
if (merged) writeFileSync(file, Buffer.concat(parts));
