// The packed package required from a CommonJS application: require() resolves the "require"
// entry (dist/index.cjs), which has the stock exports and works with the real wasm core; the
// .wasm is found without import.meta.url (web/src/commonjsUrl.js, docs/sdk.md "Where the .wasm
// is found"): next to index.cjs under Node, next to document.currentScript in a page, or at
// connect()'s wasmUrl.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fetched, installBrowserShims } from './support/browserShims.mjs';
import { fakeServer } from './support/fakeServer.mjs';
import { PKG, installPacked, web } from './support/packed.mjs';

const { version } = JSON.parse(readFileSync(path.join(web, 'package.json'), 'utf8'));
let pack;
let requireFromApp;
let entry;

// A fresh instance of the CommonJS module (each has its own core loader).
function requireFresh() {
  delete requireFromApp.cache[entry];
  return requireFromApp(PKG);
}

before(() => {
  pack = installPacked(); // an application package.json without "type": CommonJS
  const main = path.join(pack.app, 'main.js');
  writeFileSync(main, `module.exports = require('${PKG}');\n`);
  requireFromApp = createRequire(main);
  entry = requireFromApp.resolve(PKG);
  installBrowserShims();
});

after(() => pack?.cleanup());

test('require() resolves the CommonJS bundle, with the stock exports and the version of package.json', () => {
  assert.equal(entry, path.join(pack.installed, 'dist/index.cjs'));
  const sdk = requireFromApp(path.join(pack.app, 'main.js'));
  assert.equal(typeof sdk.default, 'function');
  for (const name of ['SwitchboardRtc', 'BandwidthRtc', 'BandwidthRtcV3']) assert.equal(sdk[name], sdk.default, name);
  assert.equal(typeof sdk.BandwidthRtcV2, 'function');
  assert.equal(sdk.SwitchboardRtcError, sdk.BandwidthRtcError);
  assert.ok(new sdk.BandwidthRtcError('m', 'no_device') instanceof Error);
  assert.deepEqual({ ...sdk.AudioLevel }, { SILENT: 'silent', LOW: 'low', HIGH: 'high' });
  assert.deepEqual({ ...sdk.MediaType }, { AUDIO: 'AUDIO', VIDEO: 'VIDEO', APPLICATION: 'APPLICATION' });
  assert.deepEqual({ ...sdk.MediaAggregationType }, { NONE: 'NONE', COMPOSITE: 'COMPOSITE' });
  assert.equal(sdk.SDK_VERSION, version);
  const rtc = new sdk.default('off');
  assert.equal(rtc.connectionState, 'idle');
  assert.throws(() => rtc.sendDtmf('1'), (e) => e instanceof sdk.BandwidthRtcError && e.code === 'not_connected');
});

test('under Node, the .wasm next to index.cjs is loaded, and connect() sends the package version', async () => {
  const sdk = requireFresh();
  const server = await fakeServer();
  try {
    const before = fetched.length;
    const rtc = new sdk.SwitchboardRtc('off');
    await rtc.connect({ deviceToken: 'good' }, { websocketUrl: server.url });
    assert.equal(rtc.connectionState, 'connected');
    assert.deepEqual(fetched.slice(before), [pathToFileURL(path.join(pack.installed, 'dist/switchboard.wasm')).href]);
    assert.equal(new URLSearchParams(server.frames.url.split('?')[1]).get('sdkVersion'), version);
    rtc.disconnect();
  } finally {
    server.close();
  }
});

test('connect()\'s wasmUrl names another place for the .wasm', async () => {
  const elsewhere = path.join(pack.work, 'static');
  mkdirSync(elsewhere);
  copyFileSync(path.join(pack.installed, 'dist/switchboard.wasm'), path.join(elsewhere, 'sdk-core.wasm'));
  const wasmUrl = pathToFileURL(path.join(elsewhere, 'sdk-core.wasm'));
  const sdk = requireFresh();
  const server = await fakeServer();
  try {
    const before = fetched.length;
    const rtc = new sdk.SwitchboardRtc('off');
    await rtc.connect({ deviceToken: 'good' }, { websocketUrl: server.url, wasmUrl });
    assert.equal(rtc.connectionState, 'connected');
    assert.deepEqual(fetched.slice(before), [wasmUrl.href]);
    rtc.disconnect();
  } finally {
    server.close();
  }
});

test('in a page, the .wasm is looked for next to the running script (document.currentScript)', async () => {
  // What a browser shows the bundle while it runs: the <script> element that holds it. The
  // module starts loading the core when it is evaluated in a page.
  const asked = [];
  const shimFetch = globalThis.fetch;
  globalThis.document = { currentScript: { src: 'https://cdn.example/app/bundle.js?v=3' } };
  globalThis.fetch = async (url) => {
    asked.push(String(url));
    return new Response('not here', { status: 404 });
  };
  try {
    const sdk = requireFresh();
    for (let i = 0; i < 50 && !asked.length; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(asked, ['https://cdn.example/app/switchboard.wasm']);
    // A failed download is reported by connect(), and the next connect() tries again.
    const rtc = new sdk.SwitchboardRtc('off');
    const failed = (e) => e instanceof sdk.BandwidthRtcError && e.code === 'wasm_load_failed' &&
      e.message === 'Cannot load the SDK core from https://cdn.example/app/switchboard.wasm: HTTP 404';
    await assert.rejects(rtc.connect({ deviceToken: 'good' }, { websocketUrl: 'ws://127.0.0.1:9' }), failed);
    const tries = asked.length;
    await assert.rejects(rtc.connect({ deviceToken: 'good' }, { websocketUrl: 'ws://127.0.0.1:9' }), failed);
    assert.deepEqual(asked.slice(tries), ['https://cdn.example/app/switchboard.wasm']);
  } finally {
    delete globalThis.document;
    globalThis.fetch = shimFetch;
  }
});
