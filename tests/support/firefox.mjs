// Firefox for the browser tests: Debian's firefox-esr driven by puppeteer-core over WebDriver BiDi
// (no geckodriver, no downloaded browser). launchFirefox() returns puppeteer's Browser with the
// additions launchChromium() makes (engine, newTestPage), so tests/support/browser.mjs's newPage,
// waitFor, audioEnergy and selectedCandidatePairs take its pages unchanged.
//
// Network: Firefox gathers no ICE candidates at all without a non-loopback interface AND a default
// route. The test namespace gives it both when created with SBNET_DEFAULT_ROUTE=1 (scripts/netns.sh:
// the route points at an address nobody answers, so nothing leaves; `make browser` sets it).
//
// A missing Firefox is an error, not a skip: scripts/install-deps.sh installs firefox-esr, so a
// machine without it is a broken setup, and a skipped second engine would leave `make test` green
// with nothing proven in Firefox.
import { existsSync } from 'node:fs';
import puppeteer from 'puppeteer-core';
import { trackPeerConnectionsScript, watchPage } from './browser.mjs';

export const FIREFOX_PATH = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';

export const FIREFOX_PREFS = {
  // A fake microphone and camera (a tone and a test pattern); without it getUserMedia rejects with
  // NotFoundError on a machine without devices.
  'media.navigator.streams.fake': true,
  // No permission prompt (headless, nobody could answer it: getUserMedia would never settle).
  'media.navigator.permission.disabled': true,
  // No sound card or sound server: without the mock output an AudioContext never leaves
  // 'suspended' and remote audio is never pulled through the decoder.
  'media.cubeb.force_mock_context': true,
  // Receive-only pages play remote audio without a user gesture.
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  'media.autoplay.block-webaudio': false,
  // Raw IP host candidates instead of mDNS names (Janus resolves no .local names), as Chromium's
  // --disable-features=WebRtcHideLocalIpsWithMdns.
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  // Background services that would otherwise try the (dead) default route.
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
};

// Launches headless Firefox ESR (a fresh temporary profile each time, about 2 s).
export async function launchFirefox({ prefs = {}, headless = true } = {}) {
  if (!existsSync(FIREFOX_PATH)) {
    throw new Error(`Firefox not found at ${FIREFOX_PATH}: run scripts/install-deps.sh test ` +
      '(installs firefox-esr) or set FIREFOX_PATH');
  }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless,
    extraPrefsFirefox: { ...FIREFOX_PREFS, ...prefs },
  });
  browser.engine = 'firefox';
  // A page in a fresh user context (BiDi "user context": own cookies and storage, like a
  // playwright BrowserContext), with PC tracking installed before any page script runs.
  browser.newTestPage = async () => {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.evaluateOnNewDocument(trackPeerConnectionsScript);
    page.engine = 'firefox';
    // Closing the page closes its context too (nothing else lives in it).
    const closePage = page.close.bind(page);
    page.close = async (...args) => { await closePage(...args); await context.close().catch(() => {}); };
    return watchPage(page);
  };
  return browser;
}
