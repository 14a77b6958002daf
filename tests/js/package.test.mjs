// The npm package as users get it (STYLE.md 12): `npm pack` in web/, install the tarball into an
// empty folder, import it by name, and check its files, exports and types. The Emscripten ES6
// glue targets browsers; it runs in Node 20 when the wasm is fetched through a `fetch` that
// serves file: URLs and `WebSocket` is provided (the `ws` package), so connect() is exercised
// against a fake device endpoint here too. Media paths are covered by tests/browser/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const web = path.join(root, 'web');
const PKG = '@switchboard/webrtc-browser';
let work;
let installed;
let sdk;

before(async () => {
  if (!existsSync(path.join(web, 'dist/switchboard.wasm'))) execFileSync(path.join(root, 'wasm/build.sh'), { stdio: 'inherit' });
  work = mkdtempSync(path.join(tmpdir(), 'sb-pack-'));
  const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: web, encoding: 'utf8' });
  const tarball = path.join(work, out.trim().split('\n').pop());
  const app = path.join(work, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--silent', tarball], { cwd: app });
  installed = path.join(app, 'node_modules', PKG);
  // A module inside the app folder, so the bare specifier resolves through the package's "exports".
  writeFileSync(path.join(app, 'entry.mjs'), `export * from '${PKG}';\nexport { default } from '${PKG}';\n`);

  // What a browser gives the module and Node 20 lacks: fetch of file: URLs (the .wasm next to
  // the module) and a WebSocket.
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (url, init) => {
    const u = new URL(String(url));
    if (u.protocol !== 'file:') return realFetch(url, init);
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
  sdk = await import(pathToFileURL(path.join(app, 'entry.mjs')));
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the tarball holds the module, the wasm and the types, and nothing else', () => {
  const files = readdirSync(path.join(installed, 'dist')).sort();
  // One JS file (the facade and the Emscripten glue, bundled by wasm/build.sh) and the wasm.
  assert.deepEqual(files, ['index.js', 'switchboard.wasm']);
  assert.ok(existsSync(path.join(installed, 'types/index.d.ts')));
  assert.ok(!existsSync(path.join(installed, 'src')), 'sources are not shipped twice');
  const wasm = readFileSync(path.join(installed, 'dist/switchboard.wasm'));
  assert.ok(WebAssembly.validate(wasm), 'switchboard.wasm is a valid module');
  const pkg = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8'));
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.exports['.'].types, './types/index.d.ts');
  assert.equal(pkg.exports['.'].import, './dist/index.js');
  assert.deepEqual(pkg.dependencies ?? {}, {}, 'no runtime dependencies');
});

test('the wasm is located relative to the module URL, not the page', () => {
  const bundle = readFileSync(path.join(installed, 'dist/index.js'), 'utf8');
  assert.match(bundle, /new URL\(["']switchboard\.wasm["'], *import\.meta\.url\)/);
});

test('exports: SwitchboardRtc (also default and BandwidthRtc), the error class and the enums', () => {
  assert.equal(typeof sdk.SwitchboardRtc, 'function');
  assert.equal(sdk.default, sdk.SwitchboardRtc);
  assert.equal(sdk.BandwidthRtc, sdk.SwitchboardRtc);
  assert.equal(sdk.SwitchboardRtcError, sdk.BandwidthRtcError);
  assert.ok(new sdk.BandwidthRtcError('x') instanceof Error);
  assert.deepEqual({ ...sdk.MediaType }, { AUDIO: 'AUDIO', VIDEO: 'VIDEO', APPLICATION: 'APPLICATION' });
  assert.deepEqual({ ...sdk.AudioLevel }, { SILENT: 'silent', LOW: 'low', HIGH: 'high' });
  assert.deepEqual({ ...sdk.MediaAggregationType }, { NONE: 'NONE', COMPOSITE: 'COMPOSITE' });
});

const METHODS = ['connect', 'setLogLevel', 'onStreamAvailable', 'onStreamUnavailable', 'onConnectionStateChange',
  'publish', 'unpublish', 'getMediaDevices', 'getAudioInputs', 'getVideoInputs', 'getAudioOutputs', 'sendDtmf',
  'setMicEnabled', 'setCameraEnabled', 'getStats', 'disconnect'];

test('every method of the stock API (reference §1.2) plus the additions is there, and typed', () => {
  const rtc = new sdk.SwitchboardRtc('error');
  for (const m of METHODS) assert.equal(typeof rtc[m], 'function', m);
  assert.equal(rtc.connectionState, 'idle');
  const dts = readFileSync(path.join(installed, 'types/index.d.ts'), 'utf8');
  for (const m of METHODS) assert.match(dts, new RegExp(`\\b${m}\\(`), `${m} in index.d.ts`);
  for (const t of ['RtcStream', 'RtcOptions', 'RtcAuthParams', 'CodecPreferences', 'ConnectionState', 'BandwidthRtc'])
    assert.match(dts, new RegExp(`\\b${t}\\b`), `${t} in index.d.ts`);
  // setMicEnabled/setCameraEnabled are bound, as in the stock SDK.
  const { setMicEnabled } = rtc;
  assert.throws(() => setMicEnabled(false), /You must call 'connect' before 'setMicEnabled'/);
});

test('before connect: the stock SDK errors (reference §1.2)', async () => {
  const rtc = new sdk.SwitchboardRtc();
  for (const m of ['sendDtmf', 'setMicEnabled', 'setCameraEnabled', 'disconnect'])
    assert.throws(() => rtc[m]('1'), (e) => e instanceof sdk.BandwidthRtcError && e.message === `You must call 'connect' before '${m}'`);
  for (const m of ['publish', 'unpublish'])
    await assert.rejects(rtc[m](), (e) => e instanceof sdk.BandwidthRtcError && e.code === 'not_connected');
  await assert.rejects(rtc.connect({}), (e) => e.code === 'invalid_argument');
  await assert.rejects(rtc.connect({ deviceToken: 't' }), (e) => e.code === 'invalid_argument' && /websocketUrl/.test(e.message));
});

// A device endpoint: refuses tokens other than "good" like docs/protocol.md says (401 + JSON body,
// also on a plain GET), answers setMediaPreferences, records frames.
async function fakeServer() {
  const frames = [];
  const refuse = { error: 'The token has expired', code: 'token_expired', requestId: 'r1' };
  const http = createServer((req, res) => {
    const good = req.url.includes('token=good');
    res.writeHead(good ? 200 : 401, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    res.end(JSON.stringify(good ? { ok: true } : refuse));
  });
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    if (!req.url.includes('token=good')) {
      socket.end('HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\n\r\n' + JSON.stringify(refuse));
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      frames.url = req.url;
      ws.on('message', (data) => {
        const m = JSON.parse(String(data));
        frames.push(m);
        if (m.method === 'setMediaPreferences') ws.send(JSON.stringify({ jsonrpc: '2.0', id: m.id, result: {} }));
      });
    });
  });
  await new Promise((r) => http.listen(0, '127.0.0.1', r));
  return { frames, url: `ws://127.0.0.1:${http.address().port}`, close: () => { wss.close(); http.close(); } };
}

test('connect() rejects with the server\'s reason for a refused token, learnt by the HTTP probe', async () => {
  const server = await fakeServer();
  try {
    const rtc = new sdk.SwitchboardRtc('off');
    const states = [];
    rtc.onConnectionStateChange((s, e) => states.push(e ? `${s}:${e.code}` : s));
    await assert.rejects(rtc.connect({ deviceToken: 'expired' }, { websocketUrl: server.url }),
      (e) => e instanceof sdk.BandwidthRtcError && e.code === 'token_expired' && e.message === 'The token has expired');
    assert.equal(rtc.connectionState, 'failed');
    assert.deepEqual(states, ['connecting', 'failed:token_expired']);
  } finally {
    server.close();
  }
});

test('connect() rejects with server_unreachable when nothing listens', async () => {
  const probe = createServer();
  await new Promise((r) => probe.listen(0, '127.0.0.1', r));
  const port = probe.address().port;
  await new Promise((r) => probe.close(r)); // a port that was just free
  const rtc = new sdk.SwitchboardRtc('off');
  await assert.rejects(rtc.connect({ deviceToken: 'good' }, { websocketUrl: `ws://127.0.0.1:${port}` }),
    (e) => e.code === 'server_unreachable');
});

test('connect() opens /v3/ with the stock query, sends setMediaPreferences id 1; disconnect() sends leave', async () => {
  const server = await fakeServer();
  try {
    const rtc = new sdk.SwitchboardRtc('off');
    const states = [];
    rtc.onConnectionStateChange((s) => states.push(s));
    await rtc.connect({ deviceToken: 'good' }, { websocketUrl: server.url });
    assert.equal(rtc.connectionState, 'connected');
    assert.match(server.frames.url, /^\/v3\/\?token=good&client=browser&sdkVersion=0\.1\.0&uniqueId=[0-9a-f-]{36}$/);
    assert.deepEqual(server.frames[0], { jsonrpc: '2.0', id: 1, method: 'setMediaPreferences', params: { protocol: 'WEBRTC' } });
    await assert.rejects(rtc.connect({ deviceToken: 'good' }, { websocketUrl: server.url }), (e) => e.code === 'invalid_state');
    rtc.disconnect();
    assert.equal(rtc.connectionState, 'disconnected');
    const deadline = Date.now() + 2000;
    while (!server.frames.some((f) => f.method === 'leave') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(server.frames.at(-1), { jsonrpc: '2.0', method: 'leave' });
    assert.deepEqual(states, ['connecting', 'connected', 'disconnected']);
  } finally {
    server.close();
  }
});

test('without media devices (Node): publish rejects with media_failed; getStats, unpublish, DTMF and mute still answer', async () => {
  const server = await fakeServer();
  try {
    const rtc = new sdk.SwitchboardRtc('off');
    await rtc.connect({ deviceToken: 'good' }, { websocketUrl: server.url });
    await assert.rejects(rtc.publish({ audio: true, video: false }, undefined, 'mic'),
      (e) => e instanceof sdk.BandwidthRtcError && e.code === 'media_failed' && /mediaDevices/.test(e.message));
    // Node has no RTCPeerConnection either: neither connection exists, and their stats are empty.
    assert.deepEqual(await rtc.getStats('publish'), []);
    assert.deepEqual(await rtc.getStats('subscribe'), []);
    await rtc.unpublish('nothing-published');
    rtc.sendDtmf('1');
    rtc.setMicEnabled(false);
    rtc.setCameraEnabled(true, 'some-stream');
    assert.equal(rtc.connectionState, 'connected');
    rtc.disconnect();
    assert.equal(rtc.connectionState, 'disconnected');
  } finally {
    server.close();
  }
});
