// REST API (reference §4.2–4.3): createParticipant, getParticipant, deleteParticipant, the device
// token, and validation of the participant body — over real HTTP against the built binary.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { call, ACCOUNT, OTHER_ACCOUNT } from '../support/server.mjs';
import {
  startAll, stopAll, UUID_RE, assertError, assertParticipantShape, createParticipant, getParticipant, gauge,
  decodeJwt, verifyHs256, tokenSecret,
} from '../support/api.mjs';
import { connectDevice } from '../support/device.mjs';

let sb;
before(async () => { [sb] = await startAll({}); });
after(() => stopAll(sb));

const url = (p = '') => `${sb.api()}/participants${p}`;

describe('createParticipant', () => {
  test('with an empty body uses the defaults (AUDIO+VIDEO, V3, no tag, no callback)', async () => {
    const r = await call(url(), { method: 'POST' });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /application\/json/);
    assert.deepEqual(Object.keys(r.body).sort(), ['participant', 'token']);
    const p = assertParticipantShape(r.body.participant);
    assert.deepEqual(p.publishPermissions, ['AUDIO', 'VIDEO']);
    assert.equal(p.callbackUrl, null);
    assert.deepEqual(p.sessions, []);
    assert.ok(!('tag' in p));
    assert.ok(!('subscriptions' in p));
    assert.equal(p.deviceApiVersion, 'V3');
  });

  test('with an empty JSON object uses the defaults too', async () => {
    const { participant: p } = await createParticipant(sb, {});
    assert.deepEqual(p.publishPermissions, ['AUDIO', 'VIDEO']);
  });

  test('stores every given field and returns it from GET', async () => {
    const body = {
      callbackUrl: 'https://example.com/cb?x=1',
      publishPermissions: ['VIDEO'],
      tag: 'agent-7',
      deviceApiVersion: 'V3',
    };
    const { participant: p, token } = await createParticipant(sb, body);
    assertParticipantShape(p);
    assert.deepEqual(p, {
      id: p.id, callbackUrl: body.callbackUrl, publishPermissions: ['VIDEO'], sessions: [],
      tag: 'agent-7', deviceApiVersion: 'V3',
    });
    assert.equal(typeof token, 'string');
    assert.deepEqual(await getParticipant(sb, p.id), p);
  });

  test('publishPermissions [] means publish nothing; null means the default', async () => {
    const { participant: none } = await createParticipant(sb, { publishPermissions: [] });
    assert.deepEqual(none.publishPermissions, []);
    const { participant: dflt } = await createParticipant(sb, { publishPermissions: null, tag: null, callbackUrl: null });
    assert.deepEqual(dflt.publishPermissions, ['AUDIO', 'VIDEO']);
    assert.equal(dflt.callbackUrl, null);
    assert.ok(!('tag' in dflt));
  });

  test('ids are unique UUIDs', async () => {
    const ids = new Set();
    for (let i = 0; i < 5; i++) ids.add((await createParticipant(sb)).participant.id);
    assert.equal(ids.size, 5);
    for (const id of ids) assert.match(id, UUID_RE);
  });

  test('the token is an HS256 JWT with claims a, p, v:"v3", iat, exp, iss signed with the data-dir secret', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { participant: p, token } = await createParticipant(sb, { tag: 't' });
    const { header, payload } = decodeJwt(token);
    assert.equal(header.alg, 'HS256');
    assert.equal(payload.a, ACCOUNT.id);
    assert.equal(payload.p, p.id);
    assert.equal(payload.v, 'v3');
    assert.equal(payload.iss, 'switchboard');
    assert.ok(Number.isInteger(payload.iat) && Number.isInteger(payload.exp));
    assert.ok(payload.iat >= before - 1 && payload.iat <= Date.now() / 1000 + 1);
    assert.equal(payload.exp - payload.iat, 9 * 3600);
    assert.ok(verifyHs256(token, tokenSecret(sb.dataDir)));
    assert.ok(!verifyHs256(token, 'not-the-secret-not-the-secret-not-the-secret'));
  });

  test('POST …/participants/{id}/tokens mints a fresh token (token refresh); both connect; none for one that is gone', async () => {
    const { participant: p, token: first } = await createParticipant(sb, {});
    await new Promise((r) => setTimeout(r, 1100));  // a later iat than the first token's
    const r = await call(url(`/${p.id}/tokens`), { method: 'POST' });
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body), ['token']);
    const fresh = decodeJwt(r.body.token).payload;
    const old = decodeJwt(first).payload;
    assert.equal(fresh.p, p.id);
    assert.equal(fresh.a, ACCOUNT.id);
    assert.ok(fresh.iat > old.iat && fresh.exp > old.exp, 'its lifetime counts from now');
    assert.equal(fresh.exp - fresh.iat, 9 * 3600);
    assert.ok(verifyHs256(r.body.token, tokenSecret(sb.dataDir)));
    for (const token of [first, r.body.token]) {
      const device = await connectDevice(sb, token);
      assert.deepEqual((await device.rpc('ping', {})).result, {});
      device.ws.close();
    }
    // Another account's credentials, an unknown id and a deleted participant: 404, no token.
    assertError(await call(`${sb.api(OTHER_ACCOUNT)}/participants/${p.id}/tokens`, { method: 'POST', account: OTHER_ACCOUNT }), 404, { field: 'participantId' });
    assertError(await call(url('/00000000-0000-4000-8000-000000000000/tokens'), { method: 'POST' }), 404, { code: 'not_found', field: 'participantId' });
    assert.equal((await call(url(`/${p.id}`), { method: 'DELETE' })).status, 204);
    assertError(await call(url(`/${p.id}/tokens`), { method: 'POST' }), 404, { field: 'participantId' });
    await assert.rejects(connectDevice(sb, r.body.token), (e) => e.status === 403 && e.body.code === 'token_participant_gone');
  });

  test('a tag of exactly 50 characters (counted as code points) is accepted', async () => {
    const ascii = 'x'.repeat(50);
    assert.equal((await createParticipant(sb, { tag: ascii })).participant.tag, ascii);
    const unicode = 'é'.repeat(25) + '😀'.repeat(25); // 50 code points, 150 bytes
    assert.equal((await createParticipant(sb, { tag: unicode })).participant.tag, unicode);
  });
});

describe('createParticipant validation (nothing is created on 400)', () => {
  const cases = [
    ['tag longer than 50 characters', { tag: 'x'.repeat(51) }, 'tag'],
    ['tag of 51 code points', { tag: '😀'.repeat(51) }, 'tag'],
    ['tag of the wrong type', { tag: 5 }, 'tag'],
    ['unknown publishPermissions value', { publishPermissions: ['AUDIO', 'SCREEN'] }, 'publishPermissions[1]'],
    ['lower-case publishPermissions value', { publishPermissions: ['audio'] }, 'publishPermissions[0]'],
    ['duplicate publishPermissions value', { publishPermissions: ['VIDEO', 'VIDEO'] }, 'publishPermissions[1]'],
    ['non-string publishPermissions entry', { publishPermissions: [1] }, 'publishPermissions[0]'],
    ['publishPermissions not an array', { publishPermissions: 'AUDIO' }, 'publishPermissions'],
    ['callbackUrl not http(s)', { callbackUrl: 'ftp://example.com' }, 'callbackUrl'],
    ['callbackUrl of the wrong type', { callbackUrl: {} }, 'callbackUrl'],
    ['deviceApiVersion V2', { deviceApiVersion: 'V2' }, 'deviceApiVersion'],
    ['deviceApiVersion of the wrong type', { deviceApiVersion: 3 }, 'deviceApiVersion'],
  ];
  for (const [name, body, field] of cases) {
    test(`${name} → 400 field ${field}`, async () => {
      const count = await gauge(sb, 'switchboard_participants');
      const r = await call(url(), { method: 'POST', body });
      const err = assertError(r, 400, { code: 'invalid_argument', field });
      assert.ok(err.error.includes(field), err.error);
      assert.equal(await gauge(sb, 'switchboard_participants'), count);
    });
  }

  const malformed = [
    ['truncated JSON', '{"tag": "a"'],
    ['not JSON at all', 'tag=a'],
    ['a JSON array', '[]'],
    ['a JSON string', '"x"'],
  ];
  for (const [name, raw] of malformed) {
    test(`${name} → 400 without a field`, async () => {
      const count = await gauge(sb, 'switchboard_participants');
      const r = await call(url(), { method: 'POST', raw, headers: { 'content-type': 'application/json' } });
      assertError(r, 400, { code: 'invalid_argument', field: null });
      assert.equal(await gauge(sb, 'switchboard_participants'), count);
    });
  }
});

describe('getParticipant / deleteParticipant', () => {
  test('unknown id → 404 field participantId', async () => {
    const r = await call(url('/00000000-0000-4000-8000-000000000000'));
    assertError(r, 404, { code: 'not_found', field: 'participantId' });
  });

  test('delete returns 204 with no body, then GET and DELETE are 404', async () => {
    const { participant: p } = await createParticipant(sb);
    const count = await gauge(sb, 'switchboard_participants');
    const d = await call(url(`/${p.id}`), { method: 'DELETE' });
    assert.equal(d.status, 204);
    assert.equal(d.body, null);
    assert.equal(await gauge(sb, 'switchboard_participants'), count - 1);
    assertError(await call(url(`/${p.id}`)), 404, { field: 'participantId' });
    assertError(await call(url(`/${p.id}`), { method: 'DELETE' }), 404, { field: 'participantId' });
  });

  test('participants of another account are invisible (404), and that account keeps them', async () => {
    const { participant: theirs } = await createParticipant(sb, { tag: 'theirs' }, OTHER_ACCOUNT);
    assertError(await call(url(`/${theirs.id}`)), 404);
    assertError(await call(url(`/${theirs.id}`), { method: 'DELETE' }), 404);
    assert.equal((await getParticipant(sb, theirs.id, OTHER_ACCOUNT)).tag, 'theirs');
  });

  test('HEAD on a participant answers like GET without a body', async () => {
    const { participant: p } = await createParticipant(sb);
    const res = await fetch(url(`/${p.id}`), {
      method: 'HEAD', headers: { authorization: 'Basic ' + Buffer.from(`${ACCOUNT.username}:${ACCOUNT.password}`).toString('base64') },
    });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '');
  });
});
