// Events: the stock setters and any number of on()/off() listeners (docs/sdk.md "Events"). The
// packed package with its real wasm core under Node, against a fake device endpoint, for the
// events Node can produce (connection state, DTMF from a phone); the dispatch itself
// (web/src/events.js, shared by all five names) for the media events, which need a browser's
// RTCPeerConnection (tests/browser covers those).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { installBrowserShims } from './support/browserShims.mjs';
import { fakeServer } from './support/fakeServer.mjs';
import { PKG, installPacked, web } from './support/packed.mjs';

const NAMES = ['streamAvailable', 'streamUnavailable', 'connectionStateChange', 'dtmf', 'subscribeFailed'];
let pack;
let sdk;
let server;

before(async () => {
  pack = installPacked({ type: 'module' });
  writeFileSync(path.join(pack.app, 'entry.mjs'), `export * from '${PKG}';\n`);
  installBrowserShims();
  sdk = await import(pathToFileURL(path.join(pack.app, 'entry.mjs')));
  server = await fakeServer();
});

after(() => {
  server?.close();
  pack?.cleanup();
});

async function until(condition) {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(condition(), 'in time');
}

test('connectionStateChange: the setter, then each listener once, in order; off() removes one', async () => {
  const rtc = new sdk.SwitchboardRtc('off');
  const log = [];
  const a = (state) => log.push(`a:${state}`);
  const b = (state) => log.push(`b:${state}`);
  rtc.onConnectionStateChange(() => log.push('replaced'));
  rtc.onConnectionStateChange((state) => log.push(`setter:${state}`));
  assert.equal(rtc.on('connectionStateChange', a), rtc, 'on() chains');
  rtc.on('connectionStateChange', b).on('connectionStateChange', a); // a twice counts once
  await rtc.connect({ deviceToken: 'good' }, { websocketUrl: server.url });
  assert.deepEqual(log, ['setter:connecting', 'a:connecting', 'b:connecting', 'setter:connected', 'a:connected', 'b:connected']);
  log.length = 0;
  assert.equal(rtc.off('connectionStateChange', a), rtc, 'off() chains');
  rtc.disconnect();
  assert.deepEqual(log, ['setter:disconnected', 'b:disconnected']);
});

test('connectionStateChange "failed" gives every listener the coded error', async () => {
  const rtc = new sdk.SwitchboardRtc('off');
  const seen = [];
  rtc.onConnectionStateChange((state, error) => seen.push(['setter', state, error?.code]));
  rtc.on('connectionStateChange', (state, error) => seen.push(['listener', state, error?.code]));
  await assert.rejects(rtc.connect({ deviceToken: 'expired' }, { websocketUrl: server.url }), (e) => e.code === 'token_expired');
  assert.deepEqual(seen.filter(([, state]) => state === 'failed'), [['setter', 'failed', 'token_expired'], ['listener', 'failed', 'token_expired']]);
});

test('dtmf from the server reaches the setter and every listener; one that throws does not stop the others', async (t) => {
  const errors = t.mock.method(console, 'error', () => {});
  const rtc = new sdk.SwitchboardRtc('off');
  const got = [];
  rtc.onDtmf((event) => got.push(['setter', event]));
  rtc.on('dtmf', () => {
    throw new Error('application bug');
  });
  rtc.on('dtmf', (event) => got.push(['listener', event]));
  await rtc.connect({ deviceToken: 'good' }, { websocketUrl: server.url });
  const params = { participantId: 'p-phone', endpointId: 'e-phone', tone: '5' };
  server.send({ jsonrpc: '2.0', method: 'dtmf', params });
  await until(() => got.length === 2);
  assert.deepEqual(got, [['setter', params], ['listener', params]]);
  assert.equal(errors.mock.callCount(), 1);
  assert.match(String(errors.mock.calls[0].arguments[1]), /application bug/);
  rtc.onDtmf(undefined); // clears the setter; listeners stay
  server.send({ jsonrpc: '2.0', method: 'dtmf', params: { ...params, tone: '#' } });
  await until(() => got.length === 3);
  assert.deepEqual(got[2], ['listener', { ...params, tone: '#' }]);
  rtc.disconnect();
});

test('on()/off() take the five event names, and refuse others and non-functions', () => {
  const rtc = new sdk.SwitchboardRtc('off');
  const fn = () => {};
  for (const name of NAMES) rtc.on(name, fn).off(name, fn).off(name, fn); // off of an absent listener: nothing
  const invalid = (e) => e instanceof sdk.BandwidthRtcError && e.code === 'invalid_argument';
  assert.throws(() => rtc.on('streamavailable', fn), invalid);
  assert.throws(() => rtc.off('stateChange', fn), invalid);
  assert.throws(() => rtc.on('dtmf'), invalid);
  assert.throws(() => rtc.on('dtmf', 'not a function'), invalid);
  for (const setter of ['onStreamAvailable', 'onStreamUnavailable', 'onConnectionStateChange', 'onDtmf', 'onSubscribeFailed'])
    assert.equal(typeof rtc[setter], 'function', setter);
});

// The dispatch every event goes through, for the names Node cannot produce end to end.
test('each event name: setter and listeners all receive the arguments; changes during an event apply to the next', async () => {
  const { Events } = await import(pathToFileURL(path.join(web, 'src/events.js')));
  for (const name of NAMES) {
    const events = new Events();
    const got = [];
    const late = () => got.push('late');
    events.setCallback(name, (...args) => got.push(['setter', ...args]));
    events.add(name, (...args) => {
      got.push(['first', ...args]);
      events.add(name, late); // added during the event: from the next one on
      events.remove(name, second); // removed during the event: still called this time
    });
    const second = (...args) => got.push(['second', ...args]);
    events.add(name, second);
    const error = new sdk.BandwidthRtcError('negotiation failed', 'subscribe_failed');
    events.emit(name, { error, endpointIds: ['e1'] }, 'x');
    assert.deepEqual(got, [
      ['setter', { error, endpointIds: ['e1'] }, 'x'],
      ['first', { error, endpointIds: ['e1'] }, 'x'],
      ['second', { error, endpointIds: ['e1'] }, 'x'],
    ], name);
    got.length = 0;
    events.emit(name, 1);
    assert.deepEqual(got, [['setter', 1], ['first', 1], 'late'], name);
  }
});
