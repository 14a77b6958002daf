// Durability: after SIGKILL (no chance to flush) a restart on the same data dir keeps sessions,
// participants, memberships, subscriptions and the token secret; deletes stay deleted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSwitchboard, call, OTHER_ACCOUNT } from '../support/server.mjs';
import {
  assertError, createParticipant, createSession, addToSession, getParticipant, listMembers, gauge,
  decodeJwt, verifyHs256, tokenSecret,
} from '../support/api.mjs';

let first;
let second;
after(async () => {
  if (second) await second.stop();
  if (first) { await first.kill(); first.cleanup(); }
});

const state = {};
before(async () => {
  first = await startSwitchboard({ config: { maxParticipantsPerSession: 3 } });
  const sb = first;
  state.s = await createSession(sb, { tag: 'durable' });
  state.empty = await createSession(sb);
  state.doomedSession = await createSession(sb);
  const a = await createParticipant(sb, { tag: 'alice', publishPermissions: ['AUDIO'], callbackUrl: 'https://example.com/a' });
  const b = await createParticipant(sb, { tag: 'bob' });
  const c = await createParticipant(sb, {});
  const d = await createParticipant(sb, { tag: 'doomed' });
  state.a = a.participant; state.aToken = a.token;
  state.b = b.participant;
  state.c = c.participant;
  state.d = d.participant;
  state.theirs = (await createSession(sb, { tag: 'theirs' }, OTHER_ACCOUNT));
  await addToSession(sb, state.s.id, state.a.id, { sessionId: state.s.id });
  await addToSession(sb, state.s.id, state.b.id, { participants: [{ participantId: state.a.id, streamAliases: ['mic'] }] });
  await addToSession(sb, state.doomedSession.id, state.c.id, { sessionId: state.doomedSession.id });
  assert.equal((await call(`${sb.api()}/sessions/${state.doomedSession.id}`, { method: 'DELETE' })).status, 204);
  assert.equal((await call(`${sb.api()}/participants/${state.d.id}`, { method: 'DELETE' })).status, 204);

  state.beforeA = await getParticipant(sb, state.a.id);
  state.beforeB = await getParticipant(sb, state.b.id);
  state.beforeC = await getParticipant(sb, state.c.id);
  state.members = await listMembers(sb, state.s.id);
  state.secret = tokenSecret(sb.dataDir);
  state.gauges = [await gauge(sb, 'switchboard_sessions'), await gauge(sb, 'switchboard_participants')];

  const { code, signal } = await first.kill();
  assert.equal(signal, 'SIGKILL');
  assert.equal(code, null);
  second = await startSwitchboard({ dataDir: first.dataDir, config: { maxParticipantsPerSession: 3 } });
  assert.notEqual(second.port, 0);
});

test('sessions survive, deleted sessions stay deleted', async () => {
  for (const s of [state.s, state.empty]) {
    const r = await call(`${second.api()}/sessions/${s.id}`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, s);
  }
  assertError(await call(`${second.api()}/sessions/${state.doomedSession.id}`), 404);
  const r = await call(`${second.api(OTHER_ACCOUNT)}/sessions/${state.theirs.id}`, { account: OTHER_ACCOUNT });
  assert.deepEqual(r.body, state.theirs);
  assert.deepEqual(
    [await gauge(second, 'switchboard_sessions'), await gauge(second, 'switchboard_participants')],
    state.gauges,
  );
});

test('participants, memberships and subscriptions survive', async () => {
  assert.deepEqual(await getParticipant(second, state.a.id), state.beforeA);
  assert.deepEqual(await getParticipant(second, state.b.id), state.beforeB);
  assert.deepEqual(await getParticipant(second, state.c.id), state.beforeC);
  assert.deepEqual(state.beforeC.sessions, [], 'c was detached by the delete of its session');
  assertError(await call(`${second.api()}/participants/${state.d.id}`), 404);

  const sort = (l) => [...l].sort((x, y) => x.id.localeCompare(y.id));
  assert.deepEqual(sort(await listMembers(second, state.s.id)), sort(state.members));
  assert.deepEqual(await listMembers(second, state.empty.id), []);

  const subs = await call(`${second.api()}/sessions/${state.s.id}/participants/${state.b.id}/subscriptions`);
  assert.equal(subs.status, 200);
  assert.deepEqual(subs.body, { participants: [{ participantId: state.a.id, streamAliases: ['mic'] }] });
});

test('the token secret is kept: a token issued before the restart still verifies for an existing participant', async () => {
  assert.equal(tokenSecret(second.dataDir), state.secret, 'the secret file is unchanged');
  assert.ok(verifyHs256(state.aToken, state.secret));
  const { payload } = decodeJwt(state.aToken);
  assert.equal(payload.p, state.a.id);
  assert.ok(payload.exp > Date.now() / 1000);
  assert.equal((await getParticipant(second, payload.p)).id, state.a.id);

  // New tokens are signed with the same secret.
  const { token } = await createParticipant(second);
  assert.ok(verifyHs256(token, state.secret));
});

test('the rules still apply to the restored state', async () => {
  // One session per participant.
  assertError(await call(`${second.api()}/sessions/${state.empty.id}/participants/${state.a.id}`, { method: 'PUT' }), 409);
  // The participant limit counts restored members (2 of 3).
  const { participant: x } = await createParticipant(second);
  const { participant: y } = await createParticipant(second);
  await addToSession(second, state.s.id, x.id);
  assertError(await call(`${second.api()}/sessions/${state.s.id}/participants/${y.id}`, { method: 'PUT' }), 409, { field: 'sessionId' });
});
