// What a browser gives the SDK and Node 20 lacks: fetch() of file: URLs (the .wasm next to the
// module) and a WebSocket. `fetched` lists the file: URLs asked for, in order.
import { readFile } from 'node:fs/promises';
import WebSocket from 'ws';

export const fetched = [];

export function installBrowserShims() {
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (url, init) => {
    const u = new URL(String(url));
    if (u.protocol !== 'file:') return realFetch(url, init);
    fetched.push(u.href);
    return new Response(await readFile(u), { headers: { 'content-type': 'application/wasm' } });
  };
  // ws emits 'error' as an EventEmitter event (an uncaught exception without a listener); a
  // browser's WebSocket only dispatches it. The SDK reacts to `close`, which follows either way.
  globalThis.WebSocket ??= class extends WebSocket {
    constructor(...args) {
      super(...args);
      this.on('error', () => {});
    }
  };
}
