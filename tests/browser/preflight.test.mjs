// Preflight (issue 14 item 4): SwitchboardRtc.runPreflight against the real server, Janus and a
// coturn started from switchboard's own TURN config, in Chromium and Firefox. A healthy stack
// passes every check with measured round-trip numbers; a TURN server that refuses the credentials
// fails exactly the relay check; a microphone without permission fails the microphone check; a
// bad token fails signaling and skips the rest. Every run leaves no device on the server.
// Run inside the test network namespace: scripts/netns.sh exec node --test tests/browser/preflight.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMediaStack, until } from './media-fixture.mjs';
import { netnsAddress } from '../support/media.mjs';
import { startCoturn, freeTurnPort, turnSection } from '../support/coturn.mjs';
import { launchChromium, newPage } from '../support/browser.mjs';

let stack;
let coturn;
let turn;

before(async () => {
  // coturn on the namespace's veth address, where Janus's candidates are too (turn.test.mjs).
  const host = netnsAddress();
  const port = await freeTurnPort(host);
  turn = turnSection({ host, port, urls: [`turn:${host}:${port}?transport=udp`] });
  coturn = await startCoturn({ config: { turn } });
  stack = await startMediaStack({ config: { turn }, firefox: true });
  assert.ok(stack.hasOurSdk, 'web/dist/index.js is missing: run wasm/build.sh');
});
after(async () => {
  await stack?.stop();
  await coturn?.stop();
});

async function sdkPage(browser) {
  const page = await newPage(browser);
  page.on('pageerror', (e) => console.error('[page]', e.message));
  await page.goto(`${stack.web.url}/sdk.html?sdk=switchboard`);
  await page.waitForFunction(() => window.sdkReady);
  return page;
}

// runPreflight's result, or {thrown} with the error it rejected with.
const preflight = (page, options) => page.evaluate(async (o) => {
  const { SwitchboardRtc } = await import('/dist/index.js');
  try {
    return await SwitchboardRtc.runPreflight(o);
  } catch (e) {
    return { thrown: { code: e.code, message: e.message } };
  }
}, { websocketUrl: stack.wsUrl, ...options });

const statuses = (r) => Object.fromEntries(Object.entries(r.checks ?? {}).map(([k, v]) => [k, v.status]));

const metric = async (name) => {
  const text = await (await fetch(`${stack.sb.adminBase}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1]);
};

// The server released the preflight's devices (a device kept for a resume would stay 30 s).
async function noDeviceLeft() {
  await until(async () => (await metric('switchboard_devices')) === 0, { timeout: 3000, what: 'no device left on the server' });
}

async function token() {
  return (await stack.participant(await stack.session())).token;
}

for (const engine of ['chromium', 'firefox']) {
  test(`${engine}: on a healthy stack every check passes, with the round trip measured`, async () => {
    const page = await sdkPage(stack.browsers[engine]);
    const r = await preflight(page, { deviceToken: await token() });
    const all = JSON.stringify(r);
    assert.deepEqual(statuses(r), { microphone: 'pass', signaling: 'pass', iceHost: 'pass', media: 'pass', iceRelay: 'pass' }, all);
    assert.equal(r.status, 'pass', all);
    for (const name of ['signaling', 'microphone', 'iceHost', 'iceRelay']) {
      assert.ok(r.checks[name].ms > 0 && r.checks[name].ms < 15000, `${name}.ms: ${all}`);
      assert.equal(r.checks[name].error, undefined, all);
    }
    // The browser and Janus share the namespace: a round trip of a few ms, no loss.
    const m = r.checks.media;
    assert.ok(m.rttMs >= 0 && m.rttMs < 100, `rttMs ${m.rttMs}`);
    assert.ok(m.jitterMs >= 0 && m.jitterMs < 30, `jitterMs ${m.jitterMs}`);
    assert.ok(m.packetLoss >= 0 && m.packetLoss <= 0.02, `packetLoss ${m.packetLoss}`);
    assert.ok(m.mos > 4 && m.mos <= 4.5, `mos ${m.mos}`);
    console.log(`[${engine}] preflight media: rtt ${m.rttMs} ms, jitter ${m.jitterMs} ms, loss ${m.packetLoss}, mos ${m.mos}`);
    await noDeviceLeft();
    await page.close();
  });
}

test('iceServers with a wrong credential: only iceRelay fails, with turn_refused', async () => {
  const page = await sdkPage(stack.browser);
  const iceServers = [{ urls: turn.urls ?? [`turn:${coturn.host}:${coturn.port}?transport=udp`], username: '4102444800:preflight', credential: 'not-the-secret' }];
  const r = await preflight(page, { deviceToken: await token(), iceServers });
  const all = JSON.stringify(r);
  assert.deepEqual(statuses(r), { microphone: 'pass', signaling: 'pass', iceHost: 'pass', media: 'pass', iceRelay: 'fail' }, all);
  assert.equal(r.checks.iceRelay.error.code, 'turn_refused', all);
  assert.equal(r.status, 'fail');
  await noDeviceLeft();
  await page.close();
});

test('a microphone without permission fails the microphone check after signaling passed; the rest is skipped', async () => {
  // getUserMedia prompts are not auto-granted and the context grants nothing (failures.test.mjs).
  const browser = await launchChromium({ grantMedia: false });
  try {
    const page = await newPage(browser, { contextOptions: { permissions: [] } });
    await page.goto(`${stack.web.url}/sdk.html?sdk=switchboard`);
    await page.waitForFunction(() => window.sdkReady);
    const r = await preflight(page, { deviceToken: await token() });
    const all = JSON.stringify(r);
    assert.deepEqual(statuses(r), { microphone: 'fail', signaling: 'pass', iceHost: 'skipped', media: 'skipped', iceRelay: 'skipped' }, all);
    assert.equal(r.checks.microphone.error.code, 'permission_denied', all);
    for (const name of ['iceHost', 'media', 'iceRelay']) {
      assert.equal(r.checks[name].error.code, 'check_skipped', all);
      assert.equal(r.checks[name].error.message, 'microphone', all);
    }
    assert.equal(r.status, 'fail');
    await noDeviceLeft();
  } finally {
    await browser.close();
  }
});

test('a bad token fails signaling with the server\'s code and skips the rest', async () => {
  const page = await sdkPage(stack.browser);
  const good = await token();
  // The signature's last characters changed: the server refuses it (token_bad_signature).
  const bad = good.slice(0, -6) + (good.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA');
  const r = await preflight(page, { deviceToken: bad });
  const all = JSON.stringify(r);
  assert.deepEqual(statuses(r), { signaling: 'fail', microphone: 'skipped', iceHost: 'skipped', media: 'skipped', iceRelay: 'skipped' }, all);
  assert.equal(r.checks.signaling.error.code, 'token_bad_signature', all);
  for (const name of ['microphone', 'iceHost', 'media', 'iceRelay']) assert.equal(r.checks[name].error.message, 'signaling', all);
  assert.equal(r.status, 'fail');
  await noDeviceLeft();
  await page.close();
});

// Last: coturn is restarted with a secret that differs from the deployment's.
test('a coturn whose secret differs from the deployment\'s: only iceRelay fails, with turn_refused', async () => {
  await coturn.stop();
  coturn = await startCoturn({ config: { turn: { ...turn, secret: 'another-secret-that-coturn-has' } } });
  for (const engine of ['firefox', 'chromium']) {
    const page = await sdkPage(stack.browsers[engine]);
    const r = await preflight(page, { deviceToken: await token(), durationMs: 2000 });
    const all = JSON.stringify(r);
    assert.deepEqual(statuses(r), { microphone: 'pass', signaling: 'pass', iceHost: 'pass', media: 'pass', iceRelay: 'fail' }, `${engine}: ${all}`);
    assert.equal(r.checks.iceRelay.error.code, 'turn_refused', `${engine}: ${all}`);
    await noDeviceLeft();
    await page.close();
  }
});
