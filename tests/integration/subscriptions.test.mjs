// REST API (reference §4.2–4.4): getParticipantSubscriptions and updateParticipantSubscriptions —
// full replace, empty body removes all, validation, and 404 for non-members.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '../support/server.mjs';
import {
  startAll, stopAll, assertError, createParticipant, createSession, addToSession, getParticipant, listMembers,
} from '../support/api.mjs';

let sb;
before(async () => { [sb] = await startAll({}); });
after(() => stopAll(sb));

const subsUrl = (sid, pid) => `${sb.api()}/sessions/${sid}/participants/${pid}/subscriptions`;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

// A session with three members a, b, c (a added without subscriptions).
async function room() {
  const s = await createSession(sb);
  const [a, b, c] = await Promise.all([1, 2, 3].map(async () => (await createParticipant(sb)).participant));
  for (const p of [a, b, c]) await addToSession(sb, s.id, p.id);
  return { s, a, b, c };
}

async function getSubs(sid, pid) {
  const r = await call(subsUrl(sid, pid));
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.match(r.headers.get('content-type'), /application\/json/);
  return r.body;
}

async function putSubs(sid, pid, body) {
  const r = await call(subsUrl(sid, pid), { method: 'PUT', body });
  assert.equal(r.status, 204, JSON.stringify(r.body));
  assert.equal(r.body, null);
}

describe('getParticipantSubscriptions', () => {
  test('a member added without subscriptions has {}', async () => {
    const { s, a } = await room();
    assert.deepEqual(await getSubs(s.id, a.id), {});
  });

  test('returns what addParticipantToSession set', async () => {
    const s = await createSession(sb);
    const { participant: a } = await createParticipant(sb);
    const { participant: b } = await createParticipant(sb);
    await addToSession(sb, s.id, b.id);
    const subs = { sessionId: s.id, participants: [{ participantId: b.id, streamAliases: ['mic', 'cam'] }] };
    await addToSession(sb, s.id, a.id, subs);
    assert.deepEqual(await getSubs(s.id, a.id), subs);
    assert.deepEqual((await getParticipant(sb, a.id)).subscriptions, subs);
  });

  test('non-member, unknown participant or unknown session → 404', async () => {
    const { s } = await room();
    const { participant: outsider } = await createParticipant(sb);
    assertError(await call(subsUrl(s.id, outsider.id)), 404, { field: 'participantId' });
    assertError(await call(subsUrl(s.id, UNKNOWN)), 404, { field: 'participantId' });
    assertError(await call(subsUrl(UNKNOWN, outsider.id)), 404, { field: 'sessionId' });
  });
});

describe('updateParticipantSubscriptions', () => {
  test('sessionId only → whole-session subscription', async () => {
    const { s, a } = await room();
    await putSubs(s.id, a.id, { sessionId: s.id });
    assert.deepEqual(await getSubs(s.id, a.id), { sessionId: s.id });
  });

  test('PUT replaces the previous subscriptions entirely', async () => {
    const { s, a, b, c } = await room();
    await putSubs(s.id, a.id, { sessionId: s.id, participants: [{ participantId: b.id }, { participantId: c.id, streamAliases: ['cam'] }] });
    assert.deepEqual(await getSubs(s.id, a.id), {
      sessionId: s.id, participants: [{ participantId: b.id }, { participantId: c.id, streamAliases: ['cam'] }],
    });
    await putSubs(s.id, a.id, { participants: [{ participantId: c.id }] });
    assert.deepEqual(await getSubs(s.id, a.id), { participants: [{ participantId: c.id }] });
  });

  test('empty streamAliases and empty participants are normalised away', async () => {
    const { s, a, b } = await room();
    await putSubs(s.id, a.id, { participants: [{ participantId: b.id, streamAliases: [] }] });
    assert.deepEqual(await getSubs(s.id, a.id), { participants: [{ participantId: b.id }] });
    await putSubs(s.id, a.id, { sessionId: s.id, participants: [] });
    assert.deepEqual(await getSubs(s.id, a.id), { sessionId: s.id });
  });

  test('an empty body removes all subscriptions but keeps the membership', async () => {
    const { s, a, b } = await room();
    await putSubs(s.id, a.id, { sessionId: s.id, participants: [{ participantId: b.id }] });
    const r = await call(subsUrl(s.id, a.id), { method: 'PUT' });
    assert.equal(r.status, 204);
    assert.deepEqual(await getSubs(s.id, a.id), {});
    const p = await getParticipant(sb, a.id);
    assert.deepEqual(p.sessions, [s.id]);
    assert.ok(!('subscriptions' in p));
  });

  test('an empty JSON object also removes all subscriptions', async () => {
    const { s, a } = await room();
    await putSubs(s.id, a.id, { sessionId: s.id });
    await putSubs(s.id, a.id, {});
    assert.deepEqual(await getSubs(s.id, a.id), {});
  });

  test('subscriptions are one-way: updating a does not change b', async () => {
    const { s, a, b } = await room();
    await putSubs(s.id, b.id, { sessionId: s.id });
    await putSubs(s.id, a.id, { participants: [{ participantId: b.id }] });
    assert.deepEqual(await getSubs(s.id, b.id), { sessionId: s.id });
  });

  test('the member listing shows each participant\'s subscriptions', async () => {
    const { s, a, b } = await room();
    await putSubs(s.id, a.id, { participants: [{ participantId: b.id, streamAliases: ['screen'] }] });
    const list = await listMembers(sb, s.id);
    assert.deepEqual(list.find((p) => p.id === a.id).subscriptions, { participants: [{ participantId: b.id, streamAliases: ['screen'] }] });
    assert.ok(!('subscriptions' in list.find((p) => p.id === b.id)));
  });

  const invalid = [
    ['a sessionId other than the URL\'s', (ctx) => ({ sessionId: ctx.other.id }), 'sessionId'],
    ['a sessionId of the wrong type', () => ({ sessionId: 1 }), 'sessionId'],
    ['participants not an array', () => ({ participants: 'x' }), 'participants'],
    ['a participants entry that is not an object', () => ({ participants: ['x'] }), 'participants[0]'],
    ['a participants entry without participantId', (ctx) => ({ participants: [{ participantId: ctx.b.id }, { streamAliases: ['a'] }] }), 'participants[1].participantId'],
    ['an empty participantId', () => ({ participants: [{ participantId: '' }] }), 'participants[0].participantId'],
    ['a duplicate participantId', (ctx) => ({ participants: [{ participantId: ctx.b.id }, { participantId: ctx.b.id }] }), 'participants[1].participantId'],
    ['streamAliases not an array', (ctx) => ({ participants: [{ participantId: ctx.b.id, streamAliases: 'cam' }] }), 'participants[0].streamAliases'],
    ['a duplicate stream alias', (ctx) => ({ participants: [{ participantId: ctx.b.id, streamAliases: ['cam', 'cam'] }] }), 'participants[0].streamAliases[1]'],
    ['an empty stream alias', (ctx) => ({ participants: [{ participantId: ctx.b.id, streamAliases: [''] }] }), 'participants[0].streamAliases[0]'],
  ];
  for (const [name, make, field] of invalid) {
    test(`${name} → 400 field ${field}; the previous subscriptions stay`, async () => {
      const ctx = { ...(await room()), other: await createSession(sb) };
      const previous = { sessionId: ctx.s.id };
      await putSubs(ctx.s.id, ctx.a.id, previous);
      const r = await call(subsUrl(ctx.s.id, ctx.a.id), { method: 'PUT', body: make(ctx) });
      assertError(r, 400, { code: 'invalid_argument', field });
      assert.deepEqual(await getSubs(ctx.s.id, ctx.a.id), previous);
    });
  }

  test('malformed JSON → 400; the previous subscriptions stay', async () => {
    const { s, a } = await room();
    await putSubs(s.id, a.id, { sessionId: s.id });
    const r = await call(subsUrl(s.id, a.id), { method: 'PUT', raw: '{"sessionId":}', headers: { 'content-type': 'application/json' } });
    assertError(r, 400, { code: 'invalid_argument' });
    assert.deepEqual(await getSubs(s.id, a.id), { sessionId: s.id });
  });

  test('non-member → 404 and it does not become a member', async () => {
    const { s } = await room();
    const { participant: outsider } = await createParticipant(sb);
    assertError(await call(subsUrl(s.id, outsider.id), { method: 'PUT', body: { sessionId: s.id } }), 404, { field: 'participantId' });
    assert.deepEqual((await getParticipant(sb, outsider.id)).sessions, []);
    assertError(await call(subsUrl(UNKNOWN, outsider.id), { method: 'PUT' }), 404, { field: 'sessionId' });
  });
});
