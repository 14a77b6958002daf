// Loads the wasm core once per page. The .wasm is found next to this module
// (`new URL(..., import.meta.url)`), which works from node_modules, a CDN or a bundler.
// Instantiation is done here rather than by the Emscripten glue so that a server sending the
// wrong MIME type still works (instantiateStreaming needs application/wasm), so that a failed
// download rejects instead of hanging, and so that tests can supply `fetch`.
import createSwitchboardModule from './switchboard.js';

let loading;

export function loadCore() {
  loading ||= new Promise((resolve, reject) => {
    createSwitchboardModule({
      instantiateWasm(imports, done) {
        const url = new URL('switchboard.wasm', import.meta.url);
        // In the chain, so that a fetch() that throws (none in this environment) rejects too.
        Promise.resolve(url)
          .then(fetch)
          .then((response) => {
            if (!response.ok) throw new Error(`Cannot load ${url}: HTTP ${response.status}`);
            return WebAssembly.instantiateStreaming(response.clone(), imports).catch(() =>
              response.arrayBuffer().then((bytes) => WebAssembly.instantiate(bytes, imports)));
          })
          .then((result) => done(result.instance, result.module), reject);
        return {};
      },
    }).then(resolve, reject);
  }).catch((error) => {
    loading = undefined; // let a later connect() try again
    throw error;
  });
  return loading;
}
