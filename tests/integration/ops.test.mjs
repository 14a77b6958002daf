// Operations endpoints: /healthz, /metrics on the admin listener (request counters by route and status, session and
// participant gauges), /openapi.json (OpenAPI 3 covering every route), and SIGTERM → exit 0.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startSwitchboard, call } from '../support/server.mjs';
import {
  startAll, stopAll, createParticipant, createSession, addToSession, parseMetrics, metricValue, scrapeMetrics,
} from '../support/api.mjs';

let sb;
before(async () => { [sb] = await startAll({}); });
after(() => stopAll(sb));

const P = '/v1/accounts/{accountId}';

describe('/healthz', () => {
  test('→ 200 {"status":"ok"} without credentials', async () => {
    const r = await call(`${sb.base}/healthz`, { account: null });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /application\/json/);
    assert.deepEqual(r.body, { status: 'ok' });
  });
});

describe('/metrics', () => {
  test('is served on the admin listener only: the public listener answers 404', async () => {
    assert.match(sb.stdout(), /^switchboard admin on http:\/\/127\.0\.0\.1:\d+$/m);
    assert.equal((await fetch(`${sb.adminBase}/metrics`)).status, 200);
    assert.equal((await fetch(`${sb.adminBase}/healthz`)).status, 200);
    const pub = await call(`${sb.base}/metrics`, { account: null });
    assert.equal(pub.status, 404);
  });

  test('Prometheus text with request counts by route/method/status and the two gauges', async () => {
    // A fresh picture: count what this test does on top of what was there.
    const before = parseMetrics(await scrapeMetrics(sb));
    const count = (samples, route, method, status) =>
      metricValue(samples, 'switchboard_http_requests_total', { route, method, status: String(status) }) ?? 0;

    const s1 = await createSession(sb);
    await createSession(sb);
    const { participant: a } = await createParticipant(sb);
    const { participant: b } = await createParticipant(sb);
    await createParticipant(sb);
    await addToSession(sb, s1.id, a.id);
    await addToSession(sb, s1.id, b.id);
    await call(`${sb.api()}/sessions/00000000-0000-4000-8000-000000000000`);   // 404
    await call(`${sb.api()}/sessions/${s1.id}`);                                  // 200
    await call(`${sb.api()}/sessions`, { method: 'POST', account: null });        // 401
    await call(`${sb.api()}/sessions`, { method: 'POST', body: { tag: 1 } });      // 400
    await call(`${sb.base}/no/such/path`);                                        // 404 unmatched

    const res = await fetch(`${sb.adminBase}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    assert.match(text, /^# HELP switchboard_http_requests_total /m);
    assert.match(text, /^# TYPE switchboard_http_requests_total counter$/m);
    assert.match(text, /^# TYPE switchboard_sessions gauge$/m);
    assert.match(text, /^# TYPE switchboard_participants gauge$/m);
    assert.match(text, /^# TYPE switchboard_http_request_duration_seconds histogram$/m);
    const after = parseMetrics(text);

    const delta = (route, method, status) => count(after, route, method, status) - count(before, route, method, status);
    assert.equal(delta(`${P}/sessions`, 'POST', 200), 2);
    assert.equal(delta(`${P}/sessions`, 'POST', 401), 1);
    assert.equal(delta(`${P}/sessions`, 'POST', 400), 1);
    assert.equal(delta(`${P}/participants`, 'POST', 200), 3);
    assert.equal(delta(`${P}/sessions/{sessionId}/participants/{participantId}`, 'PUT', 204), 2);
    assert.equal(delta(`${P}/sessions/{sessionId}`, 'GET', 404), 1);
    assert.equal(delta(`${P}/sessions/{sessionId}`, 'GET', 200), 1);
    assert.equal(delta('unmatched', 'GET', 404), 1);
    // Routes are labelled by pattern, never by concrete ids (bounded cardinality).
    for (const s of after) {
      if (s.labels.route) assert.ok(!s.labels.route.includes(s1.id) && !s.labels.route.includes(a.id), s.labels.route);
    }

    assert.equal(metricValue(after, 'switchboard_sessions'), metricValue(before, 'switchboard_sessions') + 2);
    assert.equal(metricValue(after, 'switchboard_participants'), metricValue(before, 'switchboard_participants') + 3);

    // The latency histogram is consistent: +Inf bucket == count.
    const route = `${P}/participants`;
    const inf = metricValue(after, 'switchboard_http_request_duration_seconds_bucket', { route, le: '+Inf' });
    const n = metricValue(after, 'switchboard_http_request_duration_seconds_count', { route });
    assert.equal(inf, n);
    assert.ok(n >= 3);
  });

  test('gauges follow deletes', async () => {
    const before = parseMetrics(await scrapeMetrics(sb));
    const s = await createSession(sb);
    const { participant: p } = await createParticipant(sb);
    assert.equal((await call(`${sb.api()}/sessions/${s.id}`, { method: 'DELETE' })).status, 204);
    assert.equal((await call(`${sb.api()}/participants/${p.id}`, { method: 'DELETE' })).status, 204);
    const after = parseMetrics(await scrapeMetrics(sb));
    assert.equal(metricValue(after, 'switchboard_sessions'), metricValue(before, 'switchboard_sessions'));
    assert.equal(metricValue(after, 'switchboard_participants'), metricValue(before, 'switchboard_participants'));
  });
});

describe('/openapi.json', () => {
  test('is an OpenAPI 3 document describing every REST route', async () => {
    const r = await call(`${sb.base}/openapi.json`, { account: null });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /application\/json/);
    const doc = r.body;
    assert.match(doc.openapi, /^3\./);
    assert.equal(typeof doc.info?.title, 'string');
    assert.equal(typeof doc.info?.version, 'string');
    const expected = {
      [`${P}/participants`]: ['post'],
      [`${P}/participants/{participantId}`]: ['get', 'delete'],
      [`${P}/sessions`]: ['post'],
      [`${P}/sessions/{sessionId}`]: ['get', 'delete'],
      [`${P}/sessions/{sessionId}/participants`]: ['get'],
      [`${P}/sessions/{sessionId}/participants/{participantId}`]: ['put', 'delete'],
      [`${P}/sessions/{sessionId}/participants/{participantId}/subscriptions`]: ['get', 'put'],
      '/healthz': ['get'],
      '/openapi.json': ['get'],
    };
    for (const [p, methods] of Object.entries(expected)) {
      assert.ok(doc.paths[p], `missing path ${p}`);
      for (const m of methods) assert.ok(doc.paths[p][m], `missing ${m.toUpperCase()} ${p}`);
    }
    const ops = Object.values(doc.paths).flatMap((item) => Object.values(item)).map((o) => o.operationId).filter(Boolean);
    for (const id of ['createParticipant', 'getParticipant', 'deleteParticipant', 'createSession', 'getSession',
      'deleteSession', 'listSessionParticipants', 'addParticipantToSession', 'removeParticipantFromSession',
      'getParticipantSubscriptions', 'updateParticipantSubscriptions']) {
      assert.ok(ops.includes(id), `missing operationId ${id}`);
    }
    for (const name of ['Participant', 'Session', 'Subscriptions', 'ParticipantSubscription']) {
      assert.ok(doc.components?.schemas?.[name], `missing schema ${name}`);
    }
  });
});

describe('signals', () => {
  test('SIGTERM → the process exits 0, also with an idle keep-alive connection open', async () => {
    const s = await startSwitchboard();
    try {
      await createSession(s); // leaves a keep-alive connection in fetch's pool
      const started = Date.now();
      const { code, signal } = await s.stop();
      assert.equal(signal, null);
      assert.equal(code, 0, s.logs());
      assert.ok(Date.now() - started < 5000, 'exited promptly');
    } finally {
      s.cleanup();
    }
  });

  test('SIGINT → exit 0 as well', async () => {
    const s = await startSwitchboard();
    try {
      s.proc.kill('SIGINT');
      const { code } = await s.exited;
      assert.equal(code, 0, s.logs());
    } finally {
      s.cleanup();
    }
  });
});
