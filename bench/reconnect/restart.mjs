#!/usr/bin/env node
// bench/reconnect/restart.mjs: how fast audio flows again after switchboard is SIGKILLed and
// started again mid-call (issue 13 item 3; docs/protocol.md "Resuming across a restart"). Pages A
// and B (our SDK) publish their microphones to each other through switchboard + Janus. Each run
// SIGKILLs switchboard, starts it again on the same data dir and HTTP port, and times, from the
// restart (the new process being spawned), the first rise of the audio energy B receives from A
// and A from B (inbound-rtp totalAudioEnergy, polled every 20 ms):
//   restart → audio    the later of the two rises (both directions back), each on the stream
//                      announced anew after the restart (the new subscribing connection).
// The devices resume by themselves (SDK back-off), are told mediaReset and publish again on a new
// publishing connection; the pages do nothing. Baseline in the same run: A's initial connect, from
// connect() to the first energy at B (B already connected). Run inside the test namespace:
//     scripts/netns.sh exec node bench/reconnect/restart.mjs [--runs 10]
import { startMediaStack, until } from '../../tests/browser/media-fixture.mjs';
import { newPage } from '../../tests/support/browser.mjs';
import { startSwitchboard } from '../../tests/support/server.mjs';
import { opt, median, sleep } from '../common.mjs';

const RUNS = Number(opt('runs', 10));

const stack = await startMediaStack({ config: { logLevel: 'warn' } });
let sb = stack.sb;
try {
  const session = await stack.session();
  const a = await stack.participant(session);
  const b = await stack.participant(session);
  const pb = await stack.device(b.token, { sdk: 'switchboard' });
  await pb.evaluate(() => window.rtcPublish({ audio: true, video: false }));

  // The epoch time (ms) at which `page` first hears `participantId` on a stream announced after
  // the first `announced` streamAvailable events of that participant: after a restart, on the new
  // subscribing connection (the old one keeps playing what Janus still sends until the device is
  // told mediaReset and closes it, so its energy says nothing about recovery).
  const announcedCount = (page, participantId) => page.evaluate((pid) =>
    window.__events.filter((e) => e.type === 'streamAvailable' && e.participantId === pid).length, participantId);
  const riseAt = (page, participantId, announced, timeoutMs = 60000) => page.evaluate(async ([pid, n, limit]) => {
    const t0 = performance.now();
    for (;;) {
      const live = window.__events.filter((e) => e.type === 'streamAvailable' && e.participantId === pid)[n];
      const s = live && await window.streamStats(live.endpointId);
      if (s && s.audio.energy > 0) return performance.timeOrigin + performance.now();
      if (performance.now() - t0 > limit) throw new Error('no audio');
      await new Promise((r) => setTimeout(r, 20));
    }
  }, [participantId, announced, timeoutMs]);
  const connected = (page) => until(async () => (await page.evaluate(() => window.rtc.connectionState)) === 'connected',
    { timeout: 30000, what: 'connected' });

  // Baseline: A's initial connect, connect() → first energy at B.
  const pa = await newPage(stack.browser);
  await pa.goto(`${stack.web.url}/sdk.html?sdk=switchboard`);
  await pa.waitForFunction(() => window.sdkReady);
  const connectStart = Date.now();
  const r = await pa.evaluate(([t, u]) => window.rtcConnect(t, u), [a.token, stack.wsUrl]);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  await pa.evaluate(() => window.rtcPublish({ audio: true, video: false }));
  const baseline = (await riseAt(pb, a.id, 0)) - connectStart;
  await riseAt(pa, b.id, 0);
  await connected(pa);

  const times = [];
  for (let i = 0; i < RUNS; i++) {
    await sleep(1000);  // kept-devices.json is written at most every 200 ms
    const [nb, na] = [await announcedCount(pb, a.id), await announcedCount(pa, b.id)];
    await sb.kill();
    const restartedAt = Date.now();
    sb = await startSwitchboard({
      dataDir: stack.sb.dataDir,
      config: { janusUrl: stack.janus.wsUrl, janusAdminKey: stack.janus.adminKey, logLevel: 'warn' },
      args: ['--http', `127.0.0.1:${stack.sb.port}`],
    });
    const [atB, atA] = await Promise.all([riseAt(pb, a.id, nb), riseAt(pa, b.id, na)]);
    times.push(Math.max(atA, atB) - restartedAt);
    await connected(pa);
    await connected(pb);
    console.log(`run ${i + 1}: restart → audio at B ${Math.round(atB - restartedAt)} ms, at A ${Math.round(atA - restartedAt)} ms`);
  }
  const m = median(times);
  console.log(`\nbaseline: A's initial connect → audio at B   ${Math.round(baseline)} ms`);
  console.log(`restart → audio both ways   median ${Math.round(m)} ms   ratio to baseline ${(m / baseline).toFixed(2)}   (${times.map(Math.round).join(', ')})`);
  console.log(`goal < 5000 ms: ${m < 5000 ? 'met' : 'NOT met'}`);
} finally {
  if (sb !== stack.sb) await sb.stop();
  await stack.stop();
}
