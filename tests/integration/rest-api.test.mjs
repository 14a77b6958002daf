// End-to-end walk through every REST endpoint of reference §4.2 in the order an application uses
// them. The other files in this directory cover each concern (participants, sessions, membership,
// subscriptions, errors and limits, ops, expiry, restart) in depth.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call } from '../support/server.mjs';
import { startAll, stopAll, assertError, assertParticipantShape, decodeJwt } from '../support/api.mjs';

let sb;
before(async () => { [sb] = await startAll({}); });
after(() => stopAll(sb));

test('a two-party call from creation to teardown', async () => {
  const api = sb.api();

  // POST /sessions
  const session = await call(`${api}/sessions`, { method: 'POST', body: { tag: 'support-call' } });
  assert.equal(session.status, 200);
  const sid = session.body.id;
  assert.deepEqual(session.body, { id: sid, tag: 'support-call' });

  // POST /participants ×2
  const agent = await call(`${api}/participants`, { method: 'POST', body: { publishPermissions: ['AUDIO', 'VIDEO'], tag: 'agent' } });
  const customer = await call(`${api}/participants`, { method: 'POST', body: { publishPermissions: ['AUDIO'], tag: 'customer', callbackUrl: 'https://example.com/hook' } });
  assert.equal(agent.status, 200);
  assert.equal(customer.status, 200);
  const aid = assertParticipantShape(agent.body.participant).id;
  const cid = assertParticipantShape(customer.body.participant).id;
  assert.equal(decodeJwt(agent.body.token).payload.p, aid);

  // PUT /sessions/{sid}/participants/{pid} — agent hears everyone, customer only the agent's mic.
  assert.equal((await call(`${api}/sessions/${sid}/participants/${aid}`, { method: 'PUT', body: { sessionId: sid } })).status, 204);
  assert.equal((await call(`${api}/sessions/${sid}/participants/${cid}`, {
    method: 'PUT', body: { participants: [{ participantId: aid, streamAliases: ['mic'] }] },
  })).status, 204);

  // GET /sessions/{sid}, GET /sessions/{sid}/participants, GET /participants/{pid}
  assert.deepEqual((await call(`${api}/sessions/${sid}`)).body, { id: sid, tag: 'support-call' });
  const members = await call(`${api}/sessions/${sid}/participants`);
  assert.equal(members.status, 200);
  assert.deepEqual(members.body.map((p) => p.id).sort(), [aid, cid].sort());
  const c = await call(`${api}/participants/${cid}`);
  assert.deepEqual(c.body, {
    id: cid, callbackUrl: 'https://example.com/hook', publishPermissions: ['AUDIO'], sessions: [sid],
    subscriptions: { participants: [{ participantId: aid, streamAliases: ['mic'] }] }, tag: 'customer', deviceApiVersion: 'V3',
  });

  // GET/PUT …/subscriptions — upgrade the customer to the whole session.
  const subs = await call(`${api}/sessions/${sid}/participants/${cid}/subscriptions`);
  assert.equal(subs.status, 200);
  assert.deepEqual(subs.body, { participants: [{ participantId: aid, streamAliases: ['mic'] }] });
  assert.equal((await call(`${api}/sessions/${sid}/participants/${cid}/subscriptions`, { method: 'PUT', body: { sessionId: sid } })).status, 204);
  assert.deepEqual((await call(`${api}/sessions/${sid}/participants/${cid}/subscriptions`)).body, { sessionId: sid });

  // DELETE /sessions/{sid}/participants/{pid}
  assert.equal((await call(`${api}/sessions/${sid}/participants/${cid}`, { method: 'DELETE' })).status, 204);
  assert.deepEqual((await call(`${api}/participants/${cid}`)).body.sessions, []);
  assert.deepEqual((await call(`${api}/sessions/${sid}/participants`)).body.map((p) => p.id), [aid]);

  // DELETE /participants/{pid}
  assert.equal((await call(`${api}/participants/${cid}`, { method: 'DELETE' })).status, 204);
  assertError(await call(`${api}/participants/${cid}`), 404);

  // DELETE /sessions/{sid}
  assert.equal((await call(`${api}/sessions/${sid}`, { method: 'DELETE' })).status, 204);
  assertError(await call(`${api}/sessions/${sid}`), 404);
  assert.deepEqual((await call(`${api}/participants/${aid}`)).body.sessions, []);
  assert.equal((await call(`${api}/participants/${aid}`, { method: 'DELETE' })).status, 204);
});
