// Removes from the Emscripten glue (build-wasm/switchboard.js, Emscripten 3.1.6 after Closure) the
// runtime code the SDK can never run, before web/build.mjs bundles it (about 2.5 KB gzip in all,
// bench/README.md "`devices/` and `size/`"). Emscripten has no setting for any of it:
// - the glue's own fetch of the .wasm (streaming, then ArrayBuffer, the data: URL test, the
//   script-directory and locateFile logic): web/src/loader.js always passes Module.instantiateWasm,
//   which makes the glue return before reaching it;
// - the heap views and the preloaded image/audio tables put on Module: nothing reads Module's
//   (embind and the runtime use the glue's own variables; the Module object never leaves
//   loader.js);
// - the hint to rebuild with ASSERTIONS appended to every abort message;
// - embind's code for what the SDK's fixed bindings never have (unregistered types, base classes,
//   smart pointers, overloads) and its checks of those registrations, which give the same answer
//   on every load (each edit below says why).
// The edits are in web/glue-edits/. Each edit must match exactly as often as stated: another Emscripten (another glue) fails the
// build here rather than shipping a broken bundle. (The removed functions' names cannot be checked
// for other uses: Closure gives one-letter names, which locals elsewhere reuse.)
import { RUNTIME } from './glue-edits/runtime.mjs';
import { EMBIND_UNUSED } from './glue-edits/embind-unused.mjs';
import { EMBIND_FIXED } from './glue-edits/embind-fixed.mjs';

// In this order: later edits match what earlier ones left.
const EDITS = [...RUNTIME, ...EMBIND_UNUSED, ...EMBIND_FIXED];

export function trimGlue(code) {
  for (const { what, find, count, by } of EDITS) {
    const found = code.match(find)?.length ?? 0;
    if (found !== count) {
      throw new Error(`web/trim-glue.mjs: ${what}: ${found} matches in the glue, expected ${count} (another Emscripten?)`);
    }
    code = code.replace(find, by);
  }
  return code;
}
