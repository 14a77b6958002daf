// The error codes, one catalogue: the `ErrorCode` union of web/types/index.d.ts, the SDK table of
// docs/errors.md, and the codes the sources produce (the core's wasm/core/Errors.hpp, the facade's
// web/src/, the server refusals the core passes through) must list the same codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { root } from './support/packed.mjs';

const read = (file) => readFileSync(path.join(root, file), 'utf8');
const sorted = (codes) => [...new Set(codes)].sort();

function unionCodes() {
  const dts = read('web/types/index.d.ts');
  const union = dts.match(/export type ErrorCode =([^;]+);/);
  assert.ok(union, 'index.d.ts declares ErrorCode');
  return sorted([...union[1].matchAll(/\|\s*'([a-z_]+)'/g)].map((m) => m[1]));
}

function documentedCodes() {
  const doc = read('docs/errors.md');
  const start = doc.indexOf('## SDK errors');
  assert.ok(start >= 0, 'docs/errors.md has a "SDK errors" section');
  const section = doc.slice(start, doc.indexOf('\n## ', start + 1));
  // The first cell of each table row: one code or several, each in backquotes.
  const rows = [...section.matchAll(/^\| ([^|]+) \|/gm)].map((m) => m[1]).filter((cell) => cell.startsWith('`'));
  return sorted(rows.flatMap((cell) => [...cell.matchAll(/`([a-z_]+)`/g)].map((m) => m[1])));
}

// Codes produced in the sources: make("code", …) in the core's catalogue and errors::make("code",
// …) anywhere in wasm/core and wasm/browser, new BandwidthRtcError(…,
// 'code') in the facade, and the server's refusals of a device connection (DeviceGate and the
// token verifier), which the core passes through from the HTTP probe (SignalingUrl.cpp).
function producedCodes() {
  const core = [...read('wasm/core/Errors.hpp').matchAll(/make\("([a-z_]+)"|Error\{"([a-z_]+)"/g)].map((m) => m[1] ?? m[2]);
  for (const dir of ['wasm/core', 'wasm/browser']) {
    for (const f of readdirSync(path.join(root, dir)).filter((name) => /\.(cpp|hpp)$/.test(name)))
      core.push(...[...read(`${dir}/${f}`).matchAll(/errors::make\("([a-z_]+)"/g)].map((m) => m[1]));
  }
  const facade = readdirSync(path.join(root, 'web/src'))
    .filter((f) => f.endsWith('.js'))
    .flatMap((f) => [...read(`web/src/${f}`).matchAll(/BandwidthRtcError\([^;]*?'([a-z_]+)'\)/gs)].map((m) => m[1]));
  const tokens = [...read('server/auth/TokenService.cpp').matchAll(/return "(token_[a-z_]+)"/g)].map((m) => m[1]);
  const gate = [...read('server/signaling/DeviceGate.cpp').matchAll(/refuse\(\d+, "([a-z_]+)"/g)].map((m) => m[1]);
  return { core, facade, server: [...tokens, ...gate] };
}

test('the ErrorCode union and the SDK table of docs/errors.md list the same codes', () => {
  assert.deepEqual(documentedCodes(), unionCodes());
});

test('every code the core, the facade and the server produce is in ErrorCode', () => {
  const union = new Set(unionCodes());
  const { core, facade, server } = producedCodes();
  // The extraction found what it should (so a changed source layout fails here, not silently).
  assert.ok(core.includes('server_unreachable') && core.includes('rpc_error'), `core: ${core}`);
  assert.ok(facade.includes('not_connected') && facade.includes('unsupported_protocol'), `facade: ${facade}`);
  assert.ok(server.includes('token_expired') && server.includes('too_many_devices'), `server: ${server}`);
  for (const [where, codes] of Object.entries({ core, facade, server })) {
    for (const code of codes) assert.ok(union.has(code), `${code} (${where}) is missing from ErrorCode`);
  }
});

test('the media and failure codes of issue 12 are in the catalogue', () => {
  const union = unionCodes();
  for (const code of ['permission_denied', 'no_device', 'media_failed', 'ice_failed', 'subscribe_failed']) {
    assert.ok(union.includes(code), code);
  }
});
