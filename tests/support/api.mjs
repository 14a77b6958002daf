// Helpers shared by the REST integration tests: small wrappers over `call`, assertions on the
// error and Participant shapes, Prometheus text parsing and HS256 JWT checks.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ACCOUNT, call, startSwitchboard } from './server.mjs';

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// Starts several servers at once (each argument is a startSwitchboard option object). If any
// fails to start, the ones that did are stopped before the error is thrown, so nothing leaks.
export async function startAll(...options) {
  const results = await Promise.allSettled(options.map((o) => startSwitchboard(o)));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    await stopAll(...results.filter((r) => r.status === 'fulfilled').map((r) => r.value));
    throw failed.reason;
  }
  return results.map((r) => r.value);
}

// SIGTERMs and cleans up every server given (undefined entries — servers that never started —
// are skipped), for `after` hooks.
export async function stopAll(...servers) {
  const started = servers.filter(Boolean);
  await Promise.all(started.map((s) => s.stop()));
  for (const s of started) s.cleanup();
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls `fn` until it returns a truthy value or `timeoutMs` passes; returns the last value.
export async function waitFor(fn, { timeoutMs = 5000, intervalMs = 100 } = {}) {
  const end = Date.now() + timeoutMs;
  let v;
  for (;;) {
    v = await fn();
    if (v || Date.now() > end) return v;
    await sleep(intervalMs);
  }
}

// Like waitFor, but throws naming `what` when the time is up.
export async function until(fn, { timeout = 10000, what = 'condition', intervalMs = 50 } = {}) {
  const v = await waitFor(fn, { timeoutMs: timeout, intervalMs });
  if (!v) throw new Error(`timed out waiting for ${what}`);
  return v;
}

// Creates a participant (asserting 200) and returns {participant, token}.
export async function createParticipant(sb, body = {}, account = ACCOUNT) {
  const r = await call(`${sb.api(account)}/participants`, { method: 'POST', body, account });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

// Creates a session (asserting 200) and returns it.
export async function createSession(sb, body = {}, account = ACCOUNT) {
  const r = await call(`${sb.api(account)}/sessions`, { method: 'POST', body, account });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

// PUTs a participant into a session (asserting 204).
export async function addToSession(sb, sessionId, participantId, body, account = ACCOUNT) {
  const r = await call(`${sb.api(account)}/sessions/${sessionId}/participants/${participantId}`, {
    method: 'PUT', body, account,
  });
  assert.equal(r.status, 204, JSON.stringify(r.body));
  assert.equal(r.body, null);
  return r;
}

export async function getParticipant(sb, participantId, account = ACCOUNT) {
  const r = await call(`${sb.api(account)}/participants/${participantId}`, { account });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

export async function listMembers(sb, sessionId, account = ACCOUNT) {
  const r = await call(`${sb.api(account)}/sessions/${sessionId}/participants`, { account });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.ok(Array.isArray(r.body));
  return r.body;
}

// Asserts the Participant schema of reference §4.3: exactly these keys (optional ones only when
// set), the right types, and returns the participant for further checks.
export function assertParticipantShape(p) {
  assert.equal(typeof p, 'object');
  const allowed = ['id', 'callbackUrl', 'publishPermissions', 'sessions', 'subscriptions', 'tag', 'deviceApiVersion'];
  for (const k of Object.keys(p)) assert.ok(allowed.includes(k), `unexpected Participant key ${k}`);
  assert.match(p.id, UUID_RE);
  assert.ok('callbackUrl' in p, 'callbackUrl is always present (null when unset)');
  assert.ok(p.callbackUrl === null || typeof p.callbackUrl === 'string');
  assert.ok(Array.isArray(p.publishPermissions));
  for (const v of p.publishPermissions) assert.ok(v === 'AUDIO' || v === 'VIDEO');
  assert.equal(new Set(p.publishPermissions).size, p.publishPermissions.length);
  assert.ok(Array.isArray(p.sessions));
  assert.ok(p.sessions.length <= 1, 'sessions is capped to one');
  if ('subscriptions' in p) assert.equal(typeof p.subscriptions, 'object');
  if ('tag' in p) assert.equal(typeof p.tag, 'string');
  assert.equal(p.deviceApiVersion, 'V3');
  return p;
}

// Asserts an error reply: status, `error` (or `message` for 401/403), `code`, `requestId` equal to
// the X-Request-Id header, and `field` when given (or its absence when field === null).
export function assertError(r, status, { code, field } = {}) {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  assert.equal(typeof r.body, 'object', `error body must be JSON: ${r.body}`);
  assert.match(r.headers.get('content-type') || '', /application\/json/);
  const auth = status === 401 || status === 403;
  const textKey = auth ? 'message' : 'error';
  const otherKey = auth ? 'error' : 'message';
  assert.equal(typeof r.body[textKey], 'string');
  assert.ok(r.body[textKey].length > 0);
  assert.ok(!(otherKey in r.body), `${status} body must not carry ${otherKey}`);
  assert.equal(typeof r.body.code, 'string');
  if (code) assert.equal(r.body.code, code);
  assert.equal(typeof r.body.requestId, 'string');
  assert.ok(r.body.requestId.length > 0);
  assert.equal(r.headers.get('x-request-id'), r.body.requestId);
  if (field === null) assert.ok(!('field' in r.body), `unexpected field ${r.body.field}`);
  else if (field !== undefined) assert.equal(r.body.field, field);
  return r.body;
}

// ---- Prometheus text -------------------------------------------------------------------------

export async function scrapeMetrics(sb) {
  const res = await fetch(`${sb.adminBase}/metrics`);
  assert.equal(res.status, 200);
  return res.text();
}

// Parses `name{a="b",...} value` lines into [{name, labels, value}].
export function parseMetrics(text) {
  const out = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/);
    assert.ok(m, `unparsable metrics line: ${line}`);
    const labels = {};
    if (m[2]) for (const l of m[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

// The value of the sample with this name whose labels include `labels`, or undefined.
export function metricValue(samples, name, labels = {}) {
  const s = samples.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
  return s ? s.value : undefined;
}

export async function gauge(sb, name) {
  return metricValue(parseMetrics(await scrapeMetrics(sb)), name);
}

// ---- JWT ----------------------------------------------------------------------------------------

const b64url = (buf) => Buffer.from(buf).toString('base64').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

export function decodeJwt(token) {
  const parts = token.split('.');
  assert.equal(parts.length, 3, 'a JWT has three parts');
  return {
    header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')),
    signingInput: `${parts[0]}.${parts[1]}`,
    signature: parts[2],
  };
}

// True if `token` carries a valid HS256 signature under `secret`.
export function verifyHs256(token, secret) {
  const { header, signingInput, signature } = decodeJwt(token);
  if (header.alg !== 'HS256') return false;
  const expected = Buffer.from(b64url(createHmac('sha256', secret).update(signingInput).digest()));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

// The token secret a server generated in its data dir (read as a UTF-8 string key, trimmed).
export function tokenSecret(dataDir) {
  return readFileSync(path.join(dataDir, 'token-secret'), 'utf8').trim();
}
