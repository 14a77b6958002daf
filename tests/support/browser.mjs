// Chromium for the browser tests (playwright-core driving Debian's /usr/bin/chromium; never a
// downloaded browser), plus helpers: a static file server, waitFor, and audioEnergy.
// Firefox (tests/support/firefox.mjs) gives pages the same shape, so newPage, waitFor, audioEnergy
// and selectedCandidatePairs work with a page of either engine.
//
// Run browser tests inside the test network namespace (see tests/support/media.mjs):
//     scripts/netns.sh exec node --test --test-concurrency=1 tests/browser/
//
// Every page opened with newPage() records its RTCPeerConnections in window.__pcs (an init script
// wraps the constructor before any page script runs), so stats can be read for any page, including
// pages whose SDK creates the connections internally (the stock Bandwidth SDK, ours).
import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PAGES_DIR = path.join(root, 'tests/browser/pages');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  // Chromium never gathers 127.0.0.1 candidates without this; harmless where the veth exists.
  '--allow-loopback-in-peer-connection',
  // Raw IP host candidates even in pages that never called getUserMedia.
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

// Records every RTCPeerConnection a page creates in window.__pcs (runs before page scripts).
export function trackPeerConnectionsScript() {
  if (window.__pcs) return;
  window.__pcs = [];
  const Orig = window.RTCPeerConnection;
  if (!Orig) return;
  class TrackedRTCPeerConnection extends Orig {
    constructor(...args) { super(...args); window.__pcs.push(this); }
  }
  window.RTCPeerConnection = TrackedRTCPeerConnection;
  if (window.webkitRTCPeerConnection) window.webkitRTCPeerConnection = TrackedRTCPeerConnection;
}

// Launches headless Chromium (playwright's launch() already uses a fresh temporary profile; it
// refuses --user-data-dir). Returns the playwright Browser with two additions:
//   browser.newTestPage()  a page in a fresh context, PC tracking installed, console errors and
//                          page errors collected in page.errors (array of strings)
// Option grantMedia: false leaves out --use-fake-ui-for-media-stream, which grants every
// getUserMedia prompt: headless, a prompt is then refused (NotAllowedError), as when a user
// denies the microphone.
export async function launchChromium({ args = [], headless = true, grantMedia = true } = {}) {
  const base = grantMedia ? CHROMIUM_ARGS : CHROMIUM_ARGS.filter((a) => a !== '--use-fake-ui-for-media-stream');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless,
    args: [...base, ...args],
  });
  browser.engine = 'chromium';
  browser.newTestPage = (opts) => newPage(browser, opts);
  return browser;
}

// A page in a fresh context of `browser` (launchChromium's or launchFirefox's), PC tracking
// installed, errors collected (watchPage). contextOptions are playwright's (Chromium only).
export async function newPage(browser, { contextOptions = {} } = {}) {
  if (browser.engine === 'firefox') {
    if (Object.keys(contextOptions).length) throw new Error('contextOptions are playwright (Chromium) options');
    return browser.newTestPage();
  }
  const context = await browser.newContext(contextOptions);
  await context.addInitScript(trackPeerConnectionsScript);
  const page = await context.newPage();
  page.engine = 'chromium';
  return watchPage(page);
}

// Collects a page's errors in page.errors and its console in page.consoleLog (the 'pageerror' and
// 'console' events and ConsoleMessage type()/text()/location() are the same in playwright and
// puppeteer).
export function watchPage(page) {
  page.errors = [];
  page.consoleLog = [];
  page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    page.consoleLog.push(`${m.type()}: ${m.text()}`);
    // favicon 404s are noise.
    if (m.type() === 'error' && !/favicon\.ico/.test(m.location()?.url || '') && !/favicon/.test(m.text())) {
      page.errors.push(`console.error: ${m.text()}`);
    }
  });
  return page;
}

// Polls fn in the page (page.waitForFunction) until it returns a truthy value, which is returned.
export async function waitFor(page, fn, timeout = 10000, arg = undefined) {
  // playwright takes (fn, arg, options), puppeteer (fn, options, ...args).
  const handle = page.engine === 'firefox'
    ? await page.waitForFunction(fn, { timeout, polling: 100 }, arg)
    : await page.waitForFunction(fn, arg, { timeout, polling: 100 });
  const value = await handle.jsonValue();
  await handle.dispose();
  return value;
}

// Polls a node-side async predicate until it returns a truthy value.
export async function until(fn, { timeout = 10000, interval = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try { last = await fn(); if (last) return last; } catch (e) { last = e; }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

// Inbound audio stats for the stream played by a media element: `target` is a CSS selector or an
// ElementHandle of an <audio>/<video> whose srcObject is a remote MediaStream. The receiving peer
// connection is found in window.__pcs by track id. Returns
//   {packetsReceived, totalAudioEnergy, totalSamplesReceived, audioLevel, bytesReceived,
//    tracks: [{trackId, mid, codec, ...same fields}]}  (sums over the element's audio tracks)
// or null when the element has no audio track with a receiver yet.
export async function audioEnergy(page, target) {
  const element = typeof target === 'string' ? await page.$(target) : target;
  if (!element) return null;
  return element.evaluate(async (el) => {
    const stream = el.srcObject;
    if (!stream) return null;
    const tracks = stream.getAudioTracks();
    const out = { packetsReceived: 0, totalAudioEnergy: 0, totalSamplesReceived: 0, audioLevel: 0, bytesReceived: 0, tracks: [] };
    for (const track of tracks) {
      for (const pc of window.__pcs || []) {
        const receiver = pc.getReceivers().find((r) => r.track && r.track.id === track.id);
        if (!receiver) continue;
        const stats = await pc.getStats(receiver.track);
        let codecs = {};
        stats.forEach((s) => { if (s.type === 'codec') codecs[s.id] = s.mimeType; });
        stats.forEach((s) => {
          if (s.type !== 'inbound-rtp' || (s.kind || s.mediaType) !== 'audio') return;
          const t = {
            trackId: track.id, mid: s.mid, codec: codecs[s.codecId],
            packetsReceived: s.packetsReceived || 0, totalAudioEnergy: s.totalAudioEnergy || 0,
            totalSamplesReceived: s.totalSamplesReceived || 0, audioLevel: s.audioLevel || 0,
            bytesReceived: s.bytesReceived || 0,
          };
          out.tracks.push(t);
          for (const k of ['packetsReceived', 'totalAudioEnergy', 'totalSamplesReceived', 'bytesReceived']) out[k] += t[k];
          out.audioLevel = Math.max(out.audioLevel, t.audioLevel);
        });
        break;
      }
    }
    return out.tracks.length ? out : null;
  });
}

// The selected ICE candidate pair of every tracked peer connection of the page:
// [{pc: index, state, local: {address, port, candidateType}, remote: {...}}].
export async function selectedCandidatePairs(page) {
  return page.evaluate(async () => {
    const out = [];
    for (const [i, pc] of (window.__pcs || []).entries()) {
      const stats = await pc.getStats();
      const byId = {};
      stats.forEach((s) => { byId[s.id] = s; });
      let pairId;
      stats.forEach((s) => { if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId; });
      const pair = pairId && byId[pairId];
      const pick = (c) => c && { address: c.address, port: c.port, candidateType: c.candidateType, protocol: c.protocol };
      out.push({ pc: i, state: pc.connectionState, local: pick(pair && byId[pair.localCandidateId]), remote: pick(pair && byId[pair.remoteCandidateId]) });
    }
    return out;
  });
}

// static file server
const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.map': 'application/json', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8',
  '.d.ts': 'text/plain; charset=utf-8',
};

export const DEFAULT_MOUNTS = {
  '/': PAGES_DIR,                               // tests/browser/pages
  '/build-tests/': path.join(root, 'build-tests'), // stock-sdk.js and other test-only builds
  '/dist/': path.join(root, 'web/dist'),         // the SDK build
};

// Serves files from `mounts` (URL prefix -> folder; longest prefix wins) on 127.0.0.1, GET/HEAD
// only, no directory listings. Resolves to {url, port, close()}; url has no trailing slash.
export async function startStaticServer({ mounts = DEFAULT_MOUNTS, host = '127.0.0.1', port = 0 } = {}) {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405).end(); return; }
    let pathname;
    try { pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { res.writeHead(400).end(); return; }
    const prefix = prefixes.find((p) => pathname.startsWith(p));
    if (!prefix) { res.writeHead(404).end(); return; }
    const base = path.resolve(mounts[prefix]);
    let file = path.resolve(base, '.' + path.sep + pathname.slice(prefix.length));
    if (file !== base && !file.startsWith(base + path.sep)) { res.writeHead(403).end(); return; }
    let st;
    try { st = statSync(file); if (st.isDirectory()) { file = path.join(file, 'index.html'); st = statSync(file); } } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return;
    }
    const ext = file.endsWith('.d.ts') ? '.d.ts' : path.extname(file);
    res.writeHead(200, { 'content-type': MIME[ext] || 'application/octet-stream', 'content-length': st.size, 'cache-control': 'no-store' });
    if (req.method === 'HEAD') { res.end(); return; }
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve, reject) => { server.once('error', reject); server.listen(port, host, resolve); });
  const actual = server.address().port;
  return {
    url: `http://${host}:${actual}`, port: actual, server,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}
