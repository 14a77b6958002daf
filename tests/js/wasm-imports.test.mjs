// A build check of the shipped wasm (issue 12): the browser SDK reaches the page through embind,
// so its imports are embind's registrations (_embind_register_*) and emval calls (_emval_*), plus
// the few Emscripten runtime functions named below, and nothing from a hand-written JS library.
// Import names are minified in the shipped file ("a.b"), so they are named through the symbol map
// the build writes next to the same wasm (build-wasm/switchboard.js.symbols: index:name, imports
// first), after checking that build-wasm's wasm is byte-identical to web/dist's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shipped = path.join(root, 'web/dist/switchboard.wasm');
const built = path.join(root, 'build-wasm/switchboard.wasm');
const symbols = path.join(root, 'build-wasm/switchboard.js.symbols');

// The imports allowed besides embind's, each with the reason it is there.
const ALLOWED = new Map([
  ['abort', 'Emscripten runtime: a failed assertion or allocation ends the module'],
  ['emscripten_resize_heap', 'Emscripten runtime: ALLOW_MEMORY_GROWTH grows the heap'],
  // embind registers 64-bit integer types through a legalized (i32 pair) import.
  ['legalimport$_embind_register_bigint', "embind's own registration of int64_t/uint64_t"],
  // -sJS_MATH (wasm/CMakeLists.txt): the E-model's exp and log are JavaScript's Math ones
  // (Emscripten's system/lib/jsmath.c), not musl's table-driven code.
  ['JS_exp', 'Emscripten JS_MATH: Math.exp'],
  ['JS_log', 'Emscripten JS_MATH: Math.log'],
]);

// The imported functions of the shipped wasm, named through the symbol map.
function importNames() {
  if (!existsSync(shipped)) execFileSync(path.join(root, 'wasm/build.sh'), { stdio: 'inherit' });
  assert.ok(readFileSync(built).equals(readFileSync(shipped)), 'web/dist/switchboard.wasm is not the wasm of build-wasm/: rebuild (make wasm)');
  // wasm-objdump (wabt, scripts/install-deps.sh) lists " - func[i] sig=… <name> <- module.field".
  const dump = execFileSync('wasm-objdump', ['-x', '-j', 'Import', shipped], { encoding: 'utf8' });
  const indices = [...dump.matchAll(/^ - func\[(\d+)\]/gm)].map((m) => Number(m[1]));
  assert.ok(indices.length > 0, `no imported functions found in:\n${dump}`);
  const names = new Map(readFileSync(symbols, 'utf8').split('\n').filter(Boolean).map((line) => {
    const i = line.indexOf(':');
    return [Number(line.slice(0, i)), line.slice(i + 1)];
  }));
  return indices.map((i) => names.get(i) ?? `#${i}`);
}

test('the shipped wasm calls the browser through embind and no hand-written JS library', () => {
  const imports = importNames();
  for (const needed of ['_embind_register_class', '_embind_register_class_constructor', '_embind_register_class_function', '_embind_register_function']) {
    assert.ok(imports.includes(needed), `${needed} is not imported: the SDK handle is not an embind class (imports: ${imports.join(', ')})`);
  }
  const emval = imports.filter((name) => name.startsWith('_emval_'));
  for (const needed of ['_emval_call', '_emval_get_global', '_emval_get_property']) {
    assert.ok(emval.includes(needed), `${needed} is not imported: the adapters do not use emscripten::val (imports: ${imports.join(', ')})`);
  }
  const others = imports.filter((name) => !name.startsWith('_embind_') && !name.startsWith('_emval_') && !ALLOWED.has(name));
  assert.deepEqual(others, [], 'imports from outside embind and the allow-list (a --js-library function?)');
});
