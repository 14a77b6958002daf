// The demo softphone (web/demo/, served by switchboard with the demo application's routes) driven
// through its controls at a phone size (390×844, touch) and a desktop size (1280×800): join, mute,
// "Call a phone" to a sipp phone behind the trunk, the keypad's digits received by that phone as
// RFC 4733 events, "Hang up" (the phone gets the BYE), the microphone picker mid-call (only with an SDK that has switchMicrophone),
// and the layout: the controls a user needs are visible, inside the viewport, not overlapping
// and at least 44 px tall. Screenshots go to a temporary folder (printed), never the repository.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMediaStack, until } from './media-fixture.mjs';
import { newPage, root, audioEnergy } from '../support/browser.mjs';
import { phoneMedia, sipp, freeUdpPort, udpBound } from '../support/phone.mjs';
import { ACCOUNT, OTHER_ACCOUNT, LOOPBACK_CALLBACKS, call } from '../support/server.mjs';

const SIZES = [
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
  { name: 'desktop', viewport: { width: 1280, height: 800 } },
];
// The SDK built into web/dist: device switching arrives with issue 14's device work. Its public
// method names survive minification.
const builtSdk = (() => {
  try {
    return readFileSync(path.join(root, 'web/dist/index.js'), 'utf8');
  } catch {
    return '';
  }
})();
const sdkHasSwitchMicrophone = builtSdk.includes('switchMicrophone');
const sdkHasRemoteMute = builtSdk.includes('remoteMuteChange');
const sdkHasCallStats = builtSdk.includes('getCallStats');

let stack;
let trunkPort;
const shots = mkdtempSync(path.join(os.tmpdir(), 'softphone-shots-'));

before(async () => {
  trunkPort = await freeUdpPort();
  stack = await startMediaStack({
    config: {
      webRoot: path.join(root, 'web'), demoAccountId: ACCOUNT.id, demoCallDestinations: ['+1555*'],
      sipListen: '127.0.0.1:0', sipTrunk: `sip:127.0.0.1:${trunkPort}`, rtpPortMin: 45000, rtpPortMax: 45999,
      // The demo's answer route is on this machine; each test places a call.
      accounts: [{ ...ACCOUNT, allowedDestinations: ['\\+1555\\d{7}'], maxCallsPerMinute: 60, allowedCallbackNetworks: LOOPBACK_CALLBACKS }, OTHER_ACCOUNT],
    },
  });
});
after(async () => { await stack?.stop(); });

async function openPage(t, size) {
  const { name, ...contextOptions } = size;
  const page = await newPage(stack.browser, { contextOptions });
  // Leaving (not only closing the tab) ends the participant at once: a closed tab's device stays
  // resumable for a while, and its stream with it, in the demo session the next test joins.
  t.after(async () => {
    await page.evaluate(() => window.switchboardDemo?.leave()).catch(() => {});
    await page.context().close();
  });
  await page.goto(`${stack.sb.base}/demo/`);
  return page;
}

async function join(page, name) {
  await page.fill('#name', name);
  await page.click('#join');
  await until(async () => (await page.textContent('#state')) === 'connected' && await page.isEnabled('#leave'),
    { timeout: 20000, what: `joined (state ${await page.textContent('#state')}, error ${await page.textContent('#error')})` });
}

// A sipp phone behind the trunk answers the call the page places with "Call a phone"; resolves
// once the page hears it. Returns {media, uas, callId}.
async function callPhone(t, page) {
  const media = await phoneMedia();
  const uas = sipp({ target: '', scenario: 'uas_answer_media.xml', keys: { rtp_port: media.port }, timeoutMs: 90000, extra: ['-p', String(trunkPort)] });
  // A failed test must not leave its phone on the trunk's port for the next one.
  t.after(() => { uas.kill(); media.close(); });
  await udpBound(trunkPort);
  // The demo session is shared: the phone of an earlier test has left it.
  await until(async () => (await page.locator('#streams li').count()) === 0, { timeout: 15000, what: 'no earlier phone in the session' });
  await page.fill('#phone', '+15551234567');
  await page.click('#call');
  await until(async () => ['calling', 'active'].includes(await page.getAttribute('#callState', 'data-state')),
    { timeout: 5000, what: `the call placed (${await page.textContent('#error')})` });
  const callId = await page.getAttribute('#callStatus', 'data-call-id');
  assert.match(callId || '', /^c-/, `the page knows the call id (${await page.textContent('#callStatus')})`);
  // A failed test hangs up too: the phone would stay in the shared demo session.
  t.after(() => call(`${stack.sb.api()}/calls/${callId}`, { method: 'POST', body: { state: 'completed' } }).catch(() => {}));
  await until(async () => media.stats.peer !== null, { timeout: 15000, what: 'RTP towards the phone' });
  media.stream();
  await until(async () => (await page.getAttribute('#callState', 'data-state')) === 'active', { timeout: 15000, what: 'the call state "in call"' });
  assert.match(await page.textContent('#streams li .who'), /Phone \+15551234567/);
  await until(async () => ((await audioEnergy(page, '#media audio'))?.totalAudioEnergy ?? 0) > 0.01, { timeout: 15000, what: 'the phone heard on the page' });
  return { media, uas, callId };
}

// How much audio energy reaches the phone in `ms`.
async function energyIn(media, ms) {
  const start = media.stats.energy;
  await new Promise((r) => setTimeout(r, ms));
  return media.stats.energy - start;
}

// "Hang up": the phone gets the BYE (sipp exits 0 only then) and the page says the call ended.
async function hangUp(page, uas, media) {
  await page.click('#hangup');
  await until(async () => (await page.getAttribute('#callState', 'data-state')) === 'ended', { timeout: 15000, what: 'the call state "call ended"' });
  assert.equal(await page.isEnabled('#hangup'), false);
  const done = await uas;
  assert.equal(done.code, 0, done.stderr || done.stdout);
  media.close();
}

// The elements a user must see, each visible, inside the viewport's width, fully on screen once
// scrolled to (the first screen on a desktop), at least 44×44 px when it is a control, and not
// overlapping another.
async function checkLayout(page, size, selectors) {
  const boxes = [];
  for (const selector of selectors) {
    const el = page.locator(selector).first();
    assert.ok(await el.isVisible(), `${size.name}: ${selector} is visible`);
    if (size.name === 'phone') await el.scrollIntoViewIfNeeded();
    const box = await el.boundingBox();
    const scrollY = await page.evaluate(() => window.scrollY);
    const { width, height } = size.viewport;
    assert.ok(box.x >= 0 && box.x + box.width <= width + 0.5, `${size.name}: ${selector} inside the width (${JSON.stringify(box)})`);
    assert.ok(box.y >= 0 && box.y + box.height <= height + 0.5, `${size.name}: ${selector} on screen (${JSON.stringify(box)})`);
    if (/^(button|select|input)$/.test(await el.evaluate((e) => e.tagName.toLowerCase()))) {
      assert.ok(box.height >= 44 && box.width >= 44, `${size.name}: ${selector} is a 44 px touch target (${JSON.stringify(box)})`);
    }
    boxes.push({ selector, x: box.x, y: box.y + scrollY, w: box.width, h: box.height });
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i];
      const b = boxes[j];
      const overlap = a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5;
      assert.ok(!overlap, `${size.name}: ${a.selector} and ${b.selector} overlap (${JSON.stringify([a, b])})`);
    }
  }
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${size.name}: no sideways scrolling`);
}

const MUST_SEE = ['#state', '#callState', '#name', '#join', '#mute', '#leave', '#meLevel', '#phone', '#call', '#hangup',
  '#keypad button[data-digit="1"]', '#keypad button[data-digit="#"]', '#streams li', '#quality', '#mic', '#cam', '#speaker', '#preflight'];

for (const size of SIZES) {
  test(`softphone at ${size.viewport.width}×${size.viewport.height}: join, call a phone, mute, keypad, hang up, layout`, async (t) => {
    const page = await openPage(t, size);
    await join(page, `softphone-${size.name}`);
    assert.equal(await page.getAttribute('#mute', 'aria-pressed'), 'false');
    assert.equal(await page.textContent('#callState'), 'no call');

    const { media, uas } = await callPhone(t, page);
    // The browser's microphone (Chromium's fake device: a beep) reaches the phone.
    await until(async () => (await energyIn(media, 1000)) > 0.2, { timeout: 10000, what: `the microphone at the phone (energy ${media.stats.energy})` });
    await until(async () => !/–/.test(await page.textContent('#streams li .quality')), { timeout: 10000, what: 'a quality figure for the phone' })
      .catch(async (e) => {
        const sample = await page.evaluate(() => window.switchboardDemo.rtc.getCallStats?.());
        throw new Error(`${e.message} (getCallStats: ${JSON.stringify(sample)})`);
      });
    await until(async () => Number(await page.getAttribute('#streams li meter', 'value')) > 0
      || Number(await page.evaluate(() => document.querySelector('#streams li meter').value)) > 0, { timeout: 10000, what: 'the phone\'s level meter moves' });

    if (sdkHasCallStats) {
      // The SDK's samples replace the raw figures: the summary gives the E-model's MOS.
      await until(async () => /MOS \d/.test(await page.textContent('#quality')), { timeout: 10000, what: 'a MOS in the call quality line' });
    }
    const shot = path.join(shots, `${size.name}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    t.diagnostic(`screenshot: ${shot}`);
    await checkLayout(page, size, MUST_SEE);

    // Mute: the button says so, the SDK's track is disabled, the phone gets silence; unmute.
    await page.click('#mute');
    assert.equal(await page.getAttribute('#mute', 'aria-pressed'), 'true');
    assert.equal(await page.textContent('#mute'), 'Unmute');
    assert.equal(await page.evaluate(() => window.switchboardDemo.published.mediaStream.getAudioTracks()[0].enabled), false);
    await new Promise((r) => setTimeout(r, 1000)); // what was on its way arrives
    const muted = await energyIn(media, 2000);
    assert.ok(muted < 0.05, `silence at the phone while muted (energy +${muted})`);
    await page.click('#mute');
    assert.equal(await page.getAttribute('#mute', 'aria-pressed'), 'false');
    await until(async () => (await energyIn(media, 1000)) > 0.2, { timeout: 10000, what: 'the microphone back at the phone after unmute' });

    // The keypad: the phone receives the digits (RFC 4733 telephone-event).
    for (const digit of ['1', '2', '#']) await page.click(`#keypad button[data-digit="${digit}"]`);
    await until(async () => media.stats.digits.map((d) => d.digit).join('') === '12#',
      { timeout: 10000, what: `digits at the phone (${JSON.stringify(media.stats.digits)})` });
    assert.equal(await page.textContent('#dialed'), '12#');
    assert.deepEqual(page.errors, []);

    await hangUp(page, uas, media);
    await page.click('#leave');
    assert.equal(await page.textContent('#state'), 'disconnected');
    assert.equal(await page.isEnabled('#join'), true);
  });

  test(`softphone at ${size.viewport.width}×${size.viewport.height}: the microphone picker switches the microphone mid-call`,
    { skip: sdkHasSwitchMicrophone ? false : 'the SDK in web/dist has no switchMicrophone yet (issue 14, devices)' }, async (t) => {
      const page = await openPage(t, size);
      await join(page, `softphone-mic-${size.name}`);
      const { media, uas } = await callPhone(t, page);
      const options = await page.$$eval('#mic option', (os) => os.map((o) => o.value));
      const current = await page.evaluate(() => window.switchboardDemo.published.mediaStream.getAudioTracks()[0].getSettings().deviceId);
      const other = options.find((v) => v && v !== current && v !== 'default');
      assert.ok(other, `another microphone to pick (${JSON.stringify(options)}, using ${current})`);
      assert.equal(await page.isEnabled('#mic'), true, 'the picker works during the call');
      await page.selectOption('#mic', other);
      await until(async () => (await page.evaluate(() => window.switchboardDemo.published.mediaStream.getAudioTracks()[0].getSettings().deviceId)) === other,
        { timeout: 10000, what: 'the published track comes from the picked microphone' });
      await until(async () => (await energyIn(media, 1000)) > 0.2, { timeout: 10000, what: 'the new microphone at the phone' });
      assert.equal(await page.textContent('#error'), '');
      await hangUp(page, uas, media);
    });
}

const sdkHasPreflight = builtSdk.includes('runPreflight');

// The preflight button runs SwitchboardRtc.runPreflight with a demo token and shows one row per
// check. This stack has no TURN server: the relay check warns (no_turn_server), the others pass.
for (const size of SIZES) {
  test(`softphone at ${size.viewport.width}×${size.viewport.height}: the preflight button shows every check's result`,
    { skip: sdkHasPreflight ? false : 'the SDK in web/dist has no runPreflight yet (issue 14, preflight)' }, async (t) => {
      const page = await openPage(t, size);
      assert.equal(await page.isEnabled('#preflight'), true, await page.textContent('#preflightNote'));
      await page.click('#preflight');
      await until(async () => (await page.getAttribute('#preflightNote', 'data-status')) !== null,
        { timeout: 60000, what: `the preflight result (${await page.textContent('#preflightNote')}, error ${await page.textContent('#error')})` });
      const rows = await page.$$eval('#preflightResults li', (lis) => lis.map((li) => ({ check: li.dataset.check, status: li.dataset.status, text: li.textContent })));
      const all = JSON.stringify(rows);
      assert.deepEqual(rows.map((r) => [r.check, r.status]),
        [['signaling', 'pass'], ['microphone', 'pass'], ['iceHost', 'pass'], ['media', 'pass'], ['iceRelay', 'warn']], all);
      assert.match(rows[3].text, /RTT [\d.]+ ms · jitter [\d.]+ ms · loss [\d.]+ % · MOS \d\.\d/, all);
      assert.match(rows[4].text, /no_turn_server/, all);
      assert.equal(await page.textContent('#preflightNote'), 'Overall: warn');
      assert.equal(await page.isEnabled('#preflight'), true, 'the button works again');
      const shot = path.join(shots, `${size.name}-preflight.png`);
      await page.screenshot({ path: shot, fullPage: true });
      t.diagnostic(`screenshot: ${shot}`);
      await checkLayout(page, size, ['#preflight', '#preflightNote', '#preflightResults li[data-check="media"]']);
      assert.deepEqual(page.errors ?? [], []);
    });
}

test('two tabs: muting one shows "muted" on its row in the other (remote mute)',
  { skip: sdkHasRemoteMute ? false : 'the SDK in web/dist has no remoteMuteChange yet (issue 14, remote mute)' }, async (t) => {
    const a = await openPage(t, SIZES[0]);
    const b = await openPage(t, SIZES[1]);
    await join(a, 'tab-a');
    await join(b, 'tab-b');
    const rowOfA = async () => {
      const id = await a.evaluate(() => window.switchboardDemo.published.endpointId);
      return b.locator(`#stream-${id}`);
    };
    await until(async () => (await (await rowOfA()).count()) === 1, { timeout: 15000, what: 'tab a\'s row in tab b' });
    await a.click('#mute');
    await until(async () => (await (await rowOfA()).locator('.badge.muted').count()) === 1, { timeout: 10000, what: '"muted" on tab a\'s row' });
    await a.click('#mute');
    await until(async () => (await (await rowOfA()).locator('.badge.muted').count()) === 0, { timeout: 10000, what: '"muted" gone after unmute' });
  });
