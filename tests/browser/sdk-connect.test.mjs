// Our SDK's connect() rejects with a clear, documented error instead of hanging, and the demo page
// served by switchboard lets two tabs hear each other.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startMediaStack, until } from './media-fixture.mjs';
import { newPage, root } from '../support/browser.mjs';
import { call } from '../support/server.mjs';

let stack;
before(async () => {
  stack = await startMediaStack({
    config: { tokenLifetimeSeconds: 6, webRoot: path.join(root, 'web'), demoAccountId: '9900000' },
  });
});
after(async () => { await stack?.stop(); });

// `token`: the token, or a function that makes it once the page is ready (tokens live 6 s here: a
// new page can take 2 s to load on a busy machine, and connect() as long again).
async function connectError(token, url = stack.wsUrl) {
  const page = await newPage(stack.browser);
  await page.goto(`${stack.web.url}/sdk.html?sdk=switchboard`);
  await page.waitForFunction(() => window.sdkReady);
  if (typeof token === 'function') token = await token();
  const started = Date.now();
  const r = await page.evaluate(([t, u]) => window.rtcConnect(t, u), [token, url]);
  await page.close();
  assert.ok(Date.now() - started < 10000, 'connect() must not hang');
  assert.ok(r.error, `expected connect() to fail, got ${JSON.stringify(r)}`);
  return r.error;
}

test('connect() rejects with the reason: malformed, expired, deleted participant, unreachable server', async () => {
  assert.equal((await connectError('not-a-token')).code, 'token_malformed');

  const s = await stack.session();
  const p = await stack.participant(s);
  await new Promise((r) => setTimeout(r, 6500));  // tokenLifetimeSeconds: 6
  const expired = await connectError(p.token);
  assert.equal(expired.code, 'token_expired');
  assert.match(expired.message, /expired/i);

  const gone = await connectError(async () => {
    const q = await stack.participant(s);
    assert.equal((await call(`${stack.sb.api()}/participants/${q.id}`, { method: 'DELETE' })).status, 204);
    return q.token;
  });
  assert.equal(gone.code, 'token_participant_gone');

  const r = await stack.participant(s);
  assert.equal((await connectError(r.token, 'ws://127.0.0.1:9')).code, 'server_unreachable');
});

test('the demo page: two tabs join and hear each other', async () => {
  const tabs = [];
  for (let i = 0; i < 2; i++) {
    const page = await newPage(stack.browser);
    await page.goto(`${stack.sb.base}/demo/`);
    await page.fill('#name', `tab-${i}`);
    await page.click('#join');
    await page.waitForSelector('#leave:not([disabled])', { timeout: 15000 });
    tabs.push(page);
  }
  for (const page of tabs) {
    await until(async () => page.evaluate(async () => {
      const el = document.querySelector('#media audio, #media video');
      if (!el || !el.srcObject) return false;
      const track = el.srcObject.getAudioTracks()[0];
      for (const pc of window.__pcs || []) {
        const receiver = pc.getReceivers().find((x) => x.track === track);
        if (!receiver) continue;
        let energy = 0;
        (await pc.getStats(track)).forEach((s) => { if (s.type === 'inbound-rtp') energy = s.totalAudioEnergy || 0; });
        return energy > 0;
      }
      return false;
    }), { timeout: 15000, what: 'demo tab hears the other' });
    assert.equal(await page.textContent('#state'), 'connected');
    assert.equal(await page.locator('#streams li').count(), 1);
  }
  for (const page of tabs) await page.close();
});
