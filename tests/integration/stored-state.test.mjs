// Stored state is durable and bounded (issue 8, item 7): the store's files are private (0600),
// acknowledged writes are synced with group commit (fewer fdatasyncs than writes), participants
// expire like sessions (their tokens refused, their devices closed), and each account has caps on
// sessions and participants.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import WebSocket from 'ws';
import { call, startSwitchboard, ACCOUNT, OTHER_ACCOUNT } from '../support/server.mjs';
import {
  startAll, stopAll, assertError, createParticipant, createSession, addToSession, listMembers, gauge, waitFor, sleep,
} from '../support/api.mjs';

const CAPPED = { ...ACCOUNT, maxSessions: 2, maxParticipants: 3 };

let journaled;  // default sqlite store (memory + journal), small caps for ACCOUNT
let direct;     // sqlite store without the cache: SQLite alone
let expiring;   // participants live 1 s, swept every second
before(async () => {
  [journaled, direct, expiring] = await startAll(
    { config: { accounts: [CAPPED, OTHER_ACCOUNT] } },
    { config: { storeCache: false } },
    { config: { participantLifetimeSeconds: 1, expirySweepSeconds: 1 } },
  );
});
let restarted;  // journaled's data dir after a SIGKILL
after(async () => {
  if (restarted) await restarted.stop();
  await stopAll(journaled, direct, expiring);
});

function modes(dir) {
  const out = {};
  for (const name of readdirSync(dir)) {
    if (name.endsWith('.json')) continue;  // the test's own config file
    out[name] = statSync(path.join(dir, name)).mode & 0o777;
  }
  return out;
}

describe('files in the data directory', () => {
  for (const [name, sb] of [['journaled store', () => journaled], ['storeCache: false', () => direct]]) {
    test(`${name}: database, -wal, -shm, journal, lock and token secret are 0600`, async () => {
      const server = sb();
      const s = await createSession(server, {}, OTHER_ACCOUNT);
      await createParticipant(server, {}, OTHER_ACCOUNT);
      assert.equal((await call(`${server.api(OTHER_ACCOUNT)}/sessions/${s.id}`, { account: OTHER_ACCOUNT })).status, 200);
      const found = modes(server.dataDir);
      for (const expected of ['switchboard.db', 'switchboard.db-wal', 'switchboard.db-shm', 'switchboard.db.lock', 'token-secret'])
        assert.ok(expected in found, `${expected} exists (found ${Object.keys(found).join(', ')})`);
      if (server === journaled)
        assert.ok(Object.keys(found).some((n) => n.startsWith('switchboard.db.oplog.')), 'a journal segment exists');
      for (const [file, mode] of Object.entries(found))
        assert.equal(mode, 0o600, `${file} is ${mode.toString(8)}`);
      assert.equal(statSync(server.dataDir).mode & 0o777, 0o700, 'the data directory is private');
    });
  }
});

// Opens `n` keep-alive connections; send() writes one prepared request on each in a tight loop
// (so they reach the server together, as concurrent clients would) and resolves with the statuses.
async function connections(sb, n) {
  const socks = await Promise.all(Array.from({ length: n }, () => new Promise((res, rej) => {
    const s = net.connect(sb.port, '127.0.0.1', () => res(s));
    s.on('error', rej);
  })));
  const auth = `Basic ${Buffer.from(`${OTHER_ACCOUNT.username}:${OTHER_ACCOUNT.password}`).toString('base64')}`;
  const request = `POST /v1/accounts/${OTHER_ACCOUNT.id}/sessions HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\n` +
    'Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}';
  return {
    send: () => Promise.all(socks.map((s) => {
      const status = new Promise((res) => {
        let buf = '';
        const onData = (d) => {
          buf += d;
          const m = buf.match(/^HTTP\/1\.1 (\d+)[^]*?\r\n\r\n/);
          const len = buf.match(/content-length: (\d+)/i);
          if (m && len && buf.length >= m[0].length + Number(len[1])) { s.off('data', onData); res(Number(m[1])); }
        };
        s.on('data', onData);
      });
      s.write(request);
      return status;
    })),
    close: () => socks.forEach((s) => s.destroy()),
  };
}

test('group commit: concurrent writes share journal syncs, and each is acknowledged after one', async () => {
  const conns = await connections(journaled, 40);
  const before = await gauge(journaled, 'switchboard_journal_syncs');
  const rounds = 5;
  for (let i = 0; i < rounds; i++) assert.deepEqual(new Set(await conns.send()), new Set([200]));
  conns.close();
  const syncs = (await gauge(journaled, 'switchboard_journal_syncs')) - before;
  const writes = rounds * 40;
  assert.ok(syncs >= rounds, `the journal was synced (${syncs})`);
  // Each request of a round waits for a sync that started after its write; one fdatasync each
  // would be 200. How many share one depends on how fast the build answers against the disk's sync
  // time (a quarter with the release build, about half under ASan), so only sharing is asserted here;
  // tests/unit/state/TestJournalSyncer.cpp checks the ratio without HTTP in between.
  assert.ok(syncs < writes, `${syncs} fdatasyncs for ${writes} writes`);
});

describe('per-account caps', () => {
  test('sessions: up to maxSessions, then 409 with a clear message and nothing created; deleting frees a slot', async () => {
    const a = await createSession(journaled);
    await createSession(journaled);
    const stored = await gauge(journaled, 'switchboard_sessions');
    const r = await call(`${journaled.api()}/sessions`, { method: 'POST', body: {} });
    const body = assertError(r, 409, { code: 'conflict', field: null });
    assert.match(body.error, /maximum of 2 sessions/);
    assert.equal(await gauge(journaled, 'switchboard_sessions'), stored, 'nothing was created');
    // Another account is not affected.
    assert.equal((await call(`${journaled.api(OTHER_ACCOUNT)}/sessions`, { method: 'POST', body: {}, account: OTHER_ACCOUNT })).status, 200);
    assert.equal((await call(`${journaled.api()}/sessions/${a.id}`, { method: 'DELETE' })).status, 204);
    await createSession(journaled);
    assertError(await call(`${journaled.api()}/sessions`, { method: 'POST', body: {} }), 409);
  });

  test('participants: up to maxParticipants, then 409; deleting frees a slot; the cap holds after a restart', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await createParticipant(journaled)).participant.id);
    const stored = await gauge(journaled, 'switchboard_participants');
    const r = await call(`${journaled.api()}/participants`, { method: 'POST', body: {} });
    const body = assertError(r, 409, { code: 'conflict', field: null });
    assert.match(body.error, /maximum of 3 participants/);
    assert.equal(await gauge(journaled, 'switchboard_participants'), stored, 'nothing was created');
    assert.equal((await call(`${journaled.api()}/participants/${ids[0]}`, { method: 'DELETE' })).status, 204);
    await createParticipant(journaled);

    // After SIGKILL and a restart, what is stored still counts against the cap.
    await journaled.kill();
    restarted = await startSwitchboard({ config: { accounts: [CAPPED, OTHER_ACCOUNT] }, dataDir: journaled.dataDir });
    assert.equal(await gauge(restarted, 'switchboard_participants'), stored);
    assertError(await call(`${restarted.api()}/participants`, { method: 'POST', body: {} }), 409, { code: 'conflict' });
    assertError(await call(`${restarted.api()}/sessions`, { method: 'POST', body: {} }), 409, { code: 'conflict' });
  });
});

function deviceStatus(sb, token) {
  return fetch(`http://127.0.0.1:${sb.port}/v3/?token=${token}&client=test&sdkVersion=1.0&uniqueId=u-1`)
    .then(async (r) => ({ status: r.status, body: await r.json().catch(() => null) }));
}

test('participants expire: gone from the API and their session, token refused, device closed', async () => {
  const s = await createSession(expiring);
  // Lifetimes are whole seconds of the server's clock: a 1 s participant created just after a
  // second boundary surely lives ~900 ms, long enough to join and connect a device.
  const ms = Date.now() % 1000;
  await sleep(ms < 30 ? 30 - ms : 1030 - ms);
  const created = await createParticipant(expiring);
  const p = created.participant;
  await addToSession(expiring, s.id, p.id, { sessionId: s.id });
  assert.equal((await deviceStatus(expiring, created.token)).status, 200);
  const ws = new WebSocket(`ws://127.0.0.1:${expiring.port}/v3/?token=${created.token}&client=test&sdkVersion=1.0&uniqueId=u-2`);
  const closed = new Promise((r) => ws.on('close', (code) => r(code)));
  await new Promise((res, rej) => { ws.on('open', res); ws.on('error', rej); });

  assert.ok(await waitFor(async () => (await call(`${expiring.api()}/participants/${p.id}`)).status === 404, { timeoutMs: 4000 }),
    'the participant is gone within its lifetime + one sweep');
  assert.ok(await waitFor(async () => (await gauge(expiring, 'switchboard_participants')) === 0, { timeoutMs: 3000 }),
    'the sweep deleted it');
  assert.deepEqual((await listMembers(expiring, s.id)).map((m) => m.id), [], 'removed from its session');
  const refused = await deviceStatus(expiring, created.token);
  assert.equal(refused.status, 403);
  assert.equal(refused.body.code, 'token_participant_gone');
  assert.equal(await closed, 4404, 'its connected device was closed as DELETE does');
  assert.equal((await call(`${expiring.api()}/sessions/${s.id}`)).status, 200, 'the session itself lives on');
});

test('a zero cap or lifetime is a config error naming the key', async () => {
  await assert.rejects(startSwitchboard({ config: { accounts: [{ ...ACCOUNT, maxSessions: 0 }] } }),
    /accounts\[0\]\.maxSessions: must be positive/);
  await assert.rejects(startSwitchboard({ config: { accounts: [{ ...ACCOUNT, maxParticipants: 0 }] } }),
    /accounts\[0\]\.maxParticipants: must be positive/);
  await assert.rejects(startSwitchboard({ config: { participantLifetimeSeconds: 0 } }),
    /participantLifetimeSeconds: must be positive/);
});
