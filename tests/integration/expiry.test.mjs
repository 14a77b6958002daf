// Session lifetime (reference §4.7, config sessionLifetimeSeconds / expirySweepSeconds): an
// expired session is 404 at once — even before the sweep deletes it — and its members are free.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '../support/server.mjs';
import {
  startAll, stopAll, assertError, createParticipant, createSession, addToSession, getParticipant, gauge, sleep, waitFor,
} from '../support/api.mjs';

// Lifetimes are whole seconds on the server's wall clock, so a 1 s session lives between 0 and 1 s
// depending on where in the second it was created. Starting just after a second boundary gives the
// test ~900 ms in which the session certainly exists.
async function atStartOfSecond() {
  const ms = Date.now() % 1000;
  await sleep(ms < 30 ? 30 - ms : 1030 - ms);
}

let swept;     // sessionLifetimeSeconds: 1, expirySweepSeconds: 1
let unswept;   // sessionLifetimeSeconds: 1, expirySweepSeconds: 3600 (only the startup sweep runs)
before(async () => {
  [swept, unswept] = await startAll(
    { config: { sessionLifetimeSeconds: 1, expirySweepSeconds: 1 } },
    { config: { sessionLifetimeSeconds: 1, expirySweepSeconds: 3600 } },
  );
});
after(() => stopAll(swept, unswept));

const sessionGone = (sb, sid) => async () => (await call(`${sb.api()}/sessions/${sid}`)).status === 404;

// Creates a session with two members (one with subscriptions) while the session is surely alive.
async function liveSession(sb) {
  await atStartOfSecond();
  const s = await createSession(sb, { tag: 'short' });
  const { participant: a } = await createParticipant(sb);
  const { participant: b } = await createParticipant(sb);
  await addToSession(sb, s.id, a.id, { sessionId: s.id });
  await addToSession(sb, s.id, b.id);
  assert.equal((await call(`${sb.api()}/sessions/${s.id}`)).status, 200, 'alive at first');
  assert.deepEqual((await getParticipant(sb, a.id)).sessions, [s.id]);
  return { s, a, b };
}

describe('with a sweep every second', () => {
  test('the session becomes 404 and is purged; its members are detached but kept', async () => {
    const participantsBefore = await gauge(swept, 'switchboard_participants');
    const { s, a, b } = await liveSession(swept);
    assert.ok(await waitFor(sessionGone(swept, s.id), { timeoutMs: 3000 }), 'expired within the lifetime');
    assert.equal(await waitFor(async () => (await gauge(swept, 'switchboard_sessions')) === 0, { timeoutMs: 3000 }), true,
      'the sweep deleted it');
    assert.equal(await gauge(swept, 'switchboard_participants'), participantsBefore + 2, 'participants are not purged');

    assertError(await call(`${swept.api()}/sessions/${s.id}/participants`), 404, { field: 'sessionId' });
    assertError(await call(`${swept.api()}/sessions/${s.id}`, { method: 'DELETE' }), 404, { field: 'sessionId' });
    assertError(await call(`${swept.api()}/sessions/${s.id}/participants/${a.id}/subscriptions`), 404, { field: 'sessionId' });
    for (const id of [a.id, b.id]) {
      const p = await getParticipant(swept, id);
      assert.deepEqual(p.sessions, []);
      assert.ok(!('subscriptions' in p));
    }
  });
});

describe('before the sweep has run', () => {
  test('an expired session is already 404 everywhere and its members may join another session', async () => {
    const { s, a, b } = await liveSession(unswept);
    assert.ok(await waitFor(sessionGone(unswept, s.id), { timeoutMs: 3000 }));
    assert.equal(await gauge(unswept, 'switchboard_sessions'), 1, 'still stored: the sweep has not run');

    assertError(await call(`${unswept.api()}/sessions/${s.id}/participants`), 404, { field: 'sessionId' });
    assertError(await call(`${unswept.api()}/sessions/${s.id}/participants/${a.id}`, { method: 'PUT' }), 404, { field: 'sessionId' });
    assertError(await call(`${unswept.api()}/sessions/${s.id}/participants/${a.id}`, { method: 'DELETE' }), 404, { field: 'sessionId' });
    assertError(await call(`${unswept.api()}/sessions/${s.id}/participants/${a.id}/subscriptions`), 404, { field: 'sessionId' });
    assertError(await call(`${unswept.api()}/sessions/${s.id}/participants/${a.id}/subscriptions`, { method: 'PUT' }), 404);
    assertError(await call(`${unswept.api()}/sessions/${s.id}`, { method: 'DELETE' }), 404);

    // The membership ended with the session.
    const pa = await getParticipant(unswept, a.id);
    assert.deepEqual(pa.sessions, []);
    assert.ok(!('subscriptions' in pa));

    // ...so joining a new session is not a 409.
    await atStartOfSecond();
    const s2 = await createSession(unswept);
    await addToSession(unswept, s2.id, a.id);
    await addToSession(unswept, s2.id, b.id);
    assert.deepEqual((await getParticipant(unswept, a.id)).sessions, [s2.id]);
  });
});
