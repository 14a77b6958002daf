// The Janus 1.1.2 crash of issue 10 item 5 (docs/janus-crash.md), against the real Janus: a
// subscriber's "update" that the VideoRoom handler thread is still working on when the subscriber
// is detached and its room destroyed reads the freed room (SIGFPE/SIGSEGV in janus_videoroom_handler).
// switchboard's JanusClient sends a detach only after the answers to the messages sent to its handle
// before it, and a room's "destroy" only after the answers to every earlier plugin message
// (tests/unit/media/TestJanusClient.cpp checks that it does); here that order keeps Janus alive over
// many rounds of the teardown that crashed it. SB_JANUS_CRASH_REPRO=1 also runs the old order
// (detach and destroy right behind the update): Janus 1.1.2 died of it after 66 to 149 rounds in
// each of four runs (SIGFPE in g_hash_table_lookup from the same place as the committed core, or
// SIGSEGV), while switchboard's order ran 3 × 300 rounds.
//
// No browser and no WebRTC: a VideoRoom "remote publisher" stands in for the publishing device
// (Janus counts it as started, so subscribers can join it), subscribers join and get an offer they
// never answer. The update carries a long "unsubscribe" list, as a device leaving a busy room
// would, which keeps the handler thread on it long enough for the race to be seen in a few rounds.
// Run inside the test network namespace like the other Janus tests:
//   scripts/netns.sh exec node --test tests/browser/janus-room-race.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startJanus, JanusClient, janusInfo } from '../support/media.mjs';

const ROUNDS = Number(process.env.SB_RACE_ROUNDS || 300);
const SUBSCRIBERS = 2;
const UNSUBSCRIBE_ENTRIES = Number(process.env.SB_RACE_ENTRIES || 3000);

// Sends a Janus message without waiting for its answer; resolves once Janus has acked it (a plugin
// message is acked when it is queued for the plugin's handler thread).
function sendAcked(client, msg) {
  const transaction = randomBytes(8).toString('hex');
  return new Promise((resolve) => {
    const done = (m) => { clearTimeout(timer); client.ws.off('message', onMessage); resolve(m); };
    const timer = setTimeout(() => done(null), 5000);  // Janus died meanwhile
    const onMessage = (data) => {
      const m = JSON.parse(String(data));
      if (m.transaction === transaction) done(m);
    };
    client.ws.on('message', onMessage);
    client.ws.send(JSON.stringify({ ...msg, transaction, session_id: client.sessionId }));
  });
}
function sendNoWait(client, msg) {
  client.ws.send(JSON.stringify({ ...msg, transaction: randomBytes(8).toString('hex'), session_id: client.sessionId }));
}

// One room: a remote publisher (audio and video), SUBSCRIBERS subscribers of both its streams, then
// the teardown of the crash — each subscriber unsubscribes, is detached, the publisher leaves, the
// room is destroyed.
// `answered`: true = switchboard's order (detach and destroy after the updates' answers), false =
// the order that crashed Janus (right behind the updates, once Janus has queued them).
async function round(client, control, adminKey, { answered }) {
  const room = 1 + Math.floor(Math.random() * 2 ** 50);
  await client.message(control, { request: 'create', room, admin_key: adminKey, permanent: false, is_private: true,
    publishers: 20, audiocodec: 'opus,pcmu', videocodec: 'vp8,h264' });
  const remote = await client.message(control, { request: 'add_remote_publisher', room, admin_key: adminKey, display: 'phone',
    iface: '127.0.0.1', port: 0, streams: [{ type: 'audio', mindex: 0, mid: '0', codec: 'opus' }, { type: 'video', mindex: 1, mid: '1', codec: 'vp8' }] });
  const feed = remote.data.id;
  const subs = [];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const h = await client.attach();
    // Janus adds a remote publisher to its room from the publisher's own thread, after answering:
    // a join right away can get 428 No such feed (switchboard asks again too).
    let joined;
    for (let attempt = 0; !joined; attempt++) {
      joined = await client.message(h, { request: 'join', ptype: 'subscriber', room, streams: [{ feed, mid: '0' }, { feed, mid: '1' }] })
        .catch((e) => { if (attempt >= 50 || !/ 428:/.test(e.message)) throw e; return null; });
      if (!joined) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(joined.jsep?.type, 'offer', 'the subscriber gets an offer');
    subs.push(h);
  }
  const unsubscribe = Array.from({ length: UNSUBSCRIBE_ENTRIES }, (_, i) => ({ feed, mid: String(i % 2) }));
  const updates = subs.map((h) => ({ janus: 'message', handle_id: h, body: { request: 'update', unsubscribe } }));
  if (answered) {
    await Promise.all(updates.map((m) => client.request(m)));
  } else {
    await Promise.all(updates.map((m) => sendAcked(client, m)));
  }
  // The devices are gone: their subscribers are detached, the publisher leaves (a browser's handle
  // would be detached; a remote publisher is removed, which also ends its thread and with it the
  // room reference that thread holds), the room is destroyed.
  for (const h of subs) sendNoWait(client, { janus: 'detach', handle_id: h });
  sendNoWait(client, { janus: 'message', handle_id: control, body: { request: 'remove_remote_publisher', room, id: feed, admin_key: adminKey } });
  sendNoWait(client, { janus: 'message', handle_id: control, body: { request: 'destroy', room } });
  // The next round starts once Janus has answered a request sent after all of it.
  await client.message(control, { request: 'exists', room });
}

async function rounds(janus, answered) {
  let client;
  try {
    client = await JanusClient.connect(janus.wsUrl);
    await client.createSession();
    const control = await client.attach();
    let exit = null;
    janus.exited.then((e) => { exit = e; });
    let done = 0;
    for (; done < ROUNDS && !exit; done++) {
      try {
        await round(client, control, janus.adminKey, { answered });
      } catch (e) {
        // Janus gone: its WebSocket closes before its exit is seen.
        await Promise.race([janus.exited, new Promise((r) => setTimeout(r, 3000))]);
        if (!exit) throw e;
      }
    }
    await new Promise((r) => setTimeout(r, 300));
    return { done, exit };
  } finally {
    client?.close();
  }
}

test(`switchboard's order: ${ROUNDS} rounds of update, detach and room destroy leave Janus running`, async () => {
  const janus = await startJanus({ netns: true, debugLevel: 3 });
  try {
    const { done, exit } = await rounds(janus, true);
    assert.equal(exit, null, `Janus died after ${done} rounds: ${JSON.stringify(exit)}\n${janus.logs().slice(-3000)}`);
    assert.equal(done, ROUNDS);
    const info = await janusInfo(janus.wsUrl);
    assert.equal(info.janus, 'server_info');
  } finally {
    await janus.stop();
  }
});

test('the old order (detach and destroy right behind the update) crashes Janus 1.1.2', { skip: !process.env.SB_JANUS_CRASH_REPRO }, async () => {
  const janus = await startJanus({ netns: true, debugLevel: 3 });
  try {
    const { done, exit } = await rounds(janus, false);
    console.log(`# old order: ${done} rounds, Janus ${exit ? `died: ${JSON.stringify(exit)}` : 'still running'} (log ${janus.logFile})`);
    assert.ok(exit?.signal, `Janus ${janus.info.version_string} survived ${done} rounds of the old order`);
  } finally {
    await janus.stop({ keepDir: true });
  }
});
