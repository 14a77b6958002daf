#!/usr/bin/env node
// bench/reconnect/ice.mjs: how fast audio comes back after a page's media path was cut and is
// restored (issue 13 item 2). Page A (our SDK) publishes its microphone to page B through
// switchboard + Janus; each run cuts A's UDP at its two Janus ports (nft, as
// tests/browser/ice-restart.test.mjs does), waits until A reports `reconnecting` (its ICE
// restarts have started and cannot succeed), then restores the path and times, at B, the first
// rise of the audio energy received from A (inbound-rtp totalAudioEnergy, polled every 20 ms):
//   restore → audio      from the restore to that rise;
// in two kinds of runs, alternating: `auto`, where the SDK is left alone (its restarts during the
// cut keep checking, and the next one is at most iceRestartDelayMs away), and `online`, where the
// page gets the browser's `online` event right at the restore (the network came back), which
// starts a restart at once. There restart → audio is also timed: from that restart's start (A's
// first createOffer({iceRestart}) after the restore, seen by a wrapper the page installs; the SDK
// is not touched) to the rise.
// Baseline in the same run: A's initial connect, from connect() to the first energy at B (B
// already connected; A connects and publishes). Run inside the test namespace:
//     scripts/netns.sh exec node bench/reconnect/ice.mjs [--runs 10]
import { startMediaStack, until } from '../../tests/browser/media-fixture.mjs';
import { newPage } from '../../tests/support/browser.mjs';
import { cutPorts, janusPorts } from '../../tests/support/media-path.mjs';
import { opt, median, sleep } from '../common.mjs';

const RUNS = Number(opt('runs', 10));

const stack = await startMediaStack({ config: { logLevel: 'warn' } });
let cut = null;
try {
  const session = await stack.session();
  const a = await stack.participant(session);
  const b = await stack.participant(session);
  const pb = await stack.device(b.token, { sdk: 'switchboard' });

  // The epoch time (ms) at which `page` first sees the energy from `participantId` above `above`.
  const riseAt = (page, participantId, above, timeoutMs = 60000) => page.evaluate(async ([pid, e0, limit]) => {
    const t0 = performance.now();
    for (;;) {
      const live = window.__events.filter((e) => e.type === 'streamAvailable' && e.participantId === pid).pop();
      const s = live && await window.streamStats(live.endpointId);
      if (s && s.audio.energy > e0) return performance.timeOrigin + performance.now();
      if (performance.now() - t0 > limit) throw new Error('no audio');
      await new Promise((r) => setTimeout(r, 20));
    }
  }, [participantId, above, timeoutMs]);
  const energyAt = (page, participantId) => page.evaluate(async (pid) => {
    const live = window.__events.filter((e) => e.type === 'streamAvailable' && e.participantId === pid).pop();
    const s = live && await window.streamStats(live.endpointId);
    return s ? s.audio.energy : 0;
  }, participantId);

  // Baseline: A's initial connect, connect() → first energy at B.
  const pa = await newPage(stack.browser);
  await pa.goto(`${stack.web.url}/sdk.html?sdk=switchboard`);
  await pa.waitForFunction(() => window.sdkReady);
  // Every ICE restart offer A makes, as epoch ms (W3C WebRTC §4.4.1.5 createOffer options).
  await pa.evaluate(() => {
    window.__restarts = [];
    const create = RTCPeerConnection.prototype.createOffer;
    RTCPeerConnection.prototype.createOffer = function (options) {
      if (options && options.iceRestart) window.__restarts.push(performance.timeOrigin + performance.now());
      return create.apply(this, arguments);
    };
  });
  const connectStart = Date.now();
  const r = await pa.evaluate(([t, u]) => window.rtcConnect(t, u), [a.token, stack.wsUrl]);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  await pa.evaluate(() => window.rtcPublish({ audio: true, video: false }));
  const baseline = (await riseAt(pb, a.id, 0)) - connectStart;
  await until(async () => (await pa.evaluate(() => window.rtc.connectionState)) === 'connected');

  const results = { auto: { restore: [], restart: [] }, online: { restore: [], restart: [] } };
  for (let i = 0; i < 2 * RUNS; i++) {
    const mode = i % 2 ? 'online' : 'auto';
    await sleep(1000);
    const reconnectingBefore = (await stack.events(pa, 'state')).filter((e) => e.state === 'reconnecting').length;
    cut = await cutPorts(await janusPorts(pa));
    await until(async () => (await stack.events(pa, 'state')).filter((e) => e.state === 'reconnecting').length > reconnectingBefore,
      { timeout: 30000, what: 'A reconnecting' });
    await sleep(500);
    const e0 = await energyAt(pb, a.id);
    const restoredAt = Date.now();
    await cut.restore();
    cut = null;
    if (mode === 'online') await pa.evaluate(() => window.dispatchEvent(new Event('online')));
    const back = await riseAt(pb, a.id, e0);
    const restarts = await pa.evaluate(() => window.__restarts);
    const start = restarts.find((t) => t >= restoredAt);
    results[mode].restore.push(back - restoredAt);
    if (mode === 'online' && start !== undefined) results[mode].restart.push(back - start);
    await until(async () => (await pa.evaluate(() => window.rtc.connectionState)) === 'connected', { timeout: 30000, what: 'A connected' });
    console.log(`run ${i + 1} (${mode}): restore → audio ${Math.round(back - restoredAt)} ms` +
      (mode === 'online' && start !== undefined ? `, restart → audio ${Math.round(back - start)} ms` : ''));
  }
  const row = (name, xs) => `${name.padEnd(34)} median ${String(Math.round(median(xs))).padStart(5)} ms   ratio to baseline ${(median(xs) / baseline).toFixed(2)}   (${xs.map(Math.round).join(', ')})`;
  console.log(`\nbaseline: A's initial connect → audio at B   ${Math.round(baseline)} ms`);
  console.log(row('auto: restore → audio', results.auto.restore));
  console.log(row('online event: restore → audio', results.online.restore));
  console.log(row('online event: restart → audio', results.online.restart));
  const goal = median(results.online.restart);
  console.log(`ICE restart start → media back: median ${Math.round(goal)} ms (goal < 2000 ms: ${goal < 2000 ? 'met' : 'NOT met'})`);
} finally {
  await cut?.restore();
  await stack.stop();
}
