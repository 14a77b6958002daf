// Remote mute and active speaker (docs/protocol.md "Remote mute and active speaker"), end to end
// with a real Janus: page A's setMicEnabled(false/true) reaches page B as remoteMuteChange, and
// A's microphone makes Janus's talk detection tell B activeSpeakerChange for A's stream; muting it
// makes B hear "stopped speaking". A page that joins after the mute is told the stream is muted.
// A stock-SDK page receiving the same stream is not disturbed by the new notifications.
//
// The speaking microphone: Firefox's fake one is a continuous tone; Chromium's default fake one
// beeps 20 ms every 500 ms, which averages about -120 dBov over Janus's one-second window, so it
// is (rightly) never speech. The speaking Chromium pages therefore capture a continuous 440 Hz
// tone at about -12 dBov from a WAV file (--use-file-for-fake-audio-capture), through the same
// getUserMedia path.
//
// Run inside the test network namespace WITH its default route (Firefox needs one):
//   SBNET_DEFAULT_ROUTE=1 scripts/netns.sh up
//   scripts/netns.sh exec node --test --test-concurrency=1 tests/browser/remote-mute.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startMediaStack, until } from './media-fixture.mjs';
import { launchChromium } from '../support/browser.mjs';
import { tempDir } from '../support/tempdir.mjs';
import { toneWav } from '../support/wav.mjs';

let stack;
before(async () => {
  stack = await startMediaStack({ firefox: true });
  const wav = path.join(tempDir('sb-remote-mute-'), 'tone.wav');
  writeFileSync(wav, toneWav({ seconds: 4, hz: 440, amplitude: 8000 }));
  // device(…, {browser: 'chromium-tone'}) opens its pages here; stack.stop() closes it.
  stack.browsers['chromium-tone'] = await launchChromium({ args: [`--use-file-for-fake-audio-capture=${wav}`] });
});
after(async () => { await stack?.stop(); });

// Records the page's remoteMuteChange and activeSpeakerChange events in window.__notices, through
// on() (the listeners) and the setters (the callbacks) alike: both must fire.
async function recordNotices(page) {
  await page.evaluate(() => {
    window.__notices = [];
    window.__setterCalls = 0;
    window.rtc.on('remoteMuteChange', (e) => window.__notices.push({ type: 'mute', ...e }));
    window.rtc.on('activeSpeakerChange', (e) => window.__notices.push({ type: 'speaker', ...e }));
    window.rtc.onRemoteMuteChange(() => { window.__setterCalls++; });
    window.rtc.onActiveSpeakerChange(() => { window.__setterCalls++; });
  });
}
const notices = (page) => page.evaluate(() => window.__notices);

// Waits until `page` has a notice matching `want` after the first `from` ones; returns its index.
async function noticeAfter(page, from, want, what, timeout = 15000) {
  return until(async () => {
    const list = await notices(page);
    const i = list.findIndex((n, k) => k >= from && Object.entries(want).every(([key, v]) => n[key] === v));
    return i >= 0 ? i + 1 : 0;
  }, { timeout, what: `${what}: ${JSON.stringify(want)}` });
}

// A session where A and B (our SDK, in `engines`) publish their microphones and hear each other,
// B recording its notices from before A publishes.
async function twoPages(engines = ['chromium', 'chromium']) {
  const s = await stack.session();
  const a = await stack.participant(s);
  const b = await stack.participant(s);
  const pa = await stack.device(a.token, { sdk: 'switchboard', browser: engines[0] });
  const pb = await stack.device(b.token, { sdk: 'switchboard', browser: engines[1] });
  await recordNotices(pb);
  const pubA = await pa.evaluate(() => window.rtcPublish({ audio: true, video: false }, 'mic-a'));
  await pb.evaluate(() => window.rtcPublish({ audio: true, video: false }, 'mic-b'));
  const heard = { minEnergy: engines.includes('firefox') ? 0.002 : 0 };
  await stack.hears(pb, a.id, heard);
  await stack.hears(pa, b.id, heard);
  return { s, a, b, pa, pb, pubA };
}

test('Chromium: A mutes and unmutes, B is told; A\'s tone makes B hear A speaking, and the mute stops it', async () => {
  const { s, a, pa, pb, pubA } = await twoPages(['chromium-tone', 'chromium']);
  const mine = { endpointId: pubA.endpointId, participantId: a.id };

  // Janus's talk detection on A's microphone.
  let at = await noticeAfter(pb, 0, { type: 'speaker', ...mine, speaking: true }, 'A speaking at B');

  await pa.evaluate(() => window.rtc.setMicEnabled(false));
  at = await noticeAfter(pb, at, { type: 'mute', ...mine, kind: 'audio', muted: true }, 'A muted at B', 5000);
  // The disabled track sends silence: talk detection says A stopped.
  await noticeAfter(pb, at, { type: 'speaker', ...mine, speaking: false }, 'A stopped speaking at B');

  // A page that starts receiving A's stream now is told at once that its audio is muted. (It
  // joins without subscriptions and gets them once it records its notices: an application sets
  // its callbacks before connect(), which this page cannot do.)
  const c = await stack.participant(s, { subscriptions: {} });
  const pc = await stack.device(c.token, { sdk: 'switchboard' });
  await recordNotices(pc);
  await stack.setSubscriptions(s, c.id, { sessionId: s });
  await noticeAfter(pc, 0, { type: 'mute', ...mine, kind: 'audio', muted: true }, 'late joiner told of the mute', 10000);
  await until(() => stack.receives(pc, a.id), { what: 'A\'s stream available at the late joiner' });

  const before = (await notices(pb)).length;
  await pa.evaluate(() => window.rtc.setMicEnabled(true));
  at = await noticeAfter(pb, before, { type: 'mute', ...mine, kind: 'audio', muted: false }, 'A unmuted at B', 5000);
  await noticeAfter(pb, at, { type: 'speaker', ...mine, speaking: true }, 'A speaking again at B');
  await noticeAfter(pc, 1, { type: 'mute', ...mine, kind: 'audio', muted: false }, 'A unmuted at C', 5000);

  // Every mute notice B got is about A's audio, and the setter callbacks fired with the listeners.
  const all = await notices(pb);
  assert.ok(all.filter((n) => n.type === 'mute').every((n) => n.endpointId === pubA.endpointId && n.kind === 'audio'), JSON.stringify(all));
  assert.equal(await pb.evaluate(() => window.__setterCalls), all.length);
  // A's own page is told nothing about its own stream (it does not receive it).
  assert.deepEqual(await pa.evaluate(() => window.__events.filter((e) => e.type === 'error')), []);
  assert.deepEqual(pb.errors, []);
  for (const p of [pa, pb, pc]) await p.close();
});

test('a stock-SDK page receiving a muted and speaking stream ignores the new notifications', async () => {
  const s = await stack.session();
  const a = await stack.participant(s);
  const b = await stack.participant(s);
  const pa = await stack.device(a.token, { sdk: 'switchboard' });
  const pb = await stack.device(b.token, { sdk: 'stock', browser: 'chromium-tone' });
  await recordNotices(pa);  // our page, to know the notices were sent in this session at all
  await pa.evaluate(() => window.rtcPublish({ audio: true, video: false }));
  await pb.evaluate(() => window.rtcPublish({ audio: true, video: false }));
  await stack.hears(pb, a.id);
  await stack.hears(pa, b.id);
  // B (stock) speaks: A is told; A mutes: B (stock) is sent remoteMuteChange and then
  // activeSpeakerChange as its speaking stops.
  await noticeAfter(pa, 0, { type: 'speaker', participantId: b.id, speaking: true }, 'stock B speaking at A');
  await pa.evaluate(() => window.rtc.setMicEnabled(false));
  await new Promise((r) => setTimeout(r, 4000));
  await pa.evaluate(() => window.rtc.setMicEnabled(true));
  // The stock page still receives A's stream, with audio, and saw no error.
  const energy = await stack.energy(pb, (await stack.liveStreams(pb)).find((e) => e.participantId === a.id).endpointId);
  await until(async () => (await stack.energy(pb, (await stack.liveStreams(pb)).find((e) => e.participantId === a.id).endpointId)) > energy,
    { what: 'A heard again at the stock page' });
  assert.deepEqual(pb.errors, []);
  assert.deepEqual((await stack.events(pb, 'error')), []);
  assert.deepEqual(await stack.states(pb), (await stack.states(pb)).filter((st) => !st.startsWith('failed')));
  await pa.close();
  await pb.close();
});

test('Firefox: A mutes and unmutes, B (Firefox) is told', async () => {
  const { a, pa, pb, pubA } = await twoPages(['firefox', 'firefox']);
  const mine = { endpointId: pubA.endpointId, participantId: a.id };
  await pa.evaluate(() => window.rtc.setMicEnabled(false));
  const at = await noticeAfter(pb, 0, { type: 'mute', ...mine, kind: 'audio', muted: true }, 'A muted at B', 5000);
  await pa.evaluate(() => window.rtc.setMicEnabled(true));
  await noticeAfter(pb, at, { type: 'mute', ...mine, kind: 'audio', muted: false }, 'A unmuted at B', 5000);
  assert.deepEqual(pb.errors, []);
  await pa.close();
  await pb.close();
});

test('Firefox to Chromium: Firefox\'s tone makes the Chromium page hear it speaking', async () => {
  const { a, pa, pb, pubA } = await twoPages(['firefox', 'chromium']);
  await noticeAfter(pb, 0, { type: 'speaker', endpointId: pubA.endpointId, participantId: a.id, speaking: true }, 'Firefox A speaking at B');
  await pa.close();
  await pb.close();
});
