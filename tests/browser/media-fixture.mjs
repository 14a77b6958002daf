// Shared fixture for browser media tests: Janus (in the test namespace), switchboard wired to it,
// a static server for the pages, Chromium (and Firefox with {firefox: true}), and helpers to make
// participants and SDK pages in either browser.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { assertDefaultRoute, startJanus } from '../support/media.mjs';
import { startSwitchboard, call } from '../support/server.mjs';
import { launchChromium, newPage, startStaticServer, until, waitFor, root } from '../support/browser.mjs';
import { launchFirefox } from '../support/firefox.mjs';

export { until };

// The Janus port of the page's subscribing connection (the one whose remote description is the
// server's offer): the remote candidate of its selected pair (W3C webrtc-stats: the transport's
// selectedCandidatePairId; Firefox has no transport stats, there the nominated succeeded pair).
export const subscribingJanusPort = (page) => page.evaluate(async () => {
  const pc = (window.__pcs || []).find((p) => p.connectionState !== 'closed' && p.remoteDescription?.type === 'offer');
  if (!pc) return null;
  const stats = await pc.getStats();
  let pair = null;
  stats.forEach((r) => { if (r.type === 'transport' && r.selectedCandidatePairId) pair = stats.get(r.selectedCandidatePairId); });
  stats.forEach((r) => { if (!pair && r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded') pair = r; });
  return pair ? stats.get(pair.remoteCandidateId)?.port ?? null : null;
});

// firefox: also launch Firefox (about 2 s, in parallel with the rest); device(…, {browser:
// 'firefox'}) then opens its pages there.
export async function startMediaStack({ config = {}, firefox = false } = {}) {
  if (firefox) assertDefaultRoute();
  const firefoxStarting = firefox ? launchFirefox() : null;
  firefoxStarting?.catch(() => {});  // awaited below; a failure is reported there
  const janus = await startJanus({ netns: true });
  const sb = await startSwitchboard({ config: { janusUrl: janus.wsUrl, janusAdminKey: janus.adminKey, logLevel: process.env.SB_LOG || 'info', ...config } });
  const web = await startStaticServer();
  const browser = await launchChromium();
  const browsers = { chromium: browser };
  if (firefoxStarting) {
    try {
      browsers.firefox = await firefoxStarting;
    } catch (e) {
      await browser.close().catch(() => {});
      await web.close();
      await sb.stop();
      await janus.stop();
      sb.cleanup();
      throw e;
    }
  }
  const stack = {
    janus, sb, web, browser, browsers,
    wsUrl: `ws://127.0.0.1:${sb.port}`,
    hasOurSdk: existsSync(path.join(root, 'web/dist/index.js')),
    async session() {
      return (await call(`${sb.api()}/sessions`, { method: 'POST', body: {} })).body.id;
    },
    // Creates a participant; `join` adds it to `sessionId` with `subscriptions` (default session-wide).
    async participant(sessionId, { permissions = ['AUDIO'], subscriptions, join = true } = {}) {
      const r = await call(`${sb.api()}/participants`, { method: 'POST', body: { publishPermissions: permissions } });
      assert.equal(r.status, 200);
      if (join) {
        const put = await call(`${sb.api()}/sessions/${sessionId}/participants/${r.body.participant.id}`,
          { method: 'PUT', body: subscriptions === undefined ? { sessionId } : subscriptions });
        assert.equal(put.status, 204);
      }
      return { id: r.body.participant.id, token: r.body.token };
    },
    async setSubscriptions(sessionId, participantId, subscriptions) {
      const r = await call(`${sb.api()}/sessions/${sessionId}/participants/${participantId}/subscriptions`, { method: 'PUT', body: subscriptions });
      assert.equal(r.status, 204);
    },
    // Opens sdk.html with `sdk` ("stock" | "switchboard") in `browser` ("chromium" | "firefox"),
    // connects with `token` and the extra connect() `options` (e.g. {iceTransportPolicy: 'relay'}).
    async device(token, { sdk = 'stock', expectError = false, options = {}, browser: engine = 'chromium' } = {}) {
      if (!browsers[engine]) throw new Error(`no ${engine} in this stack (startMediaStack({${engine}: true}))`);
      const page = await newPage(browsers[engine]);
      page.on('pageerror', (e) => console.error(`[page ${sdk} ${engine}]`, e.message));
      await page.goto(`${web.url}/sdk.html?sdk=${sdk}`);
      await waitFor(page, () => window.sdkReady);
      const result = await page.evaluate(([t, u, o]) => window.rtcConnect(t, u, o), [token, stack.wsUrl, options]);
      if (!expectError) assert.ok(result.ok, `connect failed: ${JSON.stringify(result.error)}`);
      page.connectResult = result;
      return page;
    },
    events: (page, type) => page.evaluate((t) => window.__events.filter((e) => !t || e.type === t), type),
    // The streamAvailable events of streams that are available now (a stream may come and go).
    async liveStreams(page) {
      const live = new Map();
      for (const e of await stack.events(page)) {
        if (e.type === 'streamAvailable') live.set(e.endpointId, e);
        if (e.type === 'streamUnavailable') live.delete(e.endpointId);
      }
      return [...live.values()];
    },
    // Waits until `page` receives a stream of `participantId` with audio energy (inbound-rtp
    // totalAudioEnergy, W3C webrtc-stats RTCInboundRtpStreamStats) > `minEnergy`; returns its event.
    async hears(page, participantId, { timeout = 15000, minEnergy = 0 } = {}) {
      let found;
      await until(async () => {
        found = (await stack.liveStreams(page)).find((e) => e.participantId === participantId);
        if (!found) return false;
        const s = await page.evaluate((id) => window.streamStats(id), found.endpointId);
        return s && s.audio.packets > 0 && s.audio.energy > minEnergy;
      }, { timeout, what: `audio from ${participantId}` });
      return found;
    },
    // Two participants of a new session, each on its own page and publishing its microphone, until
    // each hears the other. `a`, `b`: device() options plus the stream's `alias`; `heard`: hears()
    // options. Resolves to {a, b, pa, pb, pubA, pubB, atA, atB}: the participants, their pages,
    // what each publish() resolved to, and the stream each page hears from the other.
    async twoDevicesHear({ a: optionsA = {}, b: optionsB = {}, heard } = {}) {
      const s = await stack.session();
      const a = await stack.participant(s);
      const b = await stack.participant(s);
      const { alias: aliasA, ...deviceA } = optionsA;
      const { alias: aliasB, ...deviceB } = optionsB;
      const pa = await stack.device(a.token, deviceA);
      const pb = await stack.device(b.token, deviceB);
      const publishMic = (page, alias) => page.evaluate((al) => window.rtcPublish({ audio: true, video: false }, al), alias);
      const pubA = await publishMic(pa, aliasA);
      const pubB = await publishMic(pb, aliasB);
      const atB = await stack.hears(pb, a.id, heard);
      const atA = await stack.hears(pa, b.id, heard);
      return { a, b, pa, pb, pubA, pubB, atA, atB };
    },
    // Total inbound audio energy at `page` of the stream it hears from `endpointId` (0 if none).
    async energy(page, endpointId) {
      return (await page.evaluate((id) => window.streamStats(id), endpointId))?.audio.energy ?? 0;
    },
    // The connection states `page` went through, a failure as `failed:<code>`.
    async states(page) {
      return (await stack.events(page, 'state')).map((e) => (e.error ? `${e.state}:${e.error.code}` : e.state));
    },
    // True if `page` currently has a live stream of `participantId`.
    async receives(page, participantId) {
      return (await stack.liveStreams(page)).some((e) => e.participantId === participantId);
    },
    // Server log lines about media and devices (printed by tests when they fail).
    mediaLog: () => sb.logs().split('\n').filter((l) => /media|device|WARN|ERROR|janus/.test(l)).join('\n'),
    async stop() {
      if (process.env.SB_DUMP_LOG) console.log(stack.mediaLog());
      for (const b of Object.values(browsers)) await b.close().catch(() => {});
      await web.close();
      await sb.stop();
      await stack.janus.stop();
      sb.cleanup();
    },
  };
  return stack;
}
