// The wasm's JSON text conversion (wasm/browser/JsonText.cpp: Json::parse through the browser's
// JSON.parse, Json::dump through JSON.stringify, both via embind), in Node: a small module is
// built from that file, wasm/core/Json.cpp, the real pre.js (its Module.sbTry catches
// JSON.parse's SyntaxError) and tests/js/wasm-json-probe.cpp, with the product's compile flags.
// The same cases as the native conversion's tests (tests/unit/wasm/TestJsonText.cpp) where the two
// agree; where they differ by design (docs/architecture.md, "JSON in the SDK") the case says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const wasmOut = process.env.SB_WASM_OUT ?? path.join(root, 'build-wasm');
let work;
let M;

before(async () => {
  // The Emscripten cache wasm/build.sh prepared (a copy of Debian's, toolchain-notes Q5).
  if (!existsSync(path.join(wasmOut, 'em-cache'))) execFileSync(path.join(root, 'wasm/build.sh'), { stdio: 'inherit' });
  work = mkdtempSync(path.join(tmpdir(), 'sb-wasm-json-'));
  const out = path.join(work, 'probe.js'); // CommonJS: no package.json above the temp folder
  execFileSync('em++', [
    '-std=c++17', '-Oz', '-fno-exceptions', '-fno-rtti', '-DEMSCRIPTEN_HAS_UNBOUND_TYPE_NAMES=0',
    '-Wall', '-Wextra', '-Werror', `-I${root}`, '--bind',
    // As the SDK is linked (wasm/build.sh), TEXTDECODER=2 above all: UTF-8 -> JS strings through
    // TextDecoder, which puts U+FFFD in place of bad bytes (the JS fallback decodes them wrongly).
    '-sENVIRONMENT=node', '-sMODULARIZE=1', '-sFILESYSTEM=0', '-sMALLOC=emmalloc', '-sTEXTDECODER=2',
    '-sALLOW_MEMORY_GROWTH=1',
    '--pre-js', path.join(root, 'wasm/browser/pre.js'),
    path.join(root, 'wasm/browser/JsonText.cpp'), path.join(root, 'wasm/browser/JsTry.cpp'),
    path.join(root, 'wasm/core/Json.cpp'),
    path.join(root, 'tests/js/wasm-json-probe.cpp'), '-o', out,
  ], { stdio: 'inherit', env: { ...process.env, NODE_PATH: process.env.NODE_PATH ?? '/usr/share/nodejs', EM_CACHE: path.join(wasmOut, 'em-cache') } });
  // The bytes handed over: this Emscripten's Node glue would fetch() the .wasm by path, which
  // Node 20's fetch refuses.
  M = await createRequire(import.meta.url)(out)({ wasmBinary: readFileSync(path.join(work, 'probe.wasm')) });
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const utf8 = (s) => [...new TextEncoder().encode(s)];
const bytes = (v) => [...v.bytes];

test('a JSON-RPC response round-trips byte for byte, member order kept', () => {
  const text = '{"jsonrpc":"2.0","id":7,"result":{"sdpAnswer":"v=0\\r\\n","z":{},"a":[1,true,null,"x",[]]}}';
  assert.equal(M.reparse(text), text);
  const v = M.parse(text);
  assert.deepEqual(v.keys, ['jsonrpc', 'id', 'result']);
  assert.equal(v.values[1].number, 7);
  assert.deepEqual(v.values[2].keys, ['sdpAnswer', 'z', 'a']);
  assert.deepEqual(bytes(v.values[2].values[0]), utf8('v=0\r\n'));
  assert.deepEqual(v.values[2].values[2].array.map((e) => Object.keys(e)[0]), ['number', 'bool', 'null', 'bytes', 'array']);
});

test('escapes, \\u sequences and surrogate pairs decode to UTF-8', () => {
  const v = M.parse('["a\\"b\\\\c\\/d\\n\\t\\b\\f", "\\u00e9\\u20AC", "\\ud83d\\ude00", "é€😀"]');
  assert.deepEqual(bytes(v.array[0]), utf8('a"b\\c/d\n\t\b\f'));
  assert.deepEqual(bytes(v.array[1]), [0xc3, 0xa9, 0xe2, 0x82, 0xac]);
  assert.deepEqual(bytes(v.array[2]), [0xf0, 0x9f, 0x98, 0x80]);
  assert.deepEqual(bytes(v.array[3]), utf8('é€😀'));
});

test('dump escapes quotes, backslashes and control characters, and nothing else', () => {
  const s = new Uint8Array([...utf8('a\u0001"\\\n\t/\u007fé'), 0, ...utf8('y')]);
  assert.equal(M.dumpString(s), '"a\\u0001\\"\\\\\\n\\t/\u007fé\\u0000y"');
  assert.deepEqual(bytes(M.parse(M.dumpString(s))), [...s]);
});

test('bytes that are not UTF-8 are dumped as U+FFFD, never refused', () => {
  assert.equal(M.dumpString(new Uint8Array([0x61, 0xff])), '"a\ufffd"');
});

test('numbers: whole ones written as integers, others as the shortest round trip', () => {
  assert.equal(M.reparse('[0, -12, 1.5, 2e3, -4.25E-1, 4294967296, 9007199254740993, -0]'),
    '[0,-12,1.5,2000,-0.425,4294967296,9007199254740992,0]');
  assert.equal(M.dumpNumber(0.1), '0.1');
  assert.equal(M.parse(M.dumpNumber(1e300)).number, 1e300);
  assert.equal(M.parse('12345678901234567890123').number, 12345678901234567890123);
  assert.equal(M.dumpNumber(Infinity), 'null');
  assert.equal(M.dumpNumber(NaN), 'null');
});

test('a leading UTF-8 byte order mark is skipped (RFC 8259 §8.1 allows it), as natively', () => {
  assert.equal(M.reparse(new Uint8Array([0xef, 0xbb, 0xbf, 0x5b, 0x31, 0x5d])), '[1]');
});

test('a repeated member name: the last value wins, in the first one\'s place', () => {
  const v = M.parse('{"a":1,"b":2,"a":3}');
  assert.deepEqual(v.keys, ['a', 'b']);
  assert.equal(v.values[0].number, 3);
});

test('differs from the native conversion: integer-like member names come first (ECMA-262 OrdinaryOwnPropertyKeys)', () => {
  assert.deepEqual(M.parse('{"b":1,"2":2,"1":3}').keys, ['1', '2', 'b']);
  assert.equal(M.reparse('{"b":1,"2":2,"1":3}'), '{"1":3,"2":2,"b":1}');
});

test('"__proto__" is a member like any other, both ways', () => {
  assert.equal(M.reparse('{"__proto__":{"a":1},"b":[]}'), '{"__proto__":{"a":1},"b":[]}');
});

test('syntax errors give null (refused), and no exception reaches the caller', () => {
  for (const bad of ['', ' ', '{', '{"a"}', '{"a":}', '[1,]', '{"a":1,}', 'tru', 'nul', '"abc',
    '{"a":1} x', '01', '1.', '.5', '+1', '-', '1e', '0x10', 'NaN', 'Infinity', "'a'",
    '[1 2]', '{a:1}', '"\u0001"', '"\\x41"', '"\\u12"', '// c\n1', '[1]\u0000']) {
    assert.equal(M.parse(bad), null, JSON.stringify(bad));
  }
  assert.equal(M.parse(new Uint8Array([0x5b, 0x31, 0x5d, 0, 0x78])), null); // a NUL after the document
});

test('numbers beyond a double\'s range are refused', () => {
  assert.equal(M.parse('1e400'), null);
  assert.equal(M.parse('[-1e309]'), null);
  assert.equal(M.parse('1e-400').number, 0);
});

test('strings: raw control characters and lone surrogates are refused', () => {
  assert.equal(M.parse('"a\nb"'), null);
  for (const lone of ['"\\ud800"', '"\\ud800x"', '"\\udc00"', '"x\\udc00"', '["ok", {"\\ud800": 1}]']) assert.equal(M.parse(lone), null, lone);
  // Differs from the native conversion, which refuses bad UTF-8: the bytes reach JSON.parse
  // decoded, with U+FFFD in place of the bad ones.
  assert.deepEqual(bytes(M.parse(new Uint8Array([0x22, 0xc3, 0x22]))), [0xef, 0xbf, 0xbd]);
});

const nest = (levels) => {
  let s = '';
  for (let i = 0; i < levels; i++) s += i % 2 ? '[' : '{"k":';
  s += '0';
  for (let i = levels - 1; i >= 0; i--) s += i % 2 ? ']' : '}';
  return s;
};

test('nesting: maxDepth levels of arrays and objects, not one more', () => {
  assert.equal(M.maxDepth, 64);
  assert.equal(M.reparse(nest(M.maxDepth)), nest(M.maxDepth));
  assert.equal(M.parse(nest(M.maxDepth + 1)), null);
  assert.equal(M.parse('['.repeat(M.maxTextBytes)), null);
  assert.equal(M.parse('['.repeat(100000) + ']'.repeat(100000)), null);
});

test('size: maxTextBytes of text, not one byte more', () => {
  assert.equal(M.maxTextBytes, 1024 * 1024);
  const doc = `"${'a'.repeat(M.maxTextBytes - 2)}"`;
  assert.equal(M.parse(doc).bytes.length, M.maxTextBytes - 2);
  assert.equal(M.parse(doc + ' '), null);
});

test('fromJs takes what JSON.parse can return and refuses anything else', () => {
  assert.equal(M.fromJs({ a: [1, 'x', null, true] }), '{"a":[1,"x",null,true]}');
  for (const bad of [undefined, () => 1, Symbol('s'), 1n, Infinity, [1, undefined], { f() {} }]) {
    assert.equal(M.fromJs(bad), null, String(bad?.toString?.()));
  }
});
