// Devices (issue 14 item 2), with our SDK: switching the microphone mid-call with replaceTrack (the
// subscriber keeps the stream and hears the new device, nothing is renegotiated), the fallback to
// the default device when a published track ends, setSpeaker, devicechange. Chromium and Firefox.
//
// Devices in headless browsers: Chromium's fake devices (--use-fake-device-for-media-stream) list
// three audio inputs (the default and "Fake Audio Input 1" and "2", each a beep) and three outputs;
// Firefox's fake streams (media.navigator.streams.fake) fewer (the test takes another input when
// there is one, else the same device again: a new capture, a new track all the same). No device can
// be unplugged in either, so the fallback is driven by tracks the browser itself ends, with the
// `ended` event a device that goes away fires (track.stop() fires none, W3C Media Capture §4.3.1.2):
//  - a MediaStreamTrackGenerator's track (W3C mediacapture-transform) ends when its writable is
//    closed: the published track of the application goes away and the SDK captures the default
//    (fake) microphone in its place. Chromium only (Firefox has no MediaStreamTrackGenerator).
//  - Chromium ends a getUserMedia track when the page's microphone permission is revoked
//    (context.clearPermissions(), in a Chromium without --use-fake-ui-for-media-stream, which would
//    grant everything); the fallback's own capture is then refused: the failure path.
// devicechange: nothing can be plugged in, so the event is dispatched on navigator.mediaDevices;
// what the SDK does from there (enumerateDevices, the lists by kind) is real.
//
// Run inside the test network namespace with its default route (Firefox):
//   scripts/netns.sh exec node --test --test-concurrency=1 tests/browser/devices.test.mjs
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMediaStack, until } from './media-fixture.mjs';
import { launchChromium } from '../support/browser.mjs';

let stack;
before(async () => {
  stack = await startMediaStack({ firefox: true });
  // A Chromium that asks for permissions (none granted by a flag): the context grants them, and
  // can take them back. stack.stop() closes it with the others.
  stack.browsers.chromiumAsk = await launchChromium({ grantMedia: false });
});
after(async () => { await stack?.stop(); });

// Per second at the subscriber: Chromium's fake beep adds about 0.25 totalAudioEnergy, Firefox's
// fake tone about 0.01 (tests/browser/firefox-media.test.mjs).
const RISE = { chromium: 0.05, firefox: 0.004 };

// The publishing page's audio sender: its track, and the SDP its connection last applied.
const sender = (page) => page.evaluate(() => {
  for (const pc of window.__pcs) {
    const s = pc.getSenders().find((x) => x.track?.kind === 'audio');
    if (!s) continue;
    const t = s.track;
    const inStream = window.pub?.mediaStream.getAudioTracks().map((x) => x.id);
    return { trackId: t.id, label: t.label, readyState: t.readyState, enabled: t.enabled, deviceId: t.getSettings().deviceId ?? '', sdp: pc.localDescription.sdp, inStream };
  }
  return null;
});
// The descriptions a subscribing page's connections last applied (a renegotiation changes them).
const remoteSdps = (page) => page.evaluate(() => window.__pcs.map((pc) => pc.remoteDescription?.sdp ?? '').join('\n'));
const streamEvents = async (page) => (await stack.events(page)).filter((e) => /^stream/.test(e.type)).length;

// Publishes the page's microphone (or `input`: 'tone', a MediaStreamTrackGenerator playing 440 Hz)
// as window.pub, with deviceFallback events recorded in window.__fallbacks.
async function publish(page, input = 'mic') {
  return page.evaluate(async (what) => {
    window.__fallbacks = [];
    window.rtc.onDeviceFallback((e) => window.__fallbacks.push({ ...e, error: e.error && { code: e.error.code, message: e.error.message } }));
    let media = { audio: true, video: false };
    if (what === 'tone') {
      const gen = new MediaStreamTrackGenerator({ kind: 'audio' });
      const writer = gen.writable.getWriter();
      const rate = 48000;
      const n = 960;
      let t = 0;
      window.toneTimer = setInterval(() => {
        const data = new Float32Array(n);
        for (let i = 0; i < n; i++) data[i] = 0.5 * Math.sin((2 * Math.PI * 440 * (t + i)) / rate);
        writer.write(new AudioData({ format: 'f32-planar', sampleRate: rate, numberOfFrames: n, numberOfChannels: 1, timestamp: (t * 1e6) / rate, data })).catch(() => {});
        t += n;
      }, 20);
      window.toneWriter = writer;
      media = new MediaStream([gen]);
    }
    window.pub = await window.rtc.publish(media);
    return window.pub.endpointId;
  }, input);
}

// Two participants, A publishing (`input`), B hearing A. Resolves to {a, pa, pb, endpointId}.
async function call(engine, input) {
  const s = await stack.session();
  const a = await stack.participant(s);
  const b = await stack.participant(s);
  const pa = await stack.device(a.token, { sdk: 'switchboard', browser: engine });
  const pb = await stack.device(b.token, { sdk: 'switchboard', browser: engine === 'chromiumAsk' ? 'chromium' : engine });
  if (engine === 'chromiumAsk') await pa.context().grantPermissions(['microphone'], { origin: stack.web.url });
  const endpointId = await publish(pa, input);
  const heard = await stack.hears(pb, a.id, { minEnergy: RISE[engine] ?? RISE.chromium });
  assert.equal(heard.endpointId, endpointId);
  return { a, pa, pb, endpointId };
}

// Waits until B's energy of the stream rises by `by` over what it is now.
async function keepsHearing(pb, endpointId, by, what) {
  const start = await stack.energy(pb, endpointId);
  await until(async () => (await stack.energy(pb, endpointId)) > start + by, { timeout: 10000, what });
}

for (const engine of ['chromium', 'firefox']) {
  describe(`${engine}`, () => {
    test('switchMicrophone mid-call: a new track is sent, the subscriber keeps the stream and hears it, nothing is renegotiated', async () => {
      const { pa, pb, endpointId } = await call(engine);
      const before = await sender(pa);
      const atB = await remoteSdps(pb);
      const eventsAtB = await streamEvents(pb);
      // Firefox ESR's enumerateDevices() never settles in a page capturing its fake streams here,
      // so Firefox switches to the device it has (its getSettings().deviceId) once more.
      const inputs = engine === 'firefox' ? [{ deviceId: before.deviceId }]
        : await pa.evaluate(() => window.rtc.getAudioInputs().then((l) => l.map((d) => ({ deviceId: d.deviceId, label: d.label }))));
      const others = inputs.filter((d) => d.deviceId !== before.deviceId && d.deviceId !== 'default');
      const target = (others[0] ?? inputs[0]).deviceId;
      assert.ok(target, `a device to switch to: ${JSON.stringify(inputs)}`);
      if (engine === 'chromium') assert.equal(others.length, 2, 'Chromium lists two more fake microphones');

      const switched = await pa.evaluate((id) => {
        window.oldTrack = window.pub.mediaStream.getAudioTracks()[0];
        return Promise.race([window.rtc.switchMicrophone(id).then(() => 'ok', (e) => `${e.code}: ${e.message}`), new Promise((r) => setTimeout(() => r('timeout'), 8000))]);
      }, target);
      if (switched !== 'ok') console.log(engine, switched, JSON.stringify(inputs), target, pa.consoleLog.join('\n'));
      assert.equal(switched, 'ok');
      const after = await sender(pa);
      assert.notEqual(after.trackId, before.trackId, 'the sender sends a new track');
      assert.equal(after.readyState, 'live');
      if (engine === 'chromium') assert.equal(after.deviceId, target, `the new track is the chosen device (${after.label})`);
      assert.deepEqual(after.inStream, [after.trackId], 'the RtcStream\'s mediaStream holds the new track, only it');
      assert.equal(await pa.evaluate(() => window.oldTrack.readyState), 'ended', 'the old track is stopped');
      assert.equal(after.sdp, before.sdp, 'no new offer was applied at the publisher');
      await keepsHearing(pb, endpointId, RISE[engine], 'audio from the new microphone');
      assert.equal(await remoteSdps(pb), atB, 'no new offer at the subscriber');
      assert.equal(await streamEvents(pb), eventsAtB, 'no stream event at the subscriber: the same endpointId goes on');

      // Muted, then switched: the new track stays muted (silence at B), until unmuted.
      await pa.evaluate(() => window.rtc.setMicEnabled(false));
      await pa.evaluate((id) => window.rtc.switchMicrophone(id), (others[1] ?? others[0] ?? inputs[0]).deviceId);
      const muted = await sender(pa);
      assert.notEqual(muted.trackId, after.trackId);
      assert.equal(muted.enabled, false, 'the mute state is kept');
      await new Promise((r) => setTimeout(r, 1500));  // silence in flight arrives
      const quiet = await stack.energy(pb, endpointId);
      await new Promise((r) => setTimeout(r, 1500));
      assert.ok((await stack.energy(pb, endpointId)) - quiet < RISE[engine] / 5, 'nothing heard while muted');
      await pa.evaluate(() => window.rtc.setMicEnabled(true));
      await keepsHearing(pb, endpointId, RISE[engine], 'audio once unmuted');

      // A device that is not there: no_device, the track stays.
      const error = await pa.evaluate(() => window.rtc.switchMicrophone('no-such-device').then(() => null, (e) => ({ code: e.code, message: e.message })));
      assert.equal(error?.code, 'no_device', JSON.stringify(error));
      assert.equal((await sender(pa)).trackId, muted.trackId);
      await pa.close();
      await pb.close();
    });

    test('setSpeaker: a listed output on the subscriber\'s audio element, or the reason it cannot', async () => {
      const { pa, pb, endpointId } = await call(engine);
      const result = await pb.evaluate(async (ep) => {
        const Rtc = window.rtc.constructor;
        const el = document.getElementById(`stream-${ep}`);
        const outputs = (await window.rtc.getAudioOutputs()).map((d) => d.deviceId);
        const out = { can: Rtc.canSelectSpeaker, outputs };
        const other = outputs.find((id) => id && id !== 'default') ?? '';
        await window.rtc.setSpeaker(other, el).then(() => { out.sinkId = el.sinkId; out.asked = other; }, (e) => { out.error = e.code; });
        out.unknown = await window.rtc.setSpeaker('no-such-output', el).then(() => 'resolved', (e) => e.code);
        // A browser without setSinkId (removed here from the prototype, as where it never was).
        delete HTMLMediaElement.prototype.setSinkId;
        out.canWithout = Rtc.canSelectSpeaker;
        out.without = await window.rtc.setSpeaker(other, el).then(() => 'resolved', (e) => e.code);
        return out;
      }, endpointId);
      assert.equal(result.can, true, `${engine} has setSinkId`);
      assert.equal(result.error, undefined, JSON.stringify(result));
      assert.equal(result.sinkId, result.asked, 'the element plays on the chosen output');
      if (engine === 'chromium') assert.ok(result.asked, `a fake output other than the default: ${result.outputs}`);
      assert.equal(result.unknown, 'no_device');
      assert.equal(result.canWithout, false);
      assert.equal(result.without, 'sink_unsupported');
      await pa.close();
      await pb.close();
    });
  });
}

describe('chromium: fallback and devicechange', () => {
  test('a published track that ends: the default microphone replaces it, the subscriber keeps hearing the same stream', async () => {
    const { pa, pb, endpointId } = await call('chromium', 'tone');
    const before = await sender(pa);
    const atB = await remoteSdps(pb);
    const eventsAtB = await streamEvents(pb);
    await pa.evaluate(async () => { clearInterval(window.toneTimer); await window.toneWriter.close(); });
    await until(() => pa.evaluate(() => window.__fallbacks.length > 0), { what: 'deviceFallback' });
    const [fallback] = await pa.evaluate(() => window.__fallbacks);
    // The generator's track has a deviceId of its own in Chromium (a generated id).
    assert.deepEqual(fallback, { kind: 'audio', lostDeviceId: before.deviceId, deviceId: 'default', endpointId, error: undefined });
    const after = await sender(pa);
    assert.notEqual(after.trackId, before.trackId);
    assert.equal(after.label, 'Fake Default Audio Input');
    assert.equal(after.readyState, 'live');
    assert.deepEqual(after.inStream, [after.trackId]);
    assert.equal(after.sdp, before.sdp, 'no new offer');
    await keepsHearing(pb, endpointId, RISE.chromium, 'the default microphone after the fallback');
    assert.equal(await remoteSdps(pb), atB);
    assert.equal(await streamEvents(pb), eventsAtB, 'the subscriber keeps the stream');
    await pa.close();
    await pb.close();
  });

  test('the microphone permission revoked: the track ends, the fallback is refused too and says so', async () => {
    const { a, pa, pb, endpointId } = await call('chromiumAsk');
    const before = await sender(pa);
    await pa.context().clearPermissions();
    await until(() => pa.evaluate(() => window.__fallbacks.length > 0), { what: 'deviceFallback' });
    const [fallback] = await pa.evaluate(() => window.__fallbacks);
    assert.equal(fallback.kind, 'audio');
    assert.equal(fallback.lostDeviceId, before.deviceId);
    assert.equal(fallback.deviceId, '');
    assert.equal(fallback.endpointId, endpointId);
    assert.equal(fallback.error?.code, 'permission_denied', JSON.stringify(fallback));
    assert.equal((await sender(pa)).readyState, 'ended', 'the ended track stays: nothing was replaced');
    assert.ok(await stack.receives(pb, a.id), 'the stream stays published');
    await pa.close();
    await pb.close();
  });

  test('devicechange: the device lists by kind', async () => {
    const s = await stack.session();
    const a = await stack.participant(s);
    const pa = await stack.device(a.token, { sdk: 'switchboard' });
    const lists = await pa.evaluate(() => new Promise((resolve) => {
      window.rtc.onDevicesChanged((l) => resolve(Object.fromEntries(Object.entries(l).map(([k, v]) => [k, v.map((d) => d.label)]))));
      navigator.mediaDevices.dispatchEvent(new Event('devicechange'));
    }));
    assert.equal(lists.audioinput.length, 3, JSON.stringify(lists));
    assert.ok(lists.audioinput.includes('Fake Audio Input 1'));
    assert.equal(lists.audiooutput.length, 3);
    assert.equal(lists.videoinput.length, 1);
    await pa.close();
  });
});
