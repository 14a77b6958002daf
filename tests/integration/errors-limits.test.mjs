// Error shapes and limits: 401 vs 403, unknown routes (404), wrong methods (405), the body limit
// (413), the per-account rate limit (429), and X-Request-Id on every response.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { call, basicAuth, ACCOUNT, OTHER_ACCOUNT } from '../support/server.mjs';
import { startAll, stopAll, assertError, createParticipant, createSession, gauge, sleep } from '../support/api.mjs';

let sb;
let tiny;     // maxBodyBytes: 1024
let limited;  // rateLimitPerSecond: 1, rateLimitBurst: 3
before(async () => {
  [sb, tiny, limited] = await startAll(
    {},
    { config: { maxBodyBytes: 1024 } },
    { config: { rateLimitPerSecond: 1, rateLimitBurst: 3 } },
  );
});
after(() => stopAll(sb, tiny, limited));

describe('authentication and authorization', () => {
  const protectedCalls = () => [
    ['POST', `${sb.api()}/participants`],
    ['GET', `${sb.api()}/participants/x`],
    ['DELETE', `${sb.api()}/participants/x`],
    ['POST', `${sb.api()}/sessions`],
    ['GET', `${sb.api()}/sessions/x`],
    ['DELETE', `${sb.api()}/sessions/x`],
    ['GET', `${sb.api()}/sessions/x/participants`],
    ['PUT', `${sb.api()}/sessions/x/participants/y`],
    ['DELETE', `${sb.api()}/sessions/x/participants/y`],
    ['GET', `${sb.api()}/sessions/x/participants/y/subscriptions`],
    ['PUT', `${sb.api()}/sessions/x/participants/y/subscriptions`],
  ];

  test('no credentials → 401 {message, code, requestId} with WWW-Authenticate, on every endpoint', async () => {
    for (const [method, url] of protectedCalls()) {
      const r = await call(url, { method, account: null });
      const body = assertError(r, 401, { code: 'unauthorized', field: null });
      assert.equal(body.message, 'Unauthorized', `${method} ${url}`);
      assert.match(r.headers.get('www-authenticate'), /^Basic realm=/);
    }
  });

  test('wrong password, unknown user, malformed header, other scheme → 401', async () => {
    const url = `${sb.api()}/sessions`;
    const variants = [
      basicAuth({ ...ACCOUNT, password: 'wrong' }),
      basicAuth({ ...ACCOUNT, password: ACCOUNT.password + 'x' }),
      basicAuth({ username: 'nobody', password: ACCOUNT.password }),
      basicAuth({ ...ACCOUNT, username: OTHER_ACCOUNT.username }), // other user, this password
      'Basic !!!not-base64!!!',
      'Basic ' + Buffer.from('no-colon').toString('base64'),
      'Bearer ' + Buffer.from(`${ACCOUNT.username}:${ACCOUNT.password}`).toString('base64'),
      'Basic',
    ];
    for (const authorization of variants) {
      const r = await call(url, { method: 'POST', account: null, headers: { authorization } });
      assertError(r, 401, { code: 'unauthorized' });
    }
  });

  test('the Basic scheme name is case-insensitive', async () => {
    const authorization = basicAuth().replace('Basic', 'bAsIc');
    const r = await call(`${sb.api()}/sessions`, { method: 'POST', account: null, headers: { authorization } });
    assert.equal(r.status, 200);
  });

  test('valid credentials of another account → 403 {message, code, requestId}', async () => {
    const count = await gauge(sb, 'switchboard_sessions');
    const r = await call(`${sb.api(ACCOUNT)}/sessions`, { method: 'POST', account: OTHER_ACCOUNT });
    const body = assertError(r, 403, { code: 'forbidden', field: null });
    assert.ok(!('error' in body));
    assert.equal(await gauge(sb, 'switchboard_sessions'), count, 'nothing was created');
    // ...also for reads of resources that exist in the path's account.
    const s = await createSession(sb);
    assertError(await call(`${sb.api(ACCOUNT)}/sessions/${s.id}`, { account: OTHER_ACCOUNT }), 403);
    assertError(await call(`${sb.api(ACCOUNT)}/sessions/${s.id}`, { method: 'DELETE', account: OTHER_ACCOUNT }), 403);
    assert.equal((await call(`${sb.api()}/sessions/${s.id}`)).status, 200, 'the session is still there');
  });

  test('valid credentials and an account id this server does not serve → 403', async () => {
    const r = await call(`${sb.base}/v1/accounts/1234567/sessions`, { method: 'POST' });
    assertError(r, 403, { code: 'forbidden' });
  });

  test('wrong credentials on another account\'s path are still 401, not 403', async () => {
    const r = await call(`${sb.api(OTHER_ACCOUNT)}/sessions`, { method: 'POST', account: { ...ACCOUNT, password: 'nope' } });
    assertError(r, 401);
  });
});

describe('routing errors', () => {
  test('unknown paths → 404 {error, code: not_found, requestId}', async () => {
    for (const p of ['/v1', '/v1/accounts', `/v1/accounts/${ACCOUNT.id}`, `/v1/accounts/${ACCOUNT.id}/dialogs`,
      `/v1/accounts/${ACCOUNT.id}/sessions/x/participants/y/subscriptions/z`, '/nope']) {
      assertError(await call(`${sb.base}${p}`), 404, { code: 'not_found' });
    }
  });

  test('a wrong method on a known path → 405 with Allow', async () => {
    const cases = [
      ['PATCH', `${sb.api()}/sessions`, 'POST'],
      ['GET', `${sb.api()}/sessions`, 'POST'],
      ['PUT', `${sb.api()}/participants/x`, 'GET, DELETE'],
      ['POST', `${sb.api()}/sessions/x`, 'GET, DELETE'],
      ['DELETE', `${sb.api()}/sessions/x/participants`, 'GET'],
      ['GET', `${sb.api()}/sessions/x/participants/y`, 'PUT, DELETE'],
      ['DELETE', `${sb.api()}/sessions/x/participants/y/subscriptions`, 'GET, PUT'],
      ['POST', `${sb.base}/healthz`, 'GET'],
    ];
    for (const [method, url, allow] of cases) {
      const r = await call(url, { method });
      assertError(r, 405, { code: 'method_not_allowed' });
      const got = r.headers.get('allow').split(',').map((s) => s.trim()).sort();
      assert.deepEqual(got, allow.split(', ').sort(), `${method} ${url}`);
    }
  });
});

describe('X-Request-Id', () => {
  test('every response carries a unique X-Request-Id; on errors it equals body.requestId', async () => {
    const s = await createSession(sb);
    const responses = [
      await call(`${sb.base}/healthz`, { account: null }),
      await call(`${sb.adminBase}/metrics`, { account: null }),
      await call(`${sb.api()}/sessions/${s.id}`),
      await call(`${sb.api()}/sessions/${s.id}/participants`),
      await call(`${sb.api()}/sessions`, { method: 'POST' }),
      await call(`${sb.api()}/sessions/nope`),
      await call(`${sb.api()}/sessions`, { method: 'POST', account: null }),
    ];
    const ids = responses.map((r) => r.headers.get('x-request-id'));
    for (const id of ids) assert.ok(id && id.length > 0);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(responses[5].body.requestId, ids[5]);
    assert.equal(responses[6].body.requestId, ids[6]);
  });
});

describe('body limit (maxBodyBytes: 1024)', () => {
  test('a body over the limit → 413 {error, code, requestId}; nothing is created', async () => {
    const before = await gauge(tiny, 'switchboard_participants');
    const raw = JSON.stringify({ tag: 'a', callbackUrl: 'https://example.com/' + 'x'.repeat(1500) });
    const r = await call(`${tiny.api()}/participants`, { method: 'POST', raw, headers: { 'content-type': 'application/json' } });
    assertError(r, 413, { code: 'payload_too_large' });
    assert.match(r.body.error, /1024/);
    assert.equal(await gauge(tiny, 'switchboard_participants'), before);
  });

  test('a much larger body (256 KiB) → 413 too', async () => {
    const raw = JSON.stringify({ tag: 'x'.repeat(256 * 1024) });
    const r = await call(`${tiny.api()}/sessions`, { method: 'POST', raw, headers: { 'content-type': 'application/json' } });
    assertError(r, 413, { code: 'payload_too_large' });
  });

  test('a body at the limit is accepted', async () => {
    const base = JSON.stringify({ tag: 'a', callbackUrl: 'https://example.com/' });
    const pad = 1024 - base.length;
    const raw = JSON.stringify({ tag: 'a', callbackUrl: 'https://example.com/' + 'y'.repeat(pad) });
    assert.equal(Buffer.byteLength(raw), 1024);
    const r = await call(`${tiny.api()}/participants`, { method: 'POST', raw, headers: { 'content-type': 'application/json' } });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.participant.callbackUrl.length, 'https://example.com/'.length + pad);
  });

  test('the server keeps serving after a 413', async () => {
    await createSession(tiny);
  });
});

describe('rate limit (rateLimitPerSecond: 1, rateLimitBurst: 3)', () => {
  test('the 4th quick request → 429 with Retry-After; other accounts and ops are unaffected; it recovers', async () => {
    const url = `${limited.api()}/sessions`;
    for (let i = 0; i < 3; i++) assert.equal((await call(url, { method: 'POST' })).status, 200, `request ${i + 1}`);
    const r = await call(url, { method: 'POST' });
    assertError(r, 429, { code: 'too_many_requests' });
    const retryAfter = Number(r.headers.get('retry-after'));
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After: ${r.headers.get('retry-after')}`);
    assert.equal(await gauge(limited, 'switchboard_sessions'), 3, 'the rejected request created nothing');

    // Per account: the other account still has its burst.
    assert.equal((await call(`${limited.api(OTHER_ACCOUNT)}/sessions`, { method: 'POST', account: OTHER_ACCOUNT })).status, 200);
    // Ops endpoints are not limited.
    assert.equal((await call(`${limited.base}/healthz`, { account: null })).status, 200);

    await sleep(1100);
    assert.equal((await call(url, { method: 'POST' })).status, 200, 'a token came back after a second');
    assertError(await call(url, { method: 'POST' }), 429);
  });
});
