// The npm package as users get it (STYLE.md 12): `npm pack` in web/, install the tarball into an
// empty folder, import it by name, and check its files, exports and types. The Emscripten ES6
// glue targets browsers; it runs in Node 20 when the wasm is fetched through a `fetch` that
// serves file: URLs and `WebSocket` is provided (the `ws` package), so connect() is exercised
// against a fake device endpoint here too. Media paths are covered by tests/browser/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { installBrowserShims } from './support/browserShims.mjs';
import { fakeServer } from './support/fakeServer.mjs';
import { PKG, installPacked, root, web } from './support/packed.mjs';

const { version } = JSON.parse(readFileSync(path.join(web, 'package.json'), 'utf8'));
let pack;
let installed;
let sdk;

before(async () => {
  pack = installPacked({ type: 'module' });
  installed = pack.installed;
  // A module inside the app folder, so the bare specifier resolves through the package's "exports".
  writeFileSync(path.join(pack.app, 'entry.mjs'), `export * from '${PKG}';\nexport { default } from '${PKG}';\n`);
  installBrowserShims();
  sdk = await import(pathToFileURL(path.join(pack.app, 'entry.mjs')));
});

after(() => pack?.cleanup());

test('the tarball holds the two bundles, the wasm, the types and the LICENSE, and nothing else', () => {
  const files = readdirSync(path.join(installed, 'dist')).sort();
  // Each bundle is the facade and the Emscripten glue (web/build.mjs); index.d.cts is the types
  // for require().
  assert.deepEqual(files, ['index.cjs', 'index.d.cts', 'index.js', 'switchboard.wasm']);
  assert.ok(existsSync(path.join(installed, 'types/index.d.ts')));
  assert.ok(!existsSync(path.join(installed, 'src')), 'sources are not shipped twice');
  assert.deepEqual(readFileSync(path.join(installed, 'LICENSE')), readFileSync(path.join(root, 'LICENSE')),
    'the package\'s LICENSE is the repository\'s (Apache-2.0)');
  const wasm = readFileSync(path.join(installed, 'dist/switchboard.wasm'));
  assert.ok(WebAssembly.validate(wasm), 'switchboard.wasm is a valid module');
  const pkg = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8'));
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.license, 'Apache-2.0');
  assert.equal(pkg.repository?.type, 'git');
  assert.equal(pkg.repository?.directory, 'web');
  assert.deepEqual(pkg.exports['.'], {
    import: { types: './types/index.d.ts', default: './dist/index.js' },
    require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
  });
  assert.deepEqual(pkg.dependencies ?? {}, {}, 'no runtime dependencies');
  // The CommonJS types are the ES module ones, not a stale copy.
  const dts = readFileSync(path.join(installed, 'types/index.d.ts'), 'utf8');
  assert.ok(readFileSync(path.join(installed, 'dist/index.d.cts'), 'utf8').endsWith(dts));
});

test('one version: package.json\'s, in SDK_VERSION of both bundles', () => {
  assert.equal(sdk.SDK_VERSION, version);
  for (const bundle of ['index.js', 'index.cjs']) {
    const text = readFileSync(path.join(installed, 'dist', bundle), 'utf8');
    assert.ok(text.includes(JSON.stringify(version)), `${bundle} carries ${version}`);
  }
});

test('the wasm is located relative to the module URL, not the page', () => {
  const bundle = readFileSync(path.join(installed, 'dist/index.js'), 'utf8');
  assert.match(bundle, /new URL\(["']switchboard\.wasm["'], *import\.meta\.url\)/);
});

test('exports: SwitchboardRtc (also default, BandwidthRtc and BandwidthRtcV3), the error class and the enums', () => {
  assert.equal(typeof sdk.SwitchboardRtc, 'function');
  assert.equal(sdk.default, sdk.SwitchboardRtc);
  assert.equal(sdk.BandwidthRtc, sdk.SwitchboardRtc);
  assert.equal(sdk.BandwidthRtcV3, sdk.SwitchboardRtc);
  assert.equal(sdk.SwitchboardRtcError, sdk.BandwidthRtcError);
  assert.ok(new sdk.BandwidthRtcError('x') instanceof Error);
  assert.deepEqual({ ...sdk.MediaType }, { AUDIO: 'AUDIO', VIDEO: 'VIDEO', APPLICATION: 'APPLICATION' });
  assert.deepEqual({ ...sdk.AudioLevel }, { SILENT: 'silent', LOW: 'low', HIGH: 'high' });
  assert.deepEqual({ ...sdk.MediaAggregationType }, { NONE: 'NONE', COMPOSITE: 'COMPOSITE' });
});

const METHODS = ['connect', 'setLogLevel', 'onStreamAvailable', 'onStreamUnavailable', 'onConnectionStateChange',
  'publish', 'unpublish', 'getMediaDevices', 'getAudioInputs', 'getVideoInputs', 'getAudioOutputs', 'sendDtmf',
  'setMicEnabled', 'setCameraEnabled', 'getStats', 'disconnect', 'onDtmf', 'onSubscribeFailed', 'on', 'off',
  'onTokenWillExpire', 'updateToken', 'getCallStats', 'onQualityWarning', 'onQualityWarningCleared'];

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
    const query = new URLSearchParams(server.frames.url.slice('/v3/?'.length));
    assert.ok(server.frames.url.startsWith('/v3/?'));
    assert.deepEqual([...query.keys()], ['token', 'client', 'sdkVersion', 'uniqueId']);
    assert.deepEqual([query.get('token'), query.get('client'), query.get('sdkVersion')], ['good', 'browser', version]);
    assert.match(query.get('uniqueId'), /^[0-9a-f-]{36}$/);
    // `resumable`: docs/protocol.md "Resuming a device" (a server that keeps no device ignores it).
    assert.deepEqual(server.frames[0], { jsonrpc: '2.0', id: 1, method: 'setMediaPreferences', params: { protocol: 'WEBRTC', resumable: true } });
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

async function until(check, what, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// A JWT with this payload (the SDK reads `exp`; the fake server takes any token that starts "good").
const jwt = (payload) => `good.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

test('a lost WebSocket resumes the same device: the resume query, the new secret next time, reconnecting → connected', async () => {
  const server = await fakeServer({ resume: {} });
  try {
    const rtc = new sdk.SwitchboardRtc('off');
    const states = [];
    rtc.onConnectionStateChange((s, e) => states.push(e ? `${s}:${e.code}` : s));
    await rtc.connect({ deviceToken: 'good' }, { websocketUrl: server.url });
    const started = Date.now();
    server.drop();
    await until(() => states.length === 4, 'reconnecting, connected');
    assert.ok(Date.now() - started < 1000, 'resumed within the first back-off step');
    assert.deepEqual(states, ['connecting', 'connected', 'reconnecting', 'connected']);
    const resumed = new URLSearchParams(server.urls[1].slice(server.urls[1].indexOf('?') + 1));
    assert.deepEqual([resumed.get('token'), resumed.get('resumeDevice'), resumed.get('resumeSecret')], ['good', 'dev-1', 's1']);
    // No new device session: setMediaPreferences was sent once, on the first connection.
    assert.equal(server.frames.filter((f) => f.method === 'setMediaPreferences').length, 1);
    server.drop();
    await until(() => states.length === 6, 'the second resume');
    assert.match(server.urls[2], /resumeSecret=s2\b/);
    rtc.disconnect();
  } finally {
    server.close();
  }
});

test('a device the server no longer keeps (410) fails with resume_expired and does not come back as a new one', async () => {
  const server = await fakeServer({ resume: { refusal: 410 } });
  try {
    const rtc = new sdk.SwitchboardRtc('off');
    const states = [];
    rtc.onConnectionStateChange((s, e) => states.push(e ? `${s}:${e.code}` : s));
    await rtc.connect({ deviceToken: 'good' }, { websocketUrl: server.url });
    server.drop();
    await until(() => states.length === 4, 'failed');
    assert.deepEqual(states, ['connecting', 'connected', 'reconnecting', 'failed:resume_expired']);
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(server.urls.filter((u) => !u.startsWith('GET ')).length, 2, 'no further connection');
  } finally {
    server.close();
  }
});

test('409 resume_pending is retried until the resume succeeds', async () => {
  const server = await fakeServer({ resume: { refusal: 409 } });
  try {
    const rtc = new sdk.SwitchboardRtc('off');
    const states = [];
    rtc.onConnectionStateChange((s) => states.push(s));
    await rtc.connect({ deviceToken: 'good' }, { websocketUrl: server.url });
    server.drop();
    await until(() => server.urls.filter((u) => u.startsWith('GET ')).length === 2, 'two refused resumes');
    server.resumeAccept();
    await until(() => states.length === 4, 'connected');
    assert.deepEqual(states, ['connecting', 'connected', 'reconnecting', 'connected']);
    rtc.disconnect();
  } finally {
    server.close();
  }
});

test('onTokenWillExpire fires tokenExpiryMarginMs before exp; updateToken\'s token is the one the resume uses', async () => {
  const server = await fakeServer({ resume: {} });
  try {
    const rtc = new sdk.SwitchboardRtc('off');
    const fired = [];
    const exp = Math.floor(Date.now() / 1000) + 3;
    rtc.onTokenWillExpire(() => fired.push(Date.now()));
    await rtc.connect({ deviceToken: jwt({ sub: 'p-1', exp }) }, { websocketUrl: server.url, tokenExpiryMarginMs: 2000 });
    await until(() => fired.length === 1, 'tokenWillExpire', 4000);
    assert.ok(Math.abs(fired[0] - (exp * 1000 - 2000)) < 300, `fired ${exp * 1000 - 2000 - fired[0]} ms early`);
    const fresh = jwt({ sub: 'p-1', exp: exp + 3600 });
    rtc.updateToken(fresh);
    assert.throws(() => rtc.updateToken(''), (e) => e.code === 'invalid_argument');
    server.drop();
    await until(() => rtc.connectionState === 'connected' && server.urls.length === 2, 'the resume');
    assert.equal(new URLSearchParams(server.urls[1].slice(server.urls[1].indexOf('?') + 1)).get('token'), fresh);
    assert.equal(fired.length, 1);
    rtc.disconnect();
  } finally {
    server.close();
  }
});

test('without media devices (Node): publish and the device lists reject with media_failed; getStats, unpublish, DTMF and mute still answer', async () => {
  const server = await fakeServer();
  try {
    const rtc = new sdk.SwitchboardRtc('off');
    // The device lists need no connect(); their failure is coded too, not a TypeError.
    for (const m of ['getMediaDevices', 'getAudioInputs', 'getVideoInputs', 'getAudioOutputs'])
      await assert.rejects(rtc[m](), (e) => e instanceof sdk.BandwidthRtcError && e.code === 'media_failed' && /Cannot list the media devices/.test(e.message), m);
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
