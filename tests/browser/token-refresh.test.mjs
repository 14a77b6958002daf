// Token refresh through a lost connection (issue 13 item 4), Chromium with our SDK and Janus:
// onTokenWillExpire fires tokenExpiryMarginMs before the token's exp; the page gets a fresh token
// for the same participant from the REST API (POST …/participants/{id}/tokens) and hands it to
// updateToken; once the first token has expired, a lost signaling connection resumes with the
// fresh one and the call goes on. Without updateToken the resume is refused: failed token_expired.
// The page's WebSocket goes through a TCP relay (tests/support/relay.mjs) that the test cuts.
//     scripts/netns.sh exec node --test --test-concurrency=1 tests/browser/token-refresh.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMediaStack, until } from './media-fixture.mjs';
import { startRelay } from '../support/relay.mjs';
import { call } from '../support/server.mjs';

const TOKEN_SECONDS = 12;
const MARGIN_MS = 8000;
let stack;
let relay;

before(async () => {
  stack = await startMediaStack({ config: { tokenLifetimeSeconds: TOKEN_SECONDS } });
  relay = await startRelay(stack.sb.port);
});
after(async () => {
  await relay?.close();
  await stack?.stop();
});

const expOf = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url')).exp;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Until the token `exp` is past by a whole second (the server compares whole seconds).
const untilExpired = (exp) => sleep(Math.max(0, (exp + 1) * 1000 - Date.now() + 200));

async function twoInACall({ a: optionsA }) {
  const options = { websocketUrl: relay.url, tokenExpiryMarginMs: MARGIN_MS, ...optionsA };
  return stack.twoDevicesHear({ a: { sdk: 'switchboard', options }, b: { sdk: 'switchboard' } });
}

test('onTokenWillExpire fires before exp; updateToken with a minted token keeps the call through a resume', async () => {
  assert.ok(stack.hasOurSdk, 'web/dist is built (wasm/build.sh)');
  const { a, pa, pb, atA, atB } = await twoInACall({});
  const exp = expOf(a.token);
  await until(async () => (await stack.events(pa, 'tokenWillExpire')).length === 1, { timeout: TOKEN_SECONDS * 1000, what: 'tokenWillExpire' });
  const firedAt = Date.now();
  assert.ok(firedAt < exp * 1000 && firedAt > exp * 1000 - MARGIN_MS - 1500, `fired ${exp * 1000 - firedAt} ms before exp`);
  const minted = await call(`${stack.sb.api()}/participants/${a.id}/tokens`, { method: 'POST' });
  assert.equal(minted.status, 200);
  assert.ok(expOf(minted.body.token) > exp);
  await pa.evaluate((t) => window.rtc.updateToken(t), minted.body.token);
  await untilExpired(exp);
  const before = await stack.energy(pb, atB.endpointId);
  relay.cut();
  await until(async () => (await stack.states(pa)).length >= 4, { timeout: 15000, what: 'reconnecting, then connected' });
  assert.deepEqual(await stack.states(pa), ['connecting', 'connected', 'reconnecting', 'connected']);
  const atBoth = { atB: await stack.energy(pb, atB.endpointId), atA: await stack.energy(pa, atA.endpointId) };
  await sleep(1000);
  assert.ok(await stack.energy(pb, atB.endpointId) > atBoth.atB && atBoth.atB > before, 'B still hears A');
  assert.ok(await stack.energy(pa, atA.endpointId) > atBoth.atA, 'A still hears B');
  assert.deepEqual(await stack.events(pb, 'streamUnavailable'), []);
  await pa.close();
  await pb.close();
});

test('without updateToken, an expired token cannot resume: failed token_expired', async () => {
  const { a, pa, pb } = await twoInACall({});
  await untilExpired(expOf(a.token));
  relay.cut();
  await until(async () => (await stack.states(pa)).at(-1)?.startsWith('failed'), { timeout: 15000, what: 'failed' });
  assert.deepEqual(await stack.states(pa), ['connecting', 'connected', 'reconnecting', 'failed:token_expired']);
  await pa.close();
  await pb.close();
});
