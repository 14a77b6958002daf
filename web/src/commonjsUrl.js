// The module URL of the CommonJS build, which has no import.meta (ECMA-262 §13.3.12: it exists in
// modules only). web/build.mjs injects this file into that bundle and makes import.meta.url read
// `commonjsUrl`, so the loader finds the .wasm next to the script that holds the SDK:
// - in a page, the script being run when the bundle is evaluated (document.currentScript, HTML
//   §3.1.3), i.e. the application bundle this package was bundled into, or dist/index.cjs itself;
// - under Node (tests, server-side rendering, Electron's main world), this file: __filename;
// - else (a bundle evaluated later, as an async chunk), the page's own URL.
// connect()'s `wasmUrl` option overrides all three (docs/sdk.md "Where the .wasm is found").

// A file: URL from a path (POSIX or Windows), without require('url') that would make web
// bundlers look for a polyfill.
function fileUrl(path) {
  const p = path.replace(/\\/g, '/');
  return 'file://' + (p.startsWith('/') ? '' : '/') + encodeURI(p).replace(/[?#]/g, encodeURIComponent);
}

const script = typeof document !== 'undefined' ? document.currentScript : null;
const inNode = typeof process === 'object' && !!process.versions?.node && typeof __filename === 'string';

export const commonjsUrl = script?.src || (inNode ? fileUrl(__filename) : globalThis.location?.href);
