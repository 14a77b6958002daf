#!/usr/bin/env node
// bench/ttfa: time from connect() to the first decoded remote audio (inbound-rtp
// totalAudioEnergy > 0 on the element's stream), through switchboard + Janus, against a baseline
// in the same run: two pages with one direct RTCPeerConnection through a trivial ws relay.
// The publisher is already connected and publishing in both cases ("warm"); only the receiver's
// path is timed. Run inside the test namespace: scripts/netns.sh exec node bench/ttfa/run.mjs
// Options: --runs 10 --sdk switchboard|stock
import { WebSocketServer } from 'ws';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMediaStack } from '../../tests/browser/media-fixture.mjs';
import { newPage, startStaticServer } from '../../tests/support/browser.mjs';
import { opt, median } from '../common.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const RUNS = Number(opt('runs', 10));
const SDK = opt('sdk', 'switchboard');

// One session holds the publisher and every run's receiver.
const stack = await startMediaStack({ config: { logLevel: 'warn', maxParticipantsPerSession: RUNS + 5 } });
const results = { switchboard: [], baseline: [] };
try {
  // --- through switchboard + Janus ---
  const session = await stack.session();
  const pub = await stack.participant(session);
  const pubPage = await stack.device(pub.token, { sdk: SDK });
  await pubPage.evaluate(() => window.rtcPublish({ audio: true, video: false }));
  for (let i = 0; i < RUNS; i++) {
    const sub = await stack.participant(session);
    const page = await newPage(stack.browser);
    await page.goto(`${stack.web.url}/sdk.html?sdk=${SDK}`);
    await page.waitForFunction(() => window.sdkReady);
    const ms = await page.evaluate(async ([token, url, publisher]) => {
      const t0 = performance.now();
      const r = await window.rtcConnect(token, url);
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      for (;;) {
        const live = window.__events.filter((e) => e.type === 'streamAvailable' && e.participantId === publisher).pop();
        if (live) {
          const s = await window.streamStats(live.endpointId);
          if (s && s.audio.energy > 0) break;
        }
        await new Promise((res) => setTimeout(res, 5));
      }
      return performance.now() - t0;
    }, [sub.token, stack.wsUrl, pub.id]);
    results.switchboard.push(ms);
    await page.evaluate(() => window.rtcDisconnect());
    await page.close();
  }
  await pubPage.close();

  // --- baseline: direct PeerConnection through a trivial relay ---
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (ws) => ws.on('message', (d) => {
    for (const c of wss.clients) if (c !== ws && c.readyState === 1) c.send(String(d));
  }));
  await new Promise((r) => wss.on('listening', r));
  const relayUrl = `ws://127.0.0.1:${wss.address().port}`;
  const web = await startStaticServer({ mounts: { '/': here } });
  const a = await newPage(stack.browser);
  await a.goto(`${web.url}/direct.html`);
  await a.waitForFunction(() => window.ready);
  await a.evaluate((u) => window.publish(u), relayUrl);
  for (let i = 0; i < RUNS; i++) {
    const b = await newPage(stack.browser);
    await b.goto(`${web.url}/direct.html`);
    await b.waitForFunction(() => window.ready);
    results.baseline.push(await b.evaluate((u) => window.receive(u), relayUrl));
    await b.close();
  }
  await a.close();
  await web.close();
  wss.close();
} finally {
  await stack.stop();
}

const f = (xs) => xs.map((x) => x.toFixed(0)).join(' ');
const ms = median(results.switchboard);
const base = median(results.baseline);
console.log(`bench/ttfa: ${RUNS} runs each, ${SDK} SDK, Chromium headless, loopback/veth in the test namespace`);
console.log(`  switchboard+Janus connect() -> first decoded audio: median ${ms.toFixed(0)} ms  [${f(results.switchboard)}]`);
console.log(`  baseline direct PC via relay  open -> first decoded audio: median ${base.toFixed(0)} ms  [${f(results.baseline)}]`);
console.log(`  ratio ${(ms / base).toFixed(2)}  (goal <= 1.3: ${ms / base <= 1.3 ? 'PASS' : 'MISS'})`);
process.exit(0);
