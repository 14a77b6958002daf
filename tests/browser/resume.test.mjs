// A call survives a lost signaling connection (issue 13 item 1): the page's WebSocket to
// switchboard goes through a TCP relay here, which the test cuts without a closing handshake (as
// a network change does). Our SDK resumes the same device: the state goes reconnecting → connected,
// media keeps flowing both ways meanwhile (audio energy keeps rising at each side), no
// streamUnavailable fires anywhere, and nothing is published again; a subscription changed
// meanwhile applies after the resume. A device that comes back after the grace period (2 s here)
// reports failed with resume_expired. Our SDK only (the stock
// one reconnects as a new device, if at all). Run inside the test network namespace:
//     scripts/netns.sh exec node --test --test-concurrency=1 tests/browser/resume.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMediaStack, until } from './media-fixture.mjs';
import { startRelay } from '../support/relay.mjs';

const GRACE_SECONDS = 2;
let stack;
let relay;

before(async () => {
  stack = await startMediaStack({ config: { deviceResumeGraceSeconds: GRACE_SECONDS } });
  relay = await startRelay(stack.sb.port);
});
after(async () => {
  await relay?.close();
  await stack?.stop();
});

const energy = (page, endpointId) => stack.energy(page, endpointId);
const states = (page) => stack.states(page);

test('a cut signaling connection resumes: reconnecting → connected, media flows throughout, no stream lost', async () => {
  assert.ok(stack.hasOurSdk, 'web/dist is built (wasm/build.sh)');
  const options = { websocketUrl: relay.url };
  const { b, pa, pb, atA, atB } = await stack.twoDevicesHear({ a: { sdk: 'switchboard', options }, b: { sdk: 'switchboard' } });
  const before = { atB: await energy(pb, atB.endpointId), atA: await energy(pa, atA.endpointId) };
  const started = Date.now();
  relay.cut();
  // Media goes on while signaling is away: sample it during the outage too.
  const during = { atB: 0, atA: 0 };
  await until(async () => {
    during.atB = await energy(pb, atB.endpointId);
    during.atA = await energy(pa, atA.endpointId);
    return (await states(pa)).includes('reconnecting');
  }, { timeout: 5000, what: 'reconnecting' });
  await until(async () => (await states(pa)).at(-1) === 'connected' && (await states(pa)).length >= 4, { timeout: 10000, what: 'connected again' });
  const resumedAfterMs = Date.now() - started;
  await new Promise((r) => setTimeout(r, 1500));
  const after = { atB: await energy(pb, atB.endpointId), atA: await energy(pa, atA.endpointId) };
  assert.deepEqual(await states(pa), ['connecting', 'connected', 'reconnecting', 'connected']);
  assert.ok(after.atB > before.atB && after.atB > during.atB, `B keeps hearing A: ${JSON.stringify({ before, during, after })}`);
  assert.ok(after.atA > before.atA && after.atA > during.atA, `A keeps hearing B: ${JSON.stringify({ before, during, after })}`);
  assert.deepEqual(await stack.events(pa, 'streamUnavailable'), []);
  assert.deepEqual(await stack.events(pb, 'streamUnavailable'), []);
  assert.equal((await stack.events(pb, 'streamAvailable')).length, 1, 'A\'s stream was not announced again at B');
  assert.ok(await stack.receives(pa, b.id));
  assert.match(stack.sb.logs(), /resumed/);
  console.log(`resumed ${resumedAfterMs} ms after the cut`);
  await pa.close();
  await pb.close();
});

test('a subscription changed while the device is away applies once it resumes', async () => {
  const s = await stack.session();
  const b = await stack.participant(s);
  const c = await stack.participant(s);
  const a = await stack.participant(s, { subscriptions: { sessionId: s, participants: [{ participantId: b.id }] } });
  const pa = await stack.device(a.token, { sdk: 'switchboard', options: { websocketUrl: relay.url } });
  const pb = await stack.device(b.token, { sdk: 'switchboard' });
  const pc = await stack.device(c.token, { sdk: 'switchboard' });
  for (const page of [pb, pc]) await page.evaluate(() => window.rtcPublish({ audio: true, video: false }));
  await stack.hears(pa, b.id);
  await stack.hears(pb, c.id);  // C is live, so A's not hearing it is the subscription
  assert.equal(await stack.receives(pa, c.id), false, 'A is subscribed to B only');
  // A's signaling is away (its reconnect held at the relay) when its subscriptions change.
  relay.state.holding = true;
  relay.cut();
  await until(async () => (await states(pa)).includes('reconnecting'), { timeout: 5000, what: 'reconnecting' });
  await stack.setSubscriptions(s, a.id, { participants: [{ participantId: b.id }, { participantId: c.id }] });
  await new Promise((r) => setTimeout(r, 300));
  relay.release();
  await until(async () => (await states(pa)).at(-1) === 'connected' && (await states(pa)).length >= 4, { timeout: 10000, what: 'connected again' });
  await stack.hears(pa, c.id);
  assert.deepEqual(await states(pa), ['connecting', 'connected', 'reconnecting', 'connected']);
  assert.deepEqual(await stack.events(pa, 'streamUnavailable'), []);
  assert.ok(await stack.receives(pa, b.id));
  for (const page of [pa, pb, pc]) await page.close();
});

test('a device that comes back after the grace period reports failed with resume_expired', async () => {
  const options = { websocketUrl: relay.url };
  const { a, pa, pb } = await stack.twoDevicesHear({ a: { sdk: 'switchboard', options }, b: { sdk: 'switchboard' } });
  relay.state.refusing = true;
  relay.cut();
  // Released by the server when the grace period ends: B loses A's stream.
  await until(async () => !(await stack.receives(pb, a.id)), { timeout: (GRACE_SECONDS + 5) * 1000, what: 'A released at B' });
  relay.state.refusing = false;
  await until(async () => (await states(pa)).at(-1)?.startsWith('failed'), { timeout: 15000, what: 'failed' });
  assert.deepEqual(await states(pa), ['connecting', 'connected', 'reconnecting', 'failed:resume_expired']);
  await pa.close();
  await pb.close();
});
