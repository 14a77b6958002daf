// Loads the wasm core once per page. By default the .wasm is found next to this module,
// `new URL('switchboard.wasm', import.meta.url)`, which works from node_modules, a CDN or a
// bundler (webpack 5, Vite, Parcel and esbuild recognise the pattern and ship the file). The
// CommonJS build has no import.meta: there the URL is that of the bundle's own script
// (web/src/commonjsUrl.js). connect()'s `wasmUrl` option names another place (docs/sdk.md).
// Instantiation is done here rather than by the Emscripten glue so that a server sending the
// wrong MIME type still works (instantiateStreaming needs application/wasm), so that a failed
// download rejects instead of hanging, and so that tests can supply `fetch`.
import { BandwidthRtcError } from './errors.js';
import createSwitchboardModule from './switchboard.js';

let loading; // { url, promise } of the page's core

function instantiate(url) {
  return new Promise((resolve, reject) => {
    createSwitchboardModule({
      instantiateWasm(imports, done) {
        // In the chain, so that a fetch() that throws (none in this environment) rejects too.
        Promise.resolve(url)
          .then(fetch)
          .then((response) => {
            if (!response.ok) throw new Error(`HTTP ${response.status}`);
            return WebAssembly.instantiateStreaming(response.clone(), imports).catch(() =>
              response.arrayBuffer().then((bytes) => WebAssembly.instantiate(bytes, imports)));
          })
          .then((result) => done(result.instance, result.module))
          .catch(reject); // done() throws too, e.g. for a cached .wasm of another version
        return {};
      },
    }).then(resolve, reject);
  });
}

function failed(url, error) {
  return new BandwidthRtcError(`Cannot load the SDK core from ${url}: ${error?.message ?? error}`, 'wasm_load_failed');
}

export function loadCore(wasmUrl) {
  let url;
  try {
    // Throws for a module URL nothing resolves against (blob:, data:, about:srcdoc): a rejection,
    // never an exception at import.
    url = String(wasmUrl || new URL('switchboard.wasm', import.meta.url));
  } catch (error) {
    return Promise.reject(failed('switchboard.wasm', error));
  }
  if (loading?.url === url) return loading.promise;
  // A load from another URL (the import-time one) is under way or done: its core serves if it
  // loads, being the same code; if it fails, this URL is tried.
  const promise = loading ? loading.promise.catch(() => instantiate(url)) : instantiate(url);
  const current = {
    url,
    promise: promise.catch((error) => {
      if (loading === current) loading = undefined; // let a later connect() try again
      if (error instanceof BandwidthRtcError) throw error; // the previous URL's, then this one's
      throw failed(url, error);
    }),
  };
  loading = current;
  return current.promise;
}
