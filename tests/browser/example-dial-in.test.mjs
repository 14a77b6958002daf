// examples/dial-in: the script's call to the demo number lands in the demo session, and a tab
// that joined on the demo page hears the recording the phone plays (PCMA, transcoded).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { startMediaStack, until } from './media-fixture.mjs';
import { newPage, root } from '../support/browser.mjs';
import { ACCOUNT, OTHER_ACCOUNT, LOOPBACK_CALLBACKS } from '../support/server.mjs';

let stack;
let relay;

before(async () => {
  // The number's initiate callback is the demo application's /demo/answer. Its port is known only
  // once switchboard runs, so the configured URL points at this relay, which forwards to it.
  relay = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', async () => {
      const r = await fetch(`${stack.sb.base}/demo/answer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      res.writeHead(r.status, { 'content-type': r.headers.get('content-type') || 'application/xml' });
      res.end(await r.text());
    });
  });
  await new Promise((r) => relay.listen(0, '127.0.0.1', r));
  stack = await startMediaStack({
    config: {
      webRoot: path.join(root, 'web'), demoAccountId: '9900000', sipListen: '127.0.0.1:0', rtpPortMin: 44000, rtpPortMax: 44999,
      voiceNumbers: [{ number: '+15550100', accountId: '9900000', initiateUrl: `http://127.0.0.1:${relay.address().port}/initiate` }],
      // As in the demo config, the phone dials the number from this machine, the trunk's address.
      sipTrunkAddresses: ['127.0.0.1'],
      // The relay and the demo's answer route are on this machine.
      accounts: [{ ...ACCOUNT, allowedCallbackNetworks: LOOPBACK_CALLBACKS }, OTHER_ACCOUNT],
    },
  });
});
after(async () => { await stack?.stop(); relay?.close(); });

function runScript(args) {
  return new Promise((resolve) => {
    const p = spawn('bash', [path.join(root, 'examples/dial-in/dial-in.sh'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    p.on('exit', (code) => resolve({ code, out }));
  });
}

test('examples/dial-in: the demo page hears the phone that dials the demo number', async () => {
  const page = await newPage(stack.browser);
  await page.goto(`${stack.sb.base}/demo/`);
  await page.click('#join');
  await page.waitForSelector('#leave:not([disabled])', { timeout: 15000 });
  const sipPort = await stack.sb.sipPort();
  const script = runScript(['+15550100', `127.0.0.1:${sipPort}`, '8']);
  await until(async () => (await page.locator('#streams li').count()) === 1, { timeout: 15000, what: 'the phone stream on the page' });
  await until(async () => page.evaluate(async () => {
    const el = document.querySelector('#media audio');
    const track = el?.srcObject?.getAudioTracks()[0];
    for (const pc of window.__pcs || []) {
      if (!track || !pc.getReceivers().some((x) => x.track === track)) continue;
      let energy = 0;
      (await pc.getStats(track)).forEach((s) => { if (s.type === 'inbound-rtp') energy = s.totalAudioEnergy || 0; });
      return energy > 0.01;
    }
    return false;
  }), { timeout: 15000, what: 'the recording heard on the demo page' });
  const done = await script;
  assert.equal(done.code, 0, done.out);
  await until(async () => (await page.locator('#streams li').count()) === 0, { timeout: 10000, what: 'the phone stream gone after BYE' });
  await page.close();
});
