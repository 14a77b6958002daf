// Compatibility with Bandwidth's own server SDK, `@bandwidth/webrtc` 1.3.1 (reference §4.9):
// every ApiController call against a running switchboard, with the SDK's response-schema
// validation on. The SDK is CommonJS, so it is loaded with createRequire.
//
// Base URL: with `environment: Environment.Custom` the SDK uses `baseUrl` verbatim and appends
// `/accounts/{accountId}/…` (Environment.Production is 'https://api.webrtc.bandwidth.com/v1'), so
// the custom base URL must end in `/v1`.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { call, ACCOUNT, OTHER_ACCOUNT } from '../support/server.mjs';
import { startAll, stopAll, UUID_RE, decodeJwt, verifyHs256, tokenSecret } from '../support/api.mjs';

const require = createRequire(import.meta.url);
const bw = require('@bandwidth/webrtc');
// The controller throws the ApiError class of @apimatic/core for the statuses it declares
// (throwOn 400/401/403/404, with messages 'Bad Request', 'Unauthorized', 'Access Denied', 'Not
// Found') and the SDK's own ApiError for any other 4xx/5xx (defaultToError). @apimatic/core 0.6 is
// compiled to ES5, where a subclass of Error loses its prototype, so its errors are plain `Error`s
// carrying the ApiError fields (statusCode, headers, body, result, request): check those.
const { Client, ApiController, Environment, PublishPermissionEnum, DeviceApiVersionEnum } = bw;

assert.equal(require('@bandwidth/webrtc/package.json').version, '1.3.1');

let sb;
let api;
before(async () => {
  [sb] = await startAll({});
  api = controllerFor(ACCOUNT);
});
after(() => stopAll(sb));

function controllerFor(account) {
  const client = new Client({
    basicAuthUserName: account.username,
    basicAuthPassword: account.password,
    environment: Environment.Custom,
    baseUrl: `${sb.base}/v1`,
    timeout: 5000,
  });
  return new ApiController(client);
}

// Runs `fn`, expects it to reject with an API error of `status`, returns the error.
async function rejectsWith(fn, status) {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof Error, `not an Error: ${e}`);
    assert.equal(e.statusCode, status, e.stack);
    assert.ok(e.request && typeof e.headers === 'object' && 'body' in e, `not an ApiError: ${e.stack}`);
    return e;
  }
  assert.fail(`expected HTTP ${status}`);
}

describe('@bandwidth/webrtc 1.3.1 ApiController against switchboard', () => {
  test('the full call-control flow', async () => {
    const accountId = ACCOUNT.id;

    // createSession
    const created = await api.createSession(accountId, { tag: 'sdk-session' });
    assert.equal(created.statusCode, 200);
    const session = created.result;
    assert.match(session.id, UUID_RE);
    assert.equal(session.tag, 'sdk-session');

    // createSession without a body (the SDK sends an empty body)
    const bare = await api.createSession(accountId);
    assert.equal(bare.statusCode, 200);
    assert.match(bare.result.id, UUID_RE);
    assert.equal(bare.result.tag, undefined);

    // createParticipant
    const cp = await api.createParticipant(accountId, {
      publishPermissions: [PublishPermissionEnum.AUDIO, PublishPermissionEnum.VIDEO],
      tag: 'sdk-alice',
      deviceApiVersion: DeviceApiVersionEnum.V3,
    });
    assert.equal(cp.statusCode, 200);
    const alice = cp.result.participant;
    assert.match(alice.id, UUID_RE);
    assert.deepEqual(alice.publishPermissions, ['AUDIO', 'VIDEO']);
    assert.equal(alice.tag, 'sdk-alice');
    assert.deepEqual(alice.sessions, []);
    assert.equal(alice.deviceApiVersion, 'V3');
    const { payload } = decodeJwt(cp.result.token);
    assert.equal(payload.p, alice.id);
    assert.equal(payload.a, accountId);
    assert.equal(payload.v, 'v3');
    assert.ok(verifyHs256(cp.result.token, tokenSecret(sb.dataDir)));

    const bob = (await api.createParticipant(accountId, { publishPermissions: [PublishPermissionEnum.AUDIO], tag: 'sdk-bob' })).result.participant;
    const carol = (await api.createParticipant(accountId)).result.participant; // no body at all
    assert.deepEqual(carol.publishPermissions, ['AUDIO', 'VIDEO']);

    // addParticipantToSession with subscriptions
    const add = await api.addParticipantToSession(accountId, session.id, alice.id, { sessionId: session.id });
    assert.equal(add.statusCode, 204);
    assert.equal((await api.addParticipantToSession(accountId, session.id, bob.id, {
      sessionId: session.id,
      participants: [{ participantId: alice.id, streamAliases: ['mic'] }],
    })).statusCode, 204);
    assert.equal((await api.addParticipantToSession(accountId, session.id, carol.id)).statusCode, 204);

    // getParticipantSubscriptions
    const subs = await api.getParticipantSubscriptions(accountId, session.id, bob.id);
    assert.equal(subs.statusCode, 200);
    assert.deepEqual(subs.result, { sessionId: session.id, participants: [{ participantId: alice.id, streamAliases: ['mic'] }] });
    assert.deepEqual((await api.getParticipantSubscriptions(accountId, session.id, carol.id)).result, {});

    // updateParticipantSubscriptions: replace, then remove all with no body
    const upd = await api.updateParticipantSubscriptions(accountId, session.id, bob.id, {
      participants: [{ participantId: alice.id }, { participantId: carol.id, streamAliases: ['cam', 'screen'] }],
    });
    assert.equal(upd.statusCode, 204);
    assert.deepEqual((await api.getParticipantSubscriptions(accountId, session.id, bob.id)).result, {
      participants: [{ participantId: alice.id }, { participantId: carol.id, streamAliases: ['cam', 'screen'] }],
    });
    assert.equal((await api.updateParticipantSubscriptions(accountId, session.id, carol.id, { sessionId: session.id })).statusCode, 204);
    assert.equal((await api.updateParticipantSubscriptions(accountId, session.id, carol.id)).statusCode, 204);
    assert.deepEqual((await api.getParticipantSubscriptions(accountId, session.id, carol.id)).result, {});

    // listSessionParticipants
    const list = await api.listSessionParticipants(accountId, session.id);
    assert.equal(list.statusCode, 200);
    assert.deepEqual(list.result.map((p) => p.id).sort(), [alice.id, bob.id, carol.id].sort());
    for (const p of list.result) assert.deepEqual(p.sessions, [session.id]);

    // getParticipant
    const got = await api.getParticipant(accountId, alice.id);
    assert.equal(got.statusCode, 200);
    assert.deepEqual(got.result, {
      id: alice.id, callbackUrl: null, publishPermissions: ['AUDIO', 'VIDEO'], sessions: [session.id],
      subscriptions: { sessionId: session.id }, tag: 'sdk-alice', deviceApiVersion: 'V3',
    });

    // getSession
    const gs = await api.getSession(accountId, session.id);
    assert.equal(gs.statusCode, 200);
    assert.deepEqual(gs.result, { id: session.id, tag: 'sdk-session' });

    // removeParticipantFromSession
    assert.equal((await api.removeParticipantFromSession(accountId, session.id, bob.id)).statusCode, 204);
    const bobAfter = (await api.getParticipant(accountId, bob.id)).result;
    assert.deepEqual(bobAfter.sessions, []);
    assert.equal(bobAfter.subscriptions, undefined);
    await rejectsWith(() => api.getParticipantSubscriptions(accountId, session.id, bob.id), 404);

    // deleteParticipant
    assert.equal((await api.deleteParticipant(accountId, carol.id)).statusCode, 204);
    await rejectsWith(() => api.getParticipant(accountId, carol.id), 404);
    assert.deepEqual((await api.listSessionParticipants(accountId, session.id)).result.map((p) => p.id), [alice.id]);

    // deleteSession
    assert.equal((await api.deleteSession(accountId, session.id)).statusCode, 204);
    assert.equal((await api.deleteSession(accountId, bare.result.id)).statusCode, 204);
    await rejectsWith(() => api.getSession(accountId, session.id), 404);
    assert.deepEqual((await api.getParticipant(accountId, alice.id)).result.sessions, []);
  });

  test('an unknown session → ApiError with statusCode 404 and switchboard\'s error body', async () => {
    const e = await rejectsWith(() => api.getSession(ACCOUNT.id, '00000000-0000-4000-8000-000000000000'), 404);
    assert.equal(e.message, 'Not Found');
    const body = typeof e.result === 'object' ? e.result : JSON.parse(e.body);
    assert.equal(body.code, 'not_found');
    assert.equal(body.field, 'sessionId');
    assert.equal(typeof body.requestId, 'string');
    await rejectsWith(() => api.listSessionParticipants(ACCOUNT.id, 'no-such-session'), 404);
    await rejectsWith(() => api.deleteSession(ACCOUNT.id, 'no-such-session'), 404);
    await rejectsWith(() => api.addParticipantToSession(ACCOUNT.id, 'no-such-session', 'no-such-participant'), 404);
  });

  test('a 409 (participant already in another session) surfaces as the SDK\'s ApiError', async () => {
    const s1 = (await api.createSession(ACCOUNT.id)).result;
    const s2 = (await api.createSession(ACCOUNT.id)).result;
    const p = (await api.createParticipant(ACCOUNT.id)).result.participant;
    await api.addParticipantToSession(ACCOUNT.id, s1.id, p.id);
    const e = await rejectsWith(() => api.addParticipantToSession(ACCOUNT.id, s2.id, p.id), 409);
    assert.ok(e instanceof bw.ApiError);
  });

  test('a 400 (tag too long) is an ApiError naming the field', async () => {
    const e = await rejectsWith(() => api.createParticipant(ACCOUNT.id, { tag: 'x'.repeat(51) }), 400);
    const body = typeof e.result === 'object' ? e.result : JSON.parse(e.body);
    assert.equal(body.field, 'tag');
  });

  test('wrong credentials → 401, another account\'s credentials → 403', async () => {
    const wrong = controllerFor({ ...ACCOUNT, password: 'not-it' });
    await rejectsWith(() => wrong.createSession(ACCOUNT.id), 401);
    const other = controllerFor(OTHER_ACCOUNT);
    await rejectsWith(() => other.createSession(ACCOUNT.id), 403);
    assert.equal((await other.createSession(OTHER_ACCOUNT.id)).statusCode, 200);
  });

  test('ApiController.generateTransferBxml / generateTransferBxmlVerb output shape', async () => {
    const { token } = (await api.createParticipant(ACCOUNT.id)).result;
    const callId = 'c-93d6f3c0-be584596-0b74-4fa2-8015-d8ede84bd1a4';
    const bxml = ApiController.generateTransferBxml(token, callId);
    assert.equal(
      bxml,
      '<?xml version="1.0" encoding="UTF-8" ?>\n<Response><Transfer>\n'
        + `\t<SipUri uui="93d6f3c0be5845960b744fa28015d8ede84bd1a4;encoding=base64,${token};encoding=jwt">sip:sipx.webrtc.bandwidth.com:5060</SipUri>\n`
        + '</Transfer></Response>',
    );
    assert.ok(bxml.includes('<SipUri uui="'));

    const noCall = ApiController.generateTransferBxmlVerb(token, '', 'sip:switchboard.example:5060');
    assert.equal(noCall, `<Transfer>\n\t<SipUri uui="${token};encoding=jwt">sip:switchboard.example:5060</SipUri>\n</Transfer>`);
  });
});

// Also make sure the raw responses the SDK parsed carry nothing it would reject: null optional
// fields break its schema validation (tag and subscriptions are optional, not nullable).
test('Participant and Session JSON omit unset tag/subscriptions rather than sending null', async () => {
  const s = await call(`${sb.api()}/sessions`, { method: 'POST' });
  assert.ok(!('tag' in s.body));
  const p = await call(`${sb.api()}/participants`, { method: 'POST' });
  assert.ok(!('tag' in p.body.participant));
  assert.ok(!('subscriptions' in p.body.participant));
});
