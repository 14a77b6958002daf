// Failures reach the application as coded errors, never only as log lines (issue 12): a refused
// microphone rejects publish() with permission_denied; a media path that stays blocked through
// the last ICE restart ends in connection state "failed" with ice_failed. Our SDK only (the
// stock one has neither). Run inside the test network namespace, as root: the blocked path is
// an nftables table of that namespace.
//     scripts/netns.sh exec node --test --test-concurrency=1 tests/browser/failures.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startMediaStack, until } from './media-fixture.mjs';
import { launchChromium, newPage } from '../support/browser.mjs';
import { call } from '../support/server.mjs';

let stack;
before(async () => { stack = await startMediaStack(); });
after(async () => { await stack?.stop(); });

// publish() as the application sees it: the stream, or the error's code and browser name.
const publishResult = (page) => page.evaluate(() => window.rtc.publish({ audio: true, video: false }).then(
  (s) => ({ endpointId: s.endpointId }),
  (e) => ({ code: e.code, name: e.data?.name, message: e.message })));

test('a microphone the browser refuses rejects publish() with permission_denied', async () => {
  assert.ok(stack.hasOurSdk, 'web/dist is built (wasm/build.sh)');
  const s = await stack.session();
  const a = await stack.participant(s);
  // A browser whose getUserMedia prompts are not auto-granted; the context grants nothing.
  const browser = await launchChromium({ grantMedia: false });
  try {
    const page = await newPage(browser, { contextOptions: { permissions: [] } });
    await page.goto(`${stack.web.url}/sdk.html?sdk=switchboard`);
    await page.waitForFunction(() => window.sdkReady);
    const connected = await page.evaluate(([t, u]) => window.rtcConnect(t, u), [a.token, stack.wsUrl]);
    assert.ok(connected.ok, JSON.stringify(connected));
    const result = await publishResult(page);
    assert.equal(result.code, 'permission_denied', JSON.stringify(result));
    assert.equal(result.name, 'NotAllowedError');
    // The connection itself is not affected.
    assert.equal(await page.evaluate(() => window.rtc.connectionState), 'connected');
  } finally {
    await browser.close();
  }
});

// Drops every UDP datagram in and out of this namespace (the browser and Janus both live here,
// signaling is TCP): the media path is gone, the signaling is not.
const TABLE = 'sb_test_block_media';
function blockMedia() {
  execFileSync('nft', ['-f', '-'], {
    input: `table inet ${TABLE} {
      chain in { type filter hook input priority -10; policy accept; meta l4proto udp drop; }
      chain out { type filter hook output priority -10; policy accept; meta l4proto udp drop; }
    }\n`,
  });
}
function unblockMedia() {
  try {
    execFileSync('nft', ['delete', 'table', 'inet', TABLE], { stdio: 'ignore' });
  } catch {
    // not there: nothing to undo
  }
}

// The device's state events once it reached "failed" (up to `timeout` ms).
async function failedState(page, timeout) {
  await until(async () => (await stack.events(page, 'state')).some((e) => e.state === 'failed'),
    { timeout, interval: 500, what: 'state failed' });
  return (await stack.events(page, 'state')).find((e) => e.state === 'failed');
}

// One restart, 1 s apart, so that the bound stays short; the default is 5 restarts 5 s apart.
const FAST_RESTARTS = { maxIceRestarts: 1, iceRestartDelayMs: 1000 };
// Chromium declares a connection failed some 30 s after its last STUN consent answer (RFC 7675
// §5.1, measured 15-20 s here); then the restart, which cannot succeed either.
const FAIL_BOUND_MS = 120000;

test('alone and publishing, a media path blocked through the last ICE restart gives failed with ice_failed', async () => {
  assert.ok(stack.hasOurSdk, 'web/dist is built (wasm/build.sh)');
  const s = await stack.session();
  const a = await stack.participant(s);
  const pa = await stack.device(a.token, { sdk: 'switchboard', options: FAST_RESTARTS });
  try {
    assert.ok((await publishResult(pa)).endpointId);
    await until(async () => (await pa.evaluate(() => window.__pcs.map((pc) => pc.connectionState))).includes('connected'),
      { what: 'the publishing connection connects' });
    assert.equal(await pa.evaluate(() => window.__pcs.length), 1, 'only the publishing connection exists');
    blockMedia();
    const failed = await failedState(pa, FAIL_BOUND_MS);
    assert.equal(failed.error?.code, 'ice_failed', JSON.stringify(failed));
    assert.equal(failed.error.message, 'ICE failed on the publishing connection after 1 ICE restart(s)');
    assert.equal(await pa.evaluate(() => window.rtc.connectionState), 'failed');
    // Released: the connection is closed (and the server told, as by disconnect()).
    assert.deepEqual(await pa.evaluate(() => window.__pcs.map((pc) => pc.connectionState)), ['closed']);
  } finally {
    unblockMedia();
    await pa.close();
  }
});

test('receiving, a blocked media path gives failed with ice_failed once the restart budget is spent', async () => {
  assert.ok(stack.hasOurSdk, 'web/dist is built (wasm/build.sh)');
  const s = await stack.session();
  const a = await stack.participant(s);
  const b = await stack.participant(s);
  const pa = await stack.device(a.token, { sdk: 'switchboard', options: FAST_RESTARTS });
  const pb = await stack.device(b.token, { sdk: 'switchboard', options: FAST_RESTARTS });
  try {
    // a only receives: its one connection is the subscribing one.
    await pb.evaluate(() => window.rtcPublish({ audio: true, video: false }));
    await stack.hears(pa, b.id);
    blockMedia();
    const failed = await failedState(pa, FAIL_BOUND_MS);
    assert.equal(failed.error?.code, 'ice_failed', JSON.stringify(failed));
    // Its restart (a `restartIce`, whose offer was answered but could not connect) did not help.
    assert.equal(failed.error.message, 'ICE failed on the subscribing connection after 1 ICE restart(s)');
    const states = (await stack.events(pa, 'state')).map((e) => e.state);
    assert.deepEqual(states.slice(-2), ['reconnecting', 'failed'], states.join(' → '));
    assert.equal(await pa.evaluate(() => window.rtc.connectionState), 'failed');
  } finally {
    unblockMedia();
    await pa.close();
    await pb.close();
  }
});

// The server closes a deleted participant's connection with 4404 (docs/errors.md "WebSocket close
// codes"): the call is over, and reconnecting could only be refused.
test('deleting the participant ends its call: disconnected with ended_by_server, no reconnect', async () => {
  const s = await stack.session();
  const a = await stack.participant(s);
  const page = await stack.device(a.token, { sdk: 'switchboard' });
  await page.evaluate(() => window.rtcPublish({ audio: true, video: false }));
  await until(() => page.evaluate(() => window.rtc.getCallStats() !== null), { timeout: 10000, what: 'a call-quality sample' });
  const deleted = await call(`${stack.sb.api()}/participants/${a.id}`, { method: 'DELETE' });
  assert.equal(deleted.status, 204);
  await until(async () => (await stack.states(page)).includes('disconnected:ended_by_server'),
    { timeout: 10000, what: 'disconnected with ended_by_server' });
  const last = (await stack.events(page, 'state')).pop();
  assert.deepEqual(last.error.data, { closeCode: 4404 });
  assert.equal(await page.evaluate(() => window.rtc.getCallStats()), null, 'no sample of the call that ended');
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual((await stack.states(page)).slice(-2), ['connected', 'disconnected:ended_by_server'],
    'no reconnecting after the end');
  await page.close();
});
