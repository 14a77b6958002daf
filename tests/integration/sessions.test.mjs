// REST API (reference §4.2, §4.7): sessions and membership — createSession, getSession,
// deleteSession, listSessionParticipants, addParticipantToSession, removeParticipantFromSession,
// the one-session-per-participant rule and the participant limit.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { call, OTHER_ACCOUNT } from '../support/server.mjs';
import {
  startAll, stopAll, UUID_RE, assertError, assertParticipantShape, createParticipant, createSession, addToSession,
  getParticipant, listMembers, gauge,
} from '../support/api.mjs';

let sb;
let small; // maxParticipantsPerSession: 3
before(async () => {
  [sb, small] = await startAll({}, { config: { maxParticipantsPerSession: 3 } });
});
after(() => stopAll(sb, small));

const sessionUrl = (s, sid = '') => `${s.api()}/sessions${sid ? '/' + sid : ''}`;
const memberUrl = (s, sid, pid) => `${s.api()}/sessions/${sid}/participants/${pid}`;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('createSession / getSession / deleteSession', () => {
  test('create without a body → 200 {id}; with a tag → 200 {id, tag}', async () => {
    const r = await call(sessionUrl(sb), { method: 'POST' });
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body), ['id']);
    assert.match(r.body.id, UUID_RE);
    const tagged = await createSession(sb, { tag: 'room-1' });
    assert.deepEqual(tagged, { id: tagged.id, tag: 'room-1' });
    assert.notEqual(tagged.id, r.body.id);
  });

  test('GET returns the session as created', async () => {
    const s = await createSession(sb, { tag: 'get-me' });
    const r = await call(sessionUrl(sb, s.id));
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, s);
  });

  test('validation: long tag, wrong type, malformed JSON → 400 and no session is created', async () => {
    const count = await gauge(sb, 'switchboard_sessions');
    assertError(await call(sessionUrl(sb), { method: 'POST', body: { tag: 'y'.repeat(51) } }), 400, { field: 'tag' });
    assertError(await call(sessionUrl(sb), { method: 'POST', body: { tag: ['a'] } }), 400, { field: 'tag' });
    assertError(await call(sessionUrl(sb), { method: 'POST', raw: '{"tag":', headers: { 'content-type': 'application/json' } }), 400);
    assert.equal(await gauge(sb, 'switchboard_sessions'), count);
    assert.equal((await createSession(sb, { tag: 'z'.repeat(50) })).tag, 'z'.repeat(50));
  });

  test('unknown session → 404 field sessionId for GET, DELETE and the participant list', async () => {
    assertError(await call(sessionUrl(sb, UNKNOWN)), 404, { code: 'not_found', field: 'sessionId' });
    assertError(await call(sessionUrl(sb, UNKNOWN), { method: 'DELETE' }), 404, { field: 'sessionId' });
    assertError(await call(`${sessionUrl(sb, UNKNOWN)}/participants`), 404, { field: 'sessionId' });
  });

  test('DELETE → 204, then the session is gone', async () => {
    const s = await createSession(sb);
    const d = await call(sessionUrl(sb, s.id), { method: 'DELETE' });
    assert.equal(d.status, 204);
    assert.equal(d.body, null);
    assertError(await call(sessionUrl(sb, s.id)), 404);
    assertError(await call(sessionUrl(sb, s.id), { method: 'DELETE' }), 404);
  });

  test('sessions of another account are 404 and untouched', async () => {
    const theirs = await createSession(sb, { tag: 'other' }, OTHER_ACCOUNT);
    assertError(await call(sessionUrl(sb, theirs.id)), 404);
    assertError(await call(sessionUrl(sb, theirs.id), { method: 'DELETE' }), 404);
    const { participant: mine } = await createParticipant(sb);
    assertError(await call(memberUrl(sb, theirs.id, mine.id), { method: 'PUT' }), 404, { field: 'sessionId' });
    const r = await call(`${sb.api(OTHER_ACCOUNT)}/sessions/${theirs.id}`, { account: OTHER_ACCOUNT });
    assert.deepEqual(r.body, theirs);
  });
});

describe('membership', () => {
  test('an empty session lists []', async () => {
    const s = await createSession(sb);
    assert.deepEqual(await listMembers(sb, s.id), []);
  });

  test('add → 204; the participant lists the session and the session lists the participant', async () => {
    const s = await createSession(sb);
    const { participant: a } = await createParticipant(sb, { tag: 'a' });
    const { participant: b } = await createParticipant(sb, { tag: 'b', publishPermissions: ['AUDIO'] });
    await addToSession(sb, s.id, a.id);
    await addToSession(sb, s.id, b.id, { sessionId: s.id });

    const pa = assertParticipantShape(await getParticipant(sb, a.id));
    assert.deepEqual(pa.sessions, [s.id]);
    assert.ok(!('subscriptions' in pa), 'added without a body: no subscriptions');
    const pb = await getParticipant(sb, b.id);
    assert.deepEqual(pb.sessions, [s.id]);
    assert.deepEqual(pb.subscriptions, { sessionId: s.id });

    const list = await listMembers(sb, s.id);
    list.forEach(assertParticipantShape);
    assert.deepEqual(list.map((p) => p.id).sort(), [a.id, b.id].sort());
    assert.deepEqual(list.find((p) => p.id === b.id), pb);
    assert.deepEqual(list.find((p) => p.id === a.id), pa);
  });

  test('adding again to the same session is idempotent and replaces the subscriptions', async () => {
    const s = await createSession(sb);
    const { participant: a } = await createParticipant(sb);
    const { participant: b } = await createParticipant(sb);
    await addToSession(sb, s.id, b.id);
    await addToSession(sb, s.id, a.id, { sessionId: s.id });
    await addToSession(sb, s.id, a.id, { participants: [{ participantId: b.id, streamAliases: ['cam'] }] });
    const pa = await getParticipant(sb, a.id);
    assert.deepEqual(pa.sessions, [s.id]);
    assert.deepEqual(pa.subscriptions, { participants: [{ participantId: b.id, streamAliases: ['cam'] }] });
    await addToSession(sb, s.id, a.id);
    assert.ok(!('subscriptions' in (await getParticipant(sb, a.id))));
    assert.equal((await listMembers(sb, s.id)).length, 2);
  });

  test('adding a participant that is in another session → 409, and nothing changes', async () => {
    const s1 = await createSession(sb);
    const s2 = await createSession(sb);
    const { participant: a } = await createParticipant(sb);
    await addToSession(sb, s1.id, a.id, { sessionId: s1.id });
    const beforeP = await getParticipant(sb, a.id);

    const r = await call(memberUrl(sb, s2.id, a.id), { method: 'PUT', body: { sessionId: s2.id } });
    assertError(r, 409, { code: 'conflict', field: 'participantId' });

    assert.deepEqual(await getParticipant(sb, a.id), beforeP);
    assert.deepEqual((await listMembers(sb, s1.id)).map((p) => p.id), [a.id]);
    assert.deepEqual(await listMembers(sb, s2.id), []);
  });

  test('a rejected (400) add leaves the participant out of the session', async () => {
    const s = await createSession(sb);
    const other = await createSession(sb);
    const { participant: a } = await createParticipant(sb);
    const bad = [
      [{ sessionId: other.id }, 'sessionId'],
      [{ sessionId: 7 }, 'sessionId'],
      [{ participants: {} }, 'participants'],
      [{ participants: [{}] }, 'participants[0].participantId'],
      [{ participants: [{ participantId: a.id, streamAliases: 'cam' }] }, 'participants[0].streamAliases'],
    ];
    for (const [body, field] of bad) {
      assertError(await call(memberUrl(sb, s.id, a.id), { method: 'PUT', body }), 400, { code: 'invalid_argument', field });
    }
    assertError(await call(memberUrl(sb, s.id, a.id), { method: 'PUT', raw: '{', headers: { 'content-type': 'application/json' } }), 400);
    assert.deepEqual((await getParticipant(sb, a.id)).sessions, []);
    assert.deepEqual(await listMembers(sb, s.id), []);
  });

  test('add with an unknown session or participant → 404 naming it', async () => {
    const s = await createSession(sb);
    const { participant: a } = await createParticipant(sb);
    assertError(await call(memberUrl(sb, UNKNOWN, a.id), { method: 'PUT' }), 404, { field: 'sessionId' });
    assertError(await call(memberUrl(sb, s.id, UNKNOWN), { method: 'PUT' }), 404, { field: 'participantId' });
    assert.deepEqual((await getParticipant(sb, a.id)).sessions, []);
    assert.deepEqual(await listMembers(sb, s.id), []);
  });

  test('another account\'s participant cannot be added (404)', async () => {
    const s = await createSession(sb);
    const { participant: theirs } = await createParticipant(sb, {}, OTHER_ACCOUNT);
    assertError(await call(memberUrl(sb, s.id, theirs.id), { method: 'PUT' }), 404, { field: 'participantId' });
    assert.deepEqual(await listMembers(sb, s.id), []);
    assert.deepEqual((await getParticipant(sb, theirs.id, OTHER_ACCOUNT)).sessions, []);
  });

  test('remove → 204, clears the membership and the subscriptions', async () => {
    const s = await createSession(sb);
    const { participant: a } = await createParticipant(sb);
    const { participant: b } = await createParticipant(sb);
    await addToSession(sb, s.id, a.id, { participants: [{ participantId: b.id }] });
    await addToSession(sb, s.id, b.id, { sessionId: s.id });

    const r = await call(memberUrl(sb, s.id, a.id), { method: 'DELETE' });
    assert.equal(r.status, 204);
    assert.equal(r.body, null);
    const pa = await getParticipant(sb, a.id);
    assert.deepEqual(pa.sessions, []);
    assert.ok(!('subscriptions' in pa));
    assertError(await call(`${memberUrl(sb, s.id, a.id)}/subscriptions`), 404, { field: 'participantId' });
    assert.deepEqual((await listMembers(sb, s.id)).map((p) => p.id), [b.id]);

    // Added back without a body: the old subscriptions do not come back.
    await addToSession(sb, s.id, a.id);
    const again = await call(`${memberUrl(sb, s.id, a.id)}/subscriptions`);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, {});
  });

  test('remove a non-member or an unknown id → 404; nothing changes', async () => {
    const s1 = await createSession(sb);
    const s2 = await createSession(sb);
    const { participant: a } = await createParticipant(sb);
    await addToSession(sb, s1.id, a.id, { sessionId: s1.id });
    assertError(await call(memberUrl(sb, s2.id, a.id), { method: 'DELETE' }), 404, { field: 'participantId' });
    assertError(await call(memberUrl(sb, s1.id, UNKNOWN), { method: 'DELETE' }), 404, { field: 'participantId' });
    assertError(await call(memberUrl(sb, UNKNOWN, a.id), { method: 'DELETE' }), 404, { field: 'sessionId' });
    const pa = await getParticipant(sb, a.id);
    assert.deepEqual(pa.sessions, [s1.id]);
    assert.deepEqual(pa.subscriptions, { sessionId: s1.id });
  });

  test('after removal the participant may join another session', async () => {
    const s1 = await createSession(sb);
    const s2 = await createSession(sb);
    const { participant: a } = await createParticipant(sb);
    await addToSession(sb, s1.id, a.id);
    assert.equal((await call(memberUrl(sb, s2.id, a.id), { method: 'PUT' })).status, 409);
    assert.equal((await call(memberUrl(sb, s1.id, a.id), { method: 'DELETE' })).status, 204);
    await addToSession(sb, s2.id, a.id);
    assert.deepEqual((await getParticipant(sb, a.id)).sessions, [s2.id]);
  });

  test('deleting a session detaches its participants (sessions becomes [], subscriptions go)', async () => {
    const s = await createSession(sb);
    const { participant: a } = await createParticipant(sb);
    const { participant: b } = await createParticipant(sb);
    await addToSession(sb, s.id, a.id, { sessionId: s.id });
    await addToSession(sb, s.id, b.id, { participants: [{ participantId: a.id }] });
    const participantsBefore = await gauge(sb, 'switchboard_participants');

    assert.equal((await call(sessionUrl(sb, s.id), { method: 'DELETE' })).status, 204);
    for (const id of [a.id, b.id]) {
      const p = await getParticipant(sb, id);
      assert.deepEqual(p.sessions, []);
      assert.ok(!('subscriptions' in p));
    }
    assert.equal(await gauge(sb, 'switchboard_participants'), participantsBefore, 'participants survive');
    // Detached participants are free to join another session.
    const s2 = await createSession(sb);
    await addToSession(sb, s2.id, a.id);
  });

  test('deleting a participant removes it from the session listing', async () => {
    const s = await createSession(sb);
    const { participant: a } = await createParticipant(sb);
    const { participant: b } = await createParticipant(sb);
    await addToSession(sb, s.id, a.id);
    await addToSession(sb, s.id, b.id);
    assert.equal((await call(`${sb.api()}/participants/${a.id}`, { method: 'DELETE' })).status, 204);
    assert.deepEqual((await listMembers(sb, s.id)).map((p) => p.id), [b.id]);
    assertError(await call(memberUrl(sb, s.id, a.id), { method: 'DELETE' }), 404, { field: 'participantId' });
    assertError(await call(`${memberUrl(sb, s.id, a.id)}/subscriptions`), 404, { field: 'participantId' });
  });
});

describe('participant limit (maxParticipantsPerSession: 3)', () => {
  test('the 4th participant → 409 field sessionId; nothing changes; members can still be re-added', async () => {
    const s = await createSession(small);
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await createParticipant(small)).participant.id);
    for (const id of ids.slice(0, 3)) await addToSession(small, s.id, id);

    const r = await call(memberUrl(small, s.id, ids[3]), { method: 'PUT', body: { sessionId: s.id } });
    const err = assertError(r, 409, { code: 'conflict', field: 'sessionId' });
    assert.match(err.error, /3/);
    assert.equal((await listMembers(small, s.id)).length, 3);
    assert.deepEqual((await getParticipant(small, ids[3])).sessions, []);

    // Re-adding an existing member (to change its subscriptions) is not blocked by the limit.
    await addToSession(small, s.id, ids[0], { sessionId: s.id });
    assert.deepEqual((await getParticipant(small, ids[0])).subscriptions, { sessionId: s.id });

    // A freed seat can be taken.
    assert.equal((await call(memberUrl(small, s.id, ids[1]), { method: 'DELETE' })).status, 204);
    await addToSession(small, s.id, ids[3]);
    assert.deepEqual((await listMembers(small, s.id)).map((p) => p.id).sort(), [ids[0], ids[2], ids[3]].sort());
  });

  test('the limit is per session', async () => {
    const s1 = await createSession(small);
    const s2 = await createSession(small);
    for (let i = 0; i < 3; i++) await addToSession(small, s1.id, (await createParticipant(small)).participant.id);
    const { participant: p } = await createParticipant(small);
    await addToSession(small, s2.id, p.id);
    assert.equal((await listMembers(small, s2.id)).length, 1);
  });

  test('concurrent adds never exceed the limit', async () => {
    const s = await createSession(small);
    const ids = [];
    for (let i = 0; i < 8; i++) ids.push((await createParticipant(small)).participant.id);
    const results = await Promise.all(ids.map((id) => call(memberUrl(small, s.id, id), { method: 'PUT' })));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [204, 204, 204, 409, 409, 409, 409, 409]);
    assert.equal((await listMembers(small, s.id)).length, 3);
  });
});
