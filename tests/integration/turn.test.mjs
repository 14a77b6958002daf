// TURN out of the box (docs/protocol.md "ICE servers (TURN)"): the setMediaPreferences result
// carries ICE servers whose credentials the coturn started from switchboard's own config accepts,
// and nothing is added without a `turn` config. Allocations are checked with a small TURN client
// (tests/support/turn-client.mjs) against the real coturn on loopback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import WebSocket from 'ws';
import { startSwitchboard, call } from '../support/server.mjs';
import { startCoturn, freeTurnPort, turnSection } from '../support/coturn.mjs';
import { allocate } from '../support/turn-client.mjs';

let sb;
let coturn;
let turn;

before(async () => {
  turn = turnSection({ port: await freeTurnPort('127.0.0.1') });
  // The http address the urls default from is the one startSwitchboard uses: 127.0.0.1.
  coturn = await startCoturn({ config: { http: '127.0.0.1:8080', turn } });
  sb = await startSwitchboard({ config: { turn } });
});
after(async () => {
  await sb?.stop();
  sb?.cleanup();
  await coturn?.stop();
});

async function participant(server) {
  const created = (await call(`${server.api()}/participants`, { method: 'POST', body: { publishPermissions: ['AUDIO'] } })).body;
  return { id: created.participant.id, token: created.token };
}

// Connects a device and returns the result of its setMediaPreferences.
async function mediaPreferences(server, token) {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/v3/?token=${token}&client=test&sdkVersion=1.0&uniqueId=u-1`);
  await new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
  const reply = new Promise((resolve) => ws.on('message', (d) => resolve(JSON.parse(String(d)))));
  ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'setMediaPreferences', params: { protocol: 'WEBRTC' } }));
  const message = await reply;
  ws.close();
  assert.equal(message.id, 1);
  return message.result;
}

test('setMediaPreferences gives TURN servers with a credential coturn accepts', async () => {
  const p = await participant(sb);
  const before = Math.floor(Date.now() / 1000);
  const result = await mediaPreferences(sb, p.token);
  assert.equal(result.iceServers.length, 1);
  const server = result.iceServers[0];
  assert.deepEqual(server.urls, [`turn:127.0.0.1:${coturn.port}?transport=udp`, `turn:127.0.0.1:${coturn.port}?transport=tcp`]);
  const [expiry, who] = server.username.split(':');
  assert.equal(who, p.id);
  assert.ok(Number(expiry) >= before + 600 && Number(expiry) <= before + 602, `expiry ${expiry} is 600 s from now`);

  const good = await allocate({ host: '127.0.0.1', port: coturn.port, username: server.username, credential: server.credential });
  assert.equal(good.success, true, `coturn refused the minted credential: ${good.code} ${good.reason}\n${coturn.logs()}`);
  assert.equal(good.relayed.address, '127.0.0.1');
  const [first, last] = turn.relayPorts.split('-').map(Number);
  assert.ok(good.relayed.port >= first && good.relayed.port <= last, `relay port ${good.relayed.port} in ${turn.relayPorts}`);
});

test('coturn answers 401 to a wrong password and to an expired credential', async () => {
  const p = await participant(sb);
  const server = (await mediaPreferences(sb, p.token)).iceServers[0];
  const wrong = await allocate({ host: '127.0.0.1', port: coturn.port, username: server.username, credential: `x${server.credential}` });
  assert.equal(wrong.success, false);
  assert.equal(wrong.code, 401);
  // Signed with the right secret, but its expiry has passed (draft-uberti-behave-turn-rest §2.2).
  const expired = `${Math.floor(Date.now() / 1000) - 10}:${p.id}`;
  const expiredCredential = createHmac('sha1', turn.secret).update(expired).digest('base64');
  const old = await allocate({ host: '127.0.0.1', port: coturn.port, username: expired, credential: expiredCredential });
  assert.equal(old.success, false);
  assert.equal(old.code, 401);
});

test('without a turn config the result stays {}', async () => {
  const plain = await startSwitchboard();
  try {
    const p = await participant(plain);
    assert.deepEqual(await mediaPreferences(plain, p.token), {});
  } finally {
    await plain.stop();
    plain.cleanup();
  }
});
