// A TypeScript application written for the stock SDK (ts-app/app.ts) type-checks against the
// stock package and, with only the module name swapped, against ours as npm installs it (its
// "exports" types: types/index.d.ts for import, dist/index.d.cts for require), both as a bundled
// ES module application and as a CommonJS one. tsc is the TypeScript of the root package.json.
// The stock package needs skipLibCheck (its .d.ts name RTCRtpCodecCapability, which today's
// DOM library no longer has, and pull in @types/node); ours is checked with skipLibCheck off and
// no @types at all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PKG, installPacked, root } from './support/packed.mjs';

const appDir = path.join(root, 'tests/js/ts-app');
const appSource = readFileSync(path.join(appDir, 'app.ts'), 'utf8');
const STOCK = '@bandwidth/webrtc-browser';
const TSC = path.join(root, 'node_modules/.bin/tsc');

let pack;
let stockWork;

// Runs tsc --noEmit in `dir` (its tsconfig.json): exit status and diagnostics (paths relative to `dir`).
function tsc(dir) {
  const r = spawnSync(TSC, ['--noEmit', '-p', '.'], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}`, error: r.error };
}

// An application folder (packages are found in its parent's node_modules): app.ts importing `pkg`, plus `extra` lines at the end, and a tsconfig
// that extends ts-app's with `options`.
function writeApp(dir, { pkg, options = {}, extra = [] }) {
  mkdirSync(dir, { recursive: true });
  const source = appSource.replaceAll(`'${STOCK}'`, `'${pkg}'`);
  if (pkg !== STOCK) assert.notEqual(source, appSource, 'the import was swapped');
  const lines = source.trimEnd().split('\n');
  writeFileSync(path.join(dir, 'app.ts'), `${[...lines, ...extra].join('\n')}\n`);
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    extends: path.join(appDir, 'tsconfig.json'),
    compilerOptions: options,
    files: ['app.ts'],
  }));
  return lines.length + 1; // the line number of the first extra line
}

// The same application as CommonJS: Node's module resolution with the "require" condition.
const COMMONJS = { module: 'nodenext', verbatimModuleSyntax: false };
// Ours: every .d.ts checked, no ambient @types.
const STRICT_LIBS = { skipLibCheck: false, types: [] };

before(() => {
  pack = installPacked(); // an application package.json without "type": CommonJS under nodenext
  stockWork = mkdtempSync(path.join(tmpdir(), 'sb-ts-stock-'));
  symlinkSync(path.join(root, 'node_modules'), path.join(stockWork, 'node_modules'));
  writeFileSync(path.join(stockWork, 'package.json'), JSON.stringify({ name: 'app', private: true }));
});

after(() => {
  pack?.cleanup();
  if (stockWork) rmSync(stockWork, { recursive: true, force: true });
});

test('tsc is TypeScript 7 and runs', () => {
  const r = spawnSync(TSC, ['--version'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Version 7\./);
});

test('the application type-checks against the stock package', () => {
  const esm = tsc(appDir);
  assert.equal(esm.status, 0, esm.output);
  const dir = path.join(stockWork, 'cjs');
  writeApp(dir, { pkg: STOCK, options: COMMONJS });
  const cjs = tsc(dir);
  assert.equal(cjs.status, 0, cjs.output);
});

test('the same application type-checks against ours, swapping only the import (ES module and CommonJS)', () => {
  for (const [name, options] of [['esm', STRICT_LIBS], ['cjs', { ...STRICT_LIBS, ...COMMONJS }]]) {
    const dir = path.join(pack.app, name);
    writeApp(dir, { pkg: PKG, options });
    const r = tsc(dir);
    assert.equal(r.status, 0, `${name}:\n${r.output}`);
  }
});

// Type errors an application can make: each must be reported, on its own line, and nothing else.
const MISTAKES = [
  "const misspelt: import('X').ErrorCode = 'token_exipred';",
  'console.log(AudioLevel.LOUD);',
  'void rtc.publish(42);',
  "rtc.on('streamAvailable', (streamId: number) => streamId);",
  "rtc.on('streamAvailabel', () => {});",
  "rtc.onConnectionStateChange((state) => state === 'open');",
  "new BandwidthRtcV3().on('dtmf', (event) => event.digit);",
  'const level: AudioLevel = MediaType.AUDIO;',
];

function errorLines(output) {
  return [...output.matchAll(/^app\.ts\((\d+),\d+\): error TS\d+/gm)].map((m) => Number(m[1]));
}

test('type errors are reported against ours (the check can fail)', () => {
  const dir = path.join(pack.app, 'mistakes');
  const extra = MISTAKES.map((line) => line.replace("import('X')", `import('${PKG}')`));
  const first = writeApp(dir, { pkg: PKG, options: STRICT_LIBS, extra });
  const r = tsc(dir);
  assert.notEqual(r.status, 0);
  assert.deepEqual([...new Set(errorLines(r.output))], MISTAKES.map((_, i) => first + i), r.output);
});

test('a type error is reported against the stock package too', () => {
  const dir = path.join(stockWork, 'mistake');
  const first = writeApp(dir, { pkg: STOCK, extra: ['console.log(AudioLevel.LOUD);'] });
  const r = tsc(dir);
  assert.notEqual(r.status, 0);
  assert.deepEqual(errorLines(r.output), [first], r.output);
});
